"""Twenty CRM: CSV import files, and a push through Twenty's REST API.

CSV: companies first (keyed by domain, "Domain / Domain URL" as https://domain), then
people linked by a companyDomain column, as Twenty's import guide asks.
Push: POST /rest/batch/{companies,people,notes}?upsert=true with at most 60 records per
call and at most 100 calls a minute (Twenty's documented limits). Companies upsert on
their domain, people on their email, and anything pushed before carries the id Twenty
gave it, so a re-push updates. Notes are linked to their company through noteTargets.
"""
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Optional

from radar.errors import RadarError
from radar.export import files
from radar.export.http import ApiClient
from radar.export.records import ExportSet, Item, OrgRecord, PersonRecord, SignalRecord, item, stable_id
from radar.export.state import ExportState

logger = logging.getLogger(__name__)
BATCH = 60
COMPANY_COLUMNS = ["name", "Domain / Domain URL", "Address / City"]
PEOPLE_COLUMNS = ["firstName", "lastName", "email", "jobTitle", "companyDomain"]
FILES = {"companies": "twenty-1-companies.csv", "people": "twenty-2-people.csv"}


# ---------------------------------------------------------------- CSV files

def csv_items(data: ExportSet) -> list[Item]:
    items = [item(o.key, "companies", {"name": o.name, "Domain / Domain URL": o.website or "",
                                      "Address / City": o.location or ""}) for o in data.orgs]
    items += [item(p.key, "people", {"firstName": p.first_name, "lastName": p.last_name, "email": p.email or "",
                                     "jobTitle": p.title or "",
                                     "companyDomain": f"https://{p.org_domain}" if p.org_domain else ""})
              for p in data.people]
    return items


def write_csv_files(items: list[Item], folder: Path) -> list[Path]:
    """Companies file first: people reference companies that must exist when they are imported."""
    return files.write_csv_files(items, folder, [("companies", COMPANY_COLUMNS, FILES["companies"]),
                                                 ("people", PEOPLE_COLUMNS, FILES["people"])])


# ---------------------------------------------------------------- REST push

def company_body(o: OrgRecord) -> dict[str, Any]:
    body: dict[str, Any] = {"name": o.name}
    if o.domain:
        body["domainName"] = {"primaryLinkUrl": o.website, "primaryLinkLabel": o.domain}
    return body


def person_body(p: PersonRecord) -> dict[str, Any]:
    body: dict[str, Any] = {"name": {"firstName": p.first_name, "lastName": p.last_name}}
    if p.email:
        body["emails"] = {"primaryEmail": p.email}
    if p.title:
        body["jobTitle"] = p.title
    return body


def note_body(s: SignalRecord, org_name: str) -> dict[str, Any]:
    # Notes have no natural key in Twenty: radar gives each its stable id, so a re-push upserts it.
    title = f"{org_name}: {s.type.replace('_', ' ')} on {s.date.isoformat()}"
    return {"id": s.uid, "title": title[:200], "bodyV2": {"markdown": s.note.replace("\nSource: ", "\n\nSource: ")}}


def push_items(data: ExportSet) -> list[Item]:
    """Everything a push sends, in dependency order: companies, people, notes, then the notes' links to companies."""
    items = [item(o.key, "companies", company_body(o)) for o in data.orgs]
    items += [item(p.key, "people", person_body(p), refs={"companyId": f"org:{p.org_uid}"}) for p in data.people]
    for o in data.orgs:
        for s in o.signals:
            items.append(item(s.key, "notes", note_body(s, o.name)))
            target = {"id": stable_id("notetarget", s.uid), "noteId": s.uid}
            items.append(item(f"notetarget:{s.uid}", "noteTargets", target, refs={"companyId": o.key}))
    return items


def _records(response_json: Any) -> list[dict[str, Any]]:
    """The records in a batch answer: {"data": {"createCompanies" | "companies": [...]}}."""
    data = response_json.get("data") if isinstance(response_json, dict) else None
    if isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list):
                return value
    raise RadarError("Twenty answered a batch without a list of records; is the URL a Twenty server's base URL?")


def _chunks(items: list[Item], size: int) -> Iterable[list[Item]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class TwentyPush:
    """One push run: resolves references to Twenty ids as they become known, marks each batch sent."""

    def __init__(self, client: ApiClient, state: ExportState, batch: int = BATCH):
        self.client, self.state, self.batch = client, state, min(batch, BATCH)

    def body(self, it: Item) -> Optional[dict[str, Any]]:
        """The record to send, with the Twenty ids it refers to; None when a reference is unknown."""
        body = dict(it.payload)
        known = self.state.external_id(it.key)
        if known and "id" not in body:
            body["id"] = known
        for field_name, key in it.refs.items():
            target = self.state.external_id(key)
            if target:
                body[field_name] = target
            elif it.kind == "noteTargets":
                return None
        return body

    def send(self, kind: str, items: list[Item]) -> int:
        sent = 0
        for chunk in _chunks(items, self.batch):
            pairs = [(it, b) for it in chunk if (b := self.body(it)) is not None]
            if len(pairs) < len(chunk):
                logger.warning("twenty: %d %s left out: their company has no Twenty id", len(chunk) - len(pairs), kind)
            if not pairs:
                continue
            response = self.client.request("POST", f"/rest/batch/{kind}", params={"upsert": "true"},
                                           json=[b for _, b in pairs])
            records = _records(response.json())
            if len(records) != len(pairs):
                raise RadarError(f"Twenty answered {len(records)} {kind} for a batch of {len(pairs)}; "
                                 "nothing of this batch was recorded")
            self.state.mark((it.key, it.digest, str(rec.get("id") or "") or None)
                            for (it, _), rec in zip(pairs, records, strict=True))
            sent += len(pairs)
        return sent

    def run(self, items: list[Item]) -> dict[str, int]:
        counts = {}
        for kind in ("companies", "people", "notes", "noteTargets"):
            chosen = [i for i in items if i.kind == kind]
            counts[kind] = self.send(kind, chosen) if chosen else 0
        return counts
