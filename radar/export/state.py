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

from radar import store


@dataclass
class Sent:
    content_hash: str
    external_id: Optional[str]


class ExportState:
    """The memory of one export target (hubspot, twenty, monica, vcard, jsonl, webhook)."""

    def __init__(self, engine: Engine, target: str):
        self.engine, self.target = engine, target
        self.sent: dict[str, Sent] = {r.item_key: Sent(r.content_hash, r.external_id)
                                      for r in store.sent_items(engine, target)}

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
        store.mark_sent(self.engine, self.target, items, datetime.now(UTC))
        for key, digest, ext in items:
            self.sent[key] = Sent(digest, ext or self.external_id(key))

