"""What an export sends: ranked organizations, their signals and the people worth knowing there.

Pure records with stable ids (UUIDv5 of a natural key), so a re-import updates a record
rather than duplicating it, and a fingerprint of each record's facts, so an incremental
export resends it only when the facts change (not when its score merely decays).
"""
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.entities.normalize import domain_of, normalize_name
from radar.models import Contact
from radar.rank.score import Ranked
from radar.settings import Settings

# Fixed namespace: ids must not change between radar versions or machines.
NAMESPACE = uuid.UUID("7f3c2a1e-5b8d-4e6f-9a0b-1c2d3e4f5a6b")
SUMMARY_MAX = 600


def stable_id(kind: str, natural_key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{natural_key}"))


def fingerprint(facts: Any) -> str:
    """A hash of the facts of a record; equal facts give equal hashes across runs and machines."""
    blob = json.dumps(facts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass
class SignalRecord:
    uid: str
    signal_id: int
    org_uid: str
    type: str
    subtype: Optional[str]
    date: date
    confidence: float
    evidence: str
    title: Optional[str]
    url: Optional[str]
    mentions: int
    contribution: float = 0.0
    factors: dict[str, float] = field(default_factory=dict)
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"signal:{self.uid}"

    @property
    def summary(self) -> str:
        """One line for a CRM note: what happened, when, and the evidence sentence."""
        label = self.type.replace("_", " ")
        head = f"{label} ({self.subtype})" if self.subtype else label
        text = f"{head} on {self.date.isoformat()}: {' '.join(self.evidence.split())}"
        return text if len(text) <= SUMMARY_MAX else text[: SUMMARY_MAX - 1] + "…"

    @property
    def note(self) -> str:
        return f"{self.summary}\nSource: {self.url}" if self.url else self.summary

    def facts(self) -> dict[str, Any]:
        return {"type": self.type, "subtype": self.subtype, "date": self.date.isoformat(),
                "confidence": self.confidence, "evidence": self.evidence, "title": self.title, "url": self.url,
                "mentions": self.mentions}


@dataclass
class OrgRecord:
    uid: str
    organization_id: int
    name: str
    domain: Optional[str]
    industries: list[str]
    location: Optional[str]
    rank: int
    score: float
    factors: dict[str, float]
    why_now: str
    signals: list[SignalRecord] = field(default_factory=list)
    brief: list[dict[str, Any]] = field(default_factory=list)
    warm_paths: list[dict[str, Any]] = field(default_factory=list)
    recruiters: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"org:{self.uid}"

    @property
    def website(self) -> Optional[str]:
        return f"https://{self.domain}" if self.domain else None

    def facts(self) -> dict[str, Any]:
        return {"name": self.name, "domain": self.domain, "industries": self.industries, "location": self.location,
                "signals": sorted(fingerprint(s.facts()) for s in self.signals), "brief": self.brief,
                "warm_paths": self.warm_paths, "recruiters": self.recruiters}

    def as_json(self) -> dict[str, Any]:
        """The organization as one JSON record (jsonl and webhook)."""
        return {"id": self.uid, "type": "organization", "name": self.name, "domain": self.domain,
                "industries": self.industries, "location": self.location, "rank": self.rank, "score": self.score,
                "factors": self.factors, "why_now": self.why_now, "brief": _plain(self.brief),
                "warm_paths": _plain(self.warm_paths), "recruiters": _plain(self.recruiters),
                "signals": [_plain(_signal_json(s)) for s in self.signals]}


def _plain(value: Any) -> Any:
    """`value` with dates as ISO strings: the ranker's brief, warm paths and recruiters carry `date`s,
    which json.dumps (jsonl file, webhook body) refuses."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _signal_json(s: SignalRecord) -> dict[str, Any]:
    d = asdict(s)
    d["id"] = d.pop("uid")
    d.pop("org_uid")
    d["date"] = s.date.isoformat()
    d["summary"] = s.summary
    return d


@dataclass
class PersonRecord:
    uid: str
    full_name: str
    first_name: str
    last_name: str
    org_uid: str
    org_name: str
    org_domain: Optional[str]
    title: Optional[str] = None
    email: Optional[str] = None
    url: Optional[str] = None
    origin: str = "warm_path"  # warm_path or leadership_change
    notes: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"person:{self.uid}"

    @property
    def categories(self) -> list[str]:
        return ["radar", "warm path" if self.origin == "warm_path" else "leadership change"]

    def facts(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("uid")
        return d


@dataclass
class ExportSet:
    orgs: list[OrgRecord]
    people: list[PersonRecord]

    @property
    def signals(self) -> list[SignalRecord]:
        return [s for o in self.orgs for s in o.signals]

    def org(self, uid: str) -> Optional[OrgRecord]:
        return next((o for o in self.orgs if o.uid == uid), None)


def split_name(full: str) -> tuple[str, str]:
    """'Dana M. Reyes' -> ('Dana M.', 'Reyes'); a single word is a first name."""
    parts = full.split()
    if len(parts) <= 1:
        return (parts[0] if parts else ""), ""
    return " ".join(parts[:-1]), parts[-1]


def org_record(rank: int, r: Ranked) -> OrgRecord:
    org = r.org
    uid = stable_id("org", org.domain or normalize_name(org.name))
    signals = [SignalRecord(stable_id("signal", f"{uid}:{c.signal.id}"), c.signal.id, uid, c.signal.type,
                            c.signal.subtype, c.signal.event_date, c.signal.confidence, c.signal.evidence, None,
                            c.signal.url, c.signal.mentions, round(c.value, 4), dict(c.factors),
                            dict(c.signal.attributes))
               for c in r.contributions]
    return OrgRecord(uid, org.id, org.name, domain_of(org.domain) if org.domain else None,
                     list(org.industries), org.location, rank, r.score, dict(r.factors), r.why_now, signals,
                     list(r.brief), list(r.warm_paths), list(r.recruiters))



def leadership_people(o: OrgRecord) -> list[PersonRecord]:
    """People named by leadership-change signals: someone new in a role is worth a note."""
    out = []
    for s in o.signals:
        name = str(s.attributes.get("person") or "").strip()
        if s.type != "leadership_change" or not name:
            continue
        first, last = split_name(name)
        title = str(s.attributes.get("title") or "").strip() or None
        out.append(PersonRecord(stable_id("person", f"{normalize_name(name)}|{o.uid}"), name, first, last, o.uid,
                                o.name, o.domain, title=title, url=s.url, origin="leadership_change", notes=[s.note]))
    return out


def warm_people(o: OrgRecord, contacts: Mapping[Optional[int], Contact]) -> list[PersonRecord]:
    """The user's own contacts at the organization, and the ranking's warm paths into it.

    Warm paths carry the contact's id, so a person known both ways is one record with the
    email of their contact row (HubSpot and Twenty key people by email).
    """
    out = []
    direct = [c for c in contacts.values() if c.organization_id == o.organization_id]
    seen = {c.id for c in direct}
    for c in direct:
        out.append(_person(o, c, f"Works at {o.name}, ranked #{o.rank} by radar: {o.why_now}"))
    for w in o.warm_paths:
        name = str(w.get("name") or "").strip()
        contact = contacts.get(w.get("contact_id"))
        if not name or (contact is not None and contact.id in seen):
            continue
        via = f" (via {w['via']})" if w.get("via") else ""
        note = f"Warm path into {o.name}{via}, ranked #{o.rank} by radar: {o.why_now}"
        if contact is not None:
            seen.add(contact.id)
            out.append(_person(o, contact, note))
            continue
        first, last = split_name(name)
        out.append(PersonRecord(stable_id("person", f"{normalize_name(name)}|{o.uid}"), name, first, last, o.uid,
                                o.name, o.domain, title=w.get("position"), email=w.get("email"), notes=[note]))
    return out


def _person(o: OrgRecord, c: Contact, note: str) -> PersonRecord:
    first, last = (c.first_name or "", c.last_name or "") if (c.first_name or c.last_name) else split_name(c.full_name)
    key = (c.email or "").lower() or f"{normalize_name(c.full_name)}|{o.uid}"
    return PersonRecord(stable_id("person", key), c.full_name, first, last, o.uid, o.name, o.domain, title=c.position,
                        email=c.email, url=c.url, notes=[note])


def dedupe_people(people: Iterable[PersonRecord]) -> list[PersonRecord]:
    seen: dict[str, PersonRecord] = {}
    for p in people:
        if p.uid in seen:
            seen[p.uid].notes.extend(n for n in p.notes if n not in seen[p.uid].notes)
            seen[p.uid].email = seen[p.uid].email or p.email
            seen[p.uid].title = seen[p.uid].title or p.title
        else:
            seen[p.uid] = p
    return list(seen.values())


def gather(engine: Engine, settings: Settings, today: date, limit: int = 100) -> ExportSet:
    """The export set: the top `limit` ranked organizations, their signals, and the people there."""
    from radar.rank.world import top

    ranked = top(engine, settings, today, limit=limit)
    orgs = [org_record(i, r) for i, r in enumerate(ranked, 1)]
    by_id = {o.organization_id: o for o in orgs}
    extra = store.signal_titles(engine, [sig.signal_id for o in orgs for sig in o.signals])
    wanted = {w.get("contact_id") for o in orgs for w in o.warm_paths} - {None}
    contacts = store.contacts_of(engine, list(by_id), list(wanted), settings.profile_key) if by_id else {}
    for o in orgs:
        for sig in o.signals:
            key, sig.title = extra.get(sig.signal_id, (None, None))
            if key:  # the event key survives re-extraction; the row id may not
                sig.uid = stable_id("signal", key)
    people: list[PersonRecord] = []
    for o in orgs:
        people += leadership_people(o)
        people += warm_people(o, contacts)
    return ExportSet(orgs, dedupe_people(people))


@dataclass
class Item:
    """One record as a target sends it: its key in export_item, its payload and the hash of what counts as a change."""

    key: str
    kind: str
    payload: dict[str, Any]
    digest: str
    # Sent once and never updated (HubSpot cannot update notes by import).
    once: bool = False
    # Keys this item refers to (a note's company): pushes resolve them to external ids.
    refs: dict[str, str] = field(default_factory=dict)


def item(key: str, kind: str, payload: dict[str, Any], facts: Any = None, **kw: Any) -> Item:
    return Item(key, kind, payload, fingerprint(payload if facts is None else facts), **kw)
