"""Incremental export state: what each target last sent, in the export_item and export_run tables.

A record is marked sent only after the target accepted it (file written, batch answered
2xx), one short transaction per batch: a crash or a retry never loses what was sent and
never sends an accepted batch twice.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Optional

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from radar.models import ExportItem, ExportRun


@dataclass
class Sent:
    content_hash: str
    external_id: Optional[str]


class ExportState:
    """The memory of one export target (hubspot, twenty, monica, vcard, jsonl, webhook)."""

    def __init__(self, engine: Engine, target: str):
        self.engine, self.target = engine, target
        with Session(engine) as s:
            rows = s.exec(select(ExportItem).where(ExportItem.target == target))
            self.sent: dict[str, Sent] = {r.item_key: Sent(r.content_hash, r.external_id) for r in rows}

    def is_new_or_changed(self, key: str, content_hash: str) -> bool:
        prev = self.sent.get(key)
        return prev is None or prev.content_hash != content_hash

    def was_sent(self, key: str) -> bool:
        return key in self.sent

    def external_id(self, key: str) -> Optional[str]:
        prev = self.sent.get(key)
        return prev.external_id if prev else None

    def mark(self, items: Iterable[tuple[str, str, Optional[str]]]) -> None:
        """Record (key, content hash, external id) as accepted by the target, in one transaction."""
        items = list(items)
        if not items:
            return
        now = datetime.now(UTC)
        with Session(self.engine) as s:
            keys = [k for k, _, _ in items]
            existing = {r.item_key: r for r in s.exec(select(ExportItem).where(ExportItem.target == self.target,
                                                                               col(ExportItem.item_key).in_(keys)))}
            for key, digest, ext in items:
                row = existing.get(key) or ExportItem(target=self.target, item_key=key, content_hash=digest)
                row.content_hash, row.sent_at = digest, now
                row.external_id = ext or row.external_id
                s.add(row)
            s.commit()
        for key, digest, ext in items:
            self.sent[key] = Sent(digest, ext or self.external_id(key))


def start_run(engine: Engine, target: str, destination: Optional[str]) -> int:
    """Record the run before anything is sent, so a crash leaves a trace."""
    with Session(engine) as s:
        run = ExportRun(target=target, destination=destination)
        s.add(run)
        s.commit()
        return run.id  # type: ignore[return-value]  # set by the commit


def finish_run(engine: Engine, run_id: int, status: str, records: int, error: Optional[str] = None,
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
