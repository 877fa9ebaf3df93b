"""Sources: what the radar reads, with their HTTP validators, health and next fetch time."""
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Optional

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from radar.db import insert_new
from radar.models import CrawlRun, Document, DocumentUrl, Source, table_of
from radar.settings import SourceEntry


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


def set_next_fetch(engine: Engine, source_id: int, when: datetime) -> None:
    with Session(engine) as s:
        src = s.get(Source, source_id)
        if src is not None:
            src.next_fetch_at = when
            s.add(src)
            s.commit()
