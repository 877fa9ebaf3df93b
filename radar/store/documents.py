"""Documents and their URLs: stored once however many sources carry them, and what extraction
reads and marks on them."""
import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Optional

from sqlalchemy import bindparam, or_
from sqlalchemy import func as sa_func
from sqlalchemy import select as sa_select
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from radar.db import insert_new
from radar.models import Document, DocumentUrl, id_col, table_of

# Called inside the transaction that stores a new document, with its connection and id: a
# `radar worker` process enqueues the document's extraction there, so a document is never
# stored without its job nor a job left without its document. None on the single-machine path.
NewDocumentHook = Callable[[Connection, int], None]
_new_document_hook: Optional[NewDocumentHook] = None


def on_new_document(hook: Optional[NewDocumentHook]) -> None:
    """Set (or clear, with None) the process's new-document hook."""
    global _new_document_hook
    _new_document_hook = hook


def content_hash(text: str) -> str:
    """Hash of the text with whitespace and case folded: syndicated copies collide."""
    norm = re.sub(r"\s+", " ", text).strip().lower()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def known_url(engine: Engine, url: str) -> bool:
    with Session(engine) as s:
        return s.exec(select(DocumentUrl.id).where(DocumentUrl.url == url)).first() is not None


def known_urls(engine: Engine, urls: Iterable[str]) -> set[str]:
    """Which of these URLs are already stored (one query per batch, not per URL)."""
    wanted = list(dict.fromkeys(urls))
    found: set[str] = set()
    with Session(engine) as s:
        for i in range(0, len(wanted), 500):
            chunk = wanted[i:i + 500]
            found.update(s.exec(select(DocumentUrl.url).where(col(DocumentUrl.url).in_(chunk))))
    return found


def save_document(engine: Engine, *, url: str, source_id: Optional[int], text: str,
                  title: Optional[str], published_at: Optional[datetime], kind: str = "article",
                  language: Optional[str] = None, meta: Optional[dict[str, Any]] = None,
                  other_urls: Iterable[str] = ()) -> tuple[Document, bool]:
    """Store a document once; a copy (same URL or same text) only records its URL.

    Returns the stored document and whether it is new. Commits on its own.
    """
    (saved,) = save_documents(engine, [dict(url=url, source_id=source_id, text=text, title=title,
                                            published_at=published_at, kind=kind, language=language, meta=meta,
                                            other_urls=other_urls)])
    return saved


def save_documents(engine: Engine, documents: list[dict[str, Any]]) -> list[tuple[Document, bool]]:
    """save_document() for each of `documents` (its keyword arguments), in one transaction:
    a feed's entries are stored together (a commit costs more than the rows on SQLite), and
    all or none of them are there after a crash."""
    prepared = [_prepared(**d) for d in documents]
    if not prepared:
        return []
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                return [_save_in(conn, urls, digest, fields) for urls, digest, fields in prepared]
        except IntegrityError:
            # A key the inserts below do not cover (they skip rows whose URL is taken): read
            # again, and this time find and keep the other writer's row.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _prepared(*, url: str, source_id: Optional[int], text: str, title: Optional[str],
              published_at: Optional[datetime], kind: str = "article", language: Optional[str] = None,
              meta: Optional[dict[str, Any]] = None,
              other_urls: Iterable[str] = ()) -> tuple[list[str], str, dict[str, Any]]:
    digest = content_hash(text + "\n" + (title or ""))
    urls = list(dict.fromkeys([url, *[u for u in other_urls if u]]))
    fields = dict(url=url, source_id=source_id, kind=kind, title=title, published_at=published_at,
                  language=language, text=text, content_hash=digest, meta=meta or {})
    return urls, digest, fields


def _save_in(conn: Connection, urls: list[str], digest: str, fields: dict[str, Any]) -> tuple[Document, bool]:
    # SQLAlchemy Core rather than the ORM, with statements built once (_lookups): a crawl
    # stores tens of thousands of documents, and building a statement costs more than running it.
    docs, links = table_of(Document), table_of(DocumentUrl)
    by_url, by_hash, url_taken, by_own_url = _lookups()
    source_id = fields["source_id"]
    now = datetime.now(UTC)
    row = conn.execute(by_url, {"urls": urls}).first() or conn.execute(by_hash, {"digest": digest}).first()
    new = row is None
    if row is None:
        values = {**fields, "fetched_at": now}
        doc_id = insert_new(conn, docs, values)
        if doc_id is None:  # another process stored this URL since the read above: keep theirs
            new = False
            row = conn.execute(by_own_url, {"url": fields["url"]}).first()
            assert row is not None, "a document conflicted on its URL but is not there"
        else:
            doc = Document(id=doc_id, **values)
            if _new_document_hook is not None:
                _new_document_hook(conn, doc_id)
    if row is not None:
        doc = Document(**dict(row._mapping))
    have = set(conn.execute(url_taken, {"urls": urls}).scalars())
    for u in urls:
        if u not in have:
            insert_new(conn, links, {"document_id": doc.id, "url": u, "source_id": source_id, "seen_at": now})
    return doc, new


@functools.lru_cache(maxsize=1)
def _lookups() -> tuple[Any, Any, Any, Any]:
    """_save_in's reads: a document by any of its URLs, by its text, which of the URLs are
    recorded, and a document by its own URL."""
    docs, links = table_of(Document), table_of(DocumentUrl)
    urls: Any = bindparam("urls", expanding=True)
    return (sa_select(docs).join(links, links.c.document_id == docs.c.id).where(links.c.url.in_(urls)).limit(1),
            sa_select(docs).where(docs.c.content_hash == bindparam("digest")).limit(1),
            sa_select(links.c.url).where(links.c.url.in_(bindparam("urls", expanding=True))),
            sa_select(docs).where(docs.c.url == bindparam("url")))


def pending_documents(engine: Engine, version: str, everything: bool,
                      only: Optional[Iterable[int]] = None) -> list[int]:
    """Ids of the documents extraction `version` has not read (all with `everything`), of `only` if given."""
    q = select(id_col(Document.id)).order_by(col(Document.id))
    if only is not None:
        q = q.where(col(Document.id).in_(list(only)))
    if not everything:
        q = q.where(or_(col(Document.extractor_version).is_(None), col(Document.extractor_version) != version))
    with Session(engine) as s:
        return list(s.exec(q))


def unread_documents(engine: Engine, shard: int, shards: int, limit: int,
                     skip: Iterable[int] = ()) -> list[int]:
    """Up to `limit` ids of the documents no extraction has read yet (a new document, or one an
    upgrade asked to read again) whose id is `shard` modulo `shards`, oldest first; `skip` left out.

    On PostgreSQL it first waits for the transactions still storing documents of this shard
    (the shared lock of shard_of_new_document): a document whose job was refused as "already
    queued" by the very job reading now is committed, and read, before that job can end."""
    t = table_of(Document)
    q = (sa_select(t.c.id).where(t.c.extractor_version.is_(None), t.c.id % shards == shard)
         .order_by(t.c.id).limit(limit))
    if skip:
        q = q.where(t.c.id.not_in(list(skip)))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sql_text("SELECT pg_advisory_xact_lock(hashtext('radar:unread:' || current_schema()), :s)"),
                         {"s": shard})
        return list(conn.execute(q).scalars())


def shard_of_new_document(conn: Connection, document_id: int, shards: int) -> int:
    """The shard of a document being stored, held (PostgreSQL: a shared lock, until the storing
    transaction ends) so that unread_documents of that shard waits for it; see there."""
    shard = document_id % shards
    if conn.dialect.name == "postgresql":
        conn.execute(sql_text("SELECT pg_advisory_xact_lock_shared(hashtext('radar:unread:' || current_schema()), :s)"),
                     {"s": shard})
    return shard


def extracted_documents(engine: Engine) -> list[int]:
    """Ids of the documents extraction has read, in order."""
    with Session(engine) as s:
        return list(s.exec(select(id_col(Document.id)).where(col(Document.extracted_at).is_not(None))
                           .order_by(col(Document.id))))


def documents(engine: Engine, ids: Iterable[int]) -> list[Document]:
    """These documents, in the order given; ids no longer stored are left out."""
    with Session(engine, expire_on_commit=False) as s:
        return [d for d in (s.get(Document, i) for i in ids) if d is not None]


def serialize_extraction(session: Session) -> bool:
    """On PostgreSQL, wait until no other transaction is writing organizations or aliases for
    extraction, and hold that until this one ends; True there. False on SQLite, whose one writer
    is serial already."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    lock = "SELECT pg_advisory_xact_lock(hashtext('radar:extract:' || current_schema()))"
    session.connection().execute(sql_text(lock))
    return True


def mark_extracted(session: Session, document_id: Optional[int], version: str) -> None:
    """The document has been read by extraction `version` (in the transaction storing what it gave)."""
    row = session.get(Document, document_id)
    assert row is not None
    row.extracted_at, row.extractor_version = datetime.now(UTC), version
    session.add(row)


def count(engine: Engine, model: Any) -> int:
    """How many rows a table holds."""
    with Session(engine) as s:
        return s.exec(select(sa_func.count()).select_from(model)).one()
