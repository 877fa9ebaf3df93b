"""Export state: what each export target accepted (export_item) and each run (export_run)."""
from datetime import UTC, datetime
from typing import Optional

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from radar.models import ExportItem, ExportRun


def sent_items(engine: Engine, target: str) -> list[ExportItem]:
    """Everything `target` has accepted so far."""
    with Session(engine) as s:
        return list(s.exec(select(ExportItem).where(ExportItem.target == target)))


def mark_sent(engine: Engine, target: str, items: list[tuple[str, str, Optional[str]]], when: datetime) -> None:
    """Record (key, content hash, external id) as accepted by `target` at `when`, in one
    transaction; an item without an external id keeps the one it had."""
    with Session(engine) as s:
        keys = [k for k, _, _ in items]
        existing = {r.item_key: r for r in s.exec(select(ExportItem).where(ExportItem.target == target,
                                                                           col(ExportItem.item_key).in_(keys)))}
        for key, digest, ext in items:
            row = existing.get(key) or ExportItem(target=target, item_key=key, content_hash=digest)
            row.content_hash, row.sent_at = digest, when
            row.external_id = ext or row.external_id
            s.add(row)
        s.commit()


def start_export(engine: Engine, target: str, destination: Optional[str]) -> int:
    """Record the run before anything is sent, so a crash leaves a trace."""
    with Session(engine) as s:
        run = ExportRun(target=target, destination=destination)
        s.add(run)
        s.commit()
        return run.id  # type: ignore[return-value]  # set by the commit


def finish_export(engine: Engine, run_id: int, status: str, records: int, error: Optional[str] = None,
                  destination: Optional[str] = None) -> None:
    with Session(engine) as s:
        run = s.get(ExportRun, run_id)
        if run is None:
            return
        run.status, run.records, run.error = status, records, (error or None)
        run.destination = destination or run.destination
        run.finished_at = datetime.now(UTC)
        s.add(run)
        s.commit()

