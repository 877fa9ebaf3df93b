"""Store functions: the only place the stages read and write rows.

Each write is a short transaction so a crash loses nothing already committed and the CLI
can read while `radar serve` writes.
"""
import functools
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, Optional

from sqlalchemy import bindparam, func
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from radar.db import insert_new, session_scope
from radar.models import CrawlRun, DigestRun, Document, DocumentUrl, ServiceJob, Source, table_of
from radar.settings import SourceEntry

logger = logging.getLogger(__name__)

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


def sync_sources(engine: Engine, entries: Iterable[SourceEntry], origin: str = "config",
                 reenable: bool = True) -> list[Source]:
    """Create or update sources from config entries, keeping their HTTP state and health.

    With reenable=False a source the user switched off (`radar sources remove`) stays off.
    """
    out = []
    with Session(engine, expire_on_commit=False) as s:
        for entry in entries:
            # Two processes starting at once both add a new source: the database keeps one.
            fresh = Source(name=entry.name, url=entry.url, kind=entry.kind, origin=origin)
            created = insert_new(s, table_of(Source), fresh.model_dump(exclude={"id"})) is not None
            src = s.exec(select(Source).where(Source.name == entry.name)).one()
            if not created and src.url != entry.url:
                # A new URL has new validators: the old ETag would wrongly answer 304.
                src.url, src.etag, src.last_modified = entry.url, None, None
            src.kind = entry.kind
            src.fetch_articles = entry.fetch_articles
            src.industries = list(entry.industries)
            src.interval_minutes = entry.interval_minutes
            if reenable or created:
                src.enabled = True
            s.add(src)
            out.append(src)
        s.commit()
    return out


def list_sources(engine: Engine, names: Optional[list[str]] = None) -> list[Source]:
    with Session(engine) as s:
        q = select(Source).order_by(Source.name)
        if names:
            q = q.where(col(Source.name).in_(names))
        return list(s.exec(q))


def get_source(engine: Engine, source_id: int) -> Optional[Source]:
    with Session(engine, expire_on_commit=False) as s:
        return s.get(Source, source_id)


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


def remove_source(engine: Engine, name: str) -> str:
    """Delete a source, or switch it off when documents refer to it; returns what was done."""
    with Session(engine) as s:
        src = s.exec(select(Source).where(Source.name == name)).first()
        if src is None:
            return "missing"
        used = s.exec(select(Document.id).where(Document.source_id == src.id)).first() is not None or \
            s.exec(select(DocumentUrl.id).where(DocumentUrl.source_id == src.id)).first() is not None
        if used or src.origin == "catalog":
            src.enabled = False
            s.add(src)
            s.commit()
            return "disabled"
        for run in s.exec(select(CrawlRun).where(CrawlRun.source_id == src.id)):
            s.delete(run)
        s.delete(src)
        s.commit()
        return "deleted"


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


def record_fetch(engine: Engine, source_id: int, *, ok: bool, status: Optional[int],
                 error: Optional[str] = None, etag: Optional[str] = None,
                 last_modified: Optional[str] = None, keep_validators: bool = False,
                 next_fetch: Optional[Callable[[Source], datetime]] = None,
                 run: Optional[CrawlRun] = None) -> Source:
    """Update a source's health and HTTP validators after a fetch, in one transaction.

    `next_fetch` computes the next fetch time from the updated source; `run` is the
    crawl_run row recorded alongside.
    """
    with Session(engine, expire_on_commit=False) as s:
        src = s.get(Source, source_id)
        assert src is not None
        now = datetime.now(UTC)
        src.last_status = status
        src.last_fetched_at = now
        if ok:
            src.consecutive_failures = 0
            src.last_error = None
            if not keep_validators:
                src.etag, src.last_modified = etag, last_modified
        else:
            src.consecutive_failures += 1
            src.last_error = (error or "")[:2000]
        if next_fetch is not None:
            src.next_fetch_at = next_fetch(src)
        s.add(src)
        if run is not None:
            run.source_id, run.finished_at = source_id, now
            s.add(run)
        s.commit()
        return src


def count(engine: Engine, model: Any) -> int:
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def set_next_fetch(engine: Engine, source_id: int, when: datetime) -> None:
    with Session(engine) as s:
        src = s.get(Source, source_id)
        if src is not None:
            src.next_fetch_at = when
            s.add(src)
            s.commit()


def latest_digest(engine: Engine, week: Optional[str] = None, profile: Optional[str] = None) -> Optional[DigestRun]:
    """The newest digest run (of that ISO week, and of that profile, if given); None when there is none."""
    with Session(engine, expire_on_commit=False) as s:
        q = select(DigestRun).order_by(col(DigestRun.created_at).desc(), col(DigestRun.id).desc())
        if week:
            q = q.where(DigestRun.iso_week == week)
        if profile:
            q = q.where(DigestRun.profile == profile)
        return s.exec(q).first()


def job_started(engine: Engine, job_id: str) -> None:
    """A service job began: counted, marked running (radar status shows it)."""
    with session_scope(engine) as s:
        row = s.get(ServiceJob, job_id) or ServiceJob(job_id=job_id)
        row.last_started_at, row.last_status, row.runs = datetime.now(UTC), "running", row.runs + 1
        s.add(row)


def job_finished(engine: Engine, job_id: str, status: str, error: Optional[str], detail: str) -> None:
    """A service job ended with `status` (ok, failed, ...); failures are counted."""
    with session_scope(engine) as s:
        row = s.get(ServiceJob, job_id) or ServiceJob(job_id=job_id, runs=1)
        row.last_finished_at, row.last_status = datetime.now(UTC), status
        row.last_error, row.last_detail = error, detail or None
        row.failures += status == "failed"
        s.add(row)


def job_runs(engine: Engine) -> dict[str, ServiceJob]:
    """Each service job's last run, by job id."""
    with Session(engine) as s:
        return {j.job_id: j for j in s.exec(select(ServiceJob))}
