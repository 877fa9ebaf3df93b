"""Webhook: POST JSON batches of events to a URL, signed with HMAC-SHA256, retried with backoff.

Each event's id is derived from the record's id and fingerprint: a retried or repeated
delivery of the same facts carries the same id, so the receiver can drop duplicates.
The signature header is `X-Radar-Signature: sha256=<hex HMAC of the raw body>`; the
receiver recomputes it with the shared secret and compares in constant time.
"""
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from radar.export.http import ApiClient
from radar.export.records import ExportSet, Item, item, stable_id
from radar.export.state import ExportState

SIGNATURE_HEADER = "X-Radar-Signature"
DELIVERY_HEADER = "X-Radar-Delivery"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute and compare in constant time."""
    return hmac.compare_digest(sign(secret, body), header or "")


def items(data: ExportSet) -> list[Item]:
    out = []
    for o in data.orgs:
        it = item(o.key, "organization.ranked", o.as_json(), facts=o.facts())
        it.payload = {"id": f"{o.uid}:{it.digest[:16]}", "type": "organization.ranked", "data": o.as_json()}
        out.append(it)
    return out


def batch_body(chosen: list[Item]) -> tuple[str, bytes]:
    events = [i.payload for i in chosen]
    # The delivery id depends only on the events: a retried batch is the same delivery.
    delivery = stable_id("delivery", ",".join(e["id"] for e in events))
    doc: dict[str, Any] = {"delivery": delivery, "sent_at": datetime.now(UTC).isoformat(), "events": events}
    return delivery, json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")


def deliver(client: ApiClient, state: ExportState, secret: str, chosen: list[Item], batch: int = 50) -> int:
    """Send events in batches; each accepted batch is recorded before the next is sent."""
    sent = 0
    for start in range(0, len(chosen), batch):
        chunk = chosen[start:start + batch]
        delivery, body = batch_body(chunk)
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body), DELIVERY_HEADER: delivery}
        client.request("POST", "", content=body, headers=headers)
        state.mark((i.key, i.digest, i.payload["id"]) for i in chunk)
        sent += len(chunk)
    return sent
