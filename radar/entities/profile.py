"""An organization's profile: the facts read about it (org_fact rows), the winner of each field,
and the organization's columns kept equal to the winners.

Which fact wins: a user's correction (`radar orgs set`) over anything crawled, whenever it was
crawled; among crawled facts, the most trusted reading (its confidence: an EDGAR header over
a boilerplate over a dateline), agreement between documents adding a little, then the newest.
A head count and a stage change over time: for them the newest trusted reading wins.
"""
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Optional, cast

from sqlalchemy import exists, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select

from radar.entities.facts import FIELDS, Event, Fact, Page, host_of, read_facts, registrable
from radar.entities.normalize import normalize_name
from radar.entities.sec import SecCompany
from radar.errors import UsageError
from radar.models import Document, OrgAlias, Organization, OrgFact, Source
from radar.vocabulary import ORG_STAGES, SIZES, size_band

logger = logging.getLogger(__name__)

CORROBORATION = 0.05  # per further document agreeing, at most three
NEWEST_FIRST = frozenset({"employees", "stage"})  # these change: the latest trusted reading wins
TRUSTED = 0.6  # below this a newer reading does not replace an older, surer one
MAX_INDUSTRIES = 3
USER_FIELDS = ("domain", "location", "size", "employees", "industry", "stage", "ticker", "cik")


@dataclass(frozen=True)
class Chosen:
    field: str
    value: str
    score: float
    origin: str  # user, crawled
    sources: int  # documents (or corrections) behind it


def _key(field: str, value: str) -> str:
    v = value.strip().lower()
    if field == "location":
        return v.split(",")[0].strip()  # "Toronto" and "Toronto, Ontario" agree
    return v


def resolve(facts: Sequence[OrgFact]) -> dict[str, list[Chosen]]:
    """The winning value(s) of each field: one per field, several industries."""
    by_field: dict[str, list[OrgFact]] = defaultdict(list)
    for f in facts:
        by_field[f.field].append(f)
    out: dict[str, list[Chosen]] = {}
    for name, rows in by_field.items():
        user = [f for f in rows if f.origin == "user"]
        if user:
            values = list(dict.fromkeys(f.value for f in sorted(user, key=lambda f: f.id or 0)))
            out[name] = [Chosen(name, v, 1.0, "user", 1) for v in values]
            continue
        groups: dict[str, list[OrgFact]] = defaultdict(list)
        for f in rows:
            groups[_key(name, f.value)].append(f)
        ranked = sorted((_group_choice(name, g) for g in groups.values()), key=lambda c: c[0], reverse=True)
        chosen = [c[1] for c in ranked]
        if name == "industry":
            out[name] = [c for c in chosen if c.score >= TRUSTED][:MAX_INDUSTRIES]
        elif chosen:
            out[name] = chosen[:1]
    return out


def _group_choice(field: str, group: list[OrgFact]) -> tuple[tuple[Any, ...], Chosen]:
    """A sort key and the value one group of agreeing facts stands for (its surest spelling)."""
    best = max(group, key=lambda f: (f.confidence, len(f.value)))
    docs = len({f.document_id for f in group})
    score = min(best.confidence + CORROBORATION * min(docs - 1, 3), 0.99)
    newest = max((f.observed_on or date.min) for f in group)
    if field in NEWEST_FIRST:
        newest_trusted = max(((f.observed_on or date.min) for f in group if f.confidence >= TRUSTED), default=date.min)
        key: tuple[Any, ...] = (newest_trusted, score, newest)
        best = max((f for f in group if (f.observed_on or date.min) == newest), key=lambda f: f.confidence)
    else:
        key = (round(score, 2), newest)
    return key, Chosen(field, best.value, round(score, 3), "crawled", docs)


def columns(chosen: dict[str, list[Chosen]]) -> dict[str, Any]:
    """The organization's columns from the winners (None where nothing is known)."""
    def one(name: str) -> Optional[str]:
        return chosen[name][0].value if chosen.get(name) else None

    employees = one("employees")
    count = int(employees) if employees and employees.isdigit() else None
    size = one("size") if chosen.get("size") and chosen["size"][0].origin == "user" else None
    if size is None and count is not None:
        size = size_band(count)
    sic = one("sic")
    return {"domain": one("domain"), "location": one("location"), "employees": count, "size": size,
            "stage": one("stage"), "ticker": one("ticker"), "sic": int(sic) if sic and sic.isdigit() else None,
            "industries": [c.value for c in chosen.get("industry", [])]}


def apply(session: Session, org: Organization) -> None:
    """Write the winners onto the organization. An organization without any fact keeps what
    it has (rows written by other means, such as the ranking fixture)."""
    facts = list(session.exec(select(OrgFact).where(OrgFact.organization_id == org.id)))
    if not facts:
        return
    values = columns(resolve(facts))
    if values["sic"] is None:
        values.pop("sic")  # a CIK or SIC read by the filing reader stays
    cik = next((c.value for c in resolve(facts).get("cik", [])), None)
    # A domain or CIK is one organization's (unique columns): when another holds it, the fact
    # stays recorded (`orgs show` prints it) and the column stays as it is.
    domain = values.pop("domain")
    for name, value in values.items():
        setattr(org, name, value)
    session.add(org)
    if domain != org.domain:
        _claim(session, org, "domain", domain)
    if cik and not org.cik:
        _claim(session, org, "cik", cik)


def _claim(session: Session, org: Organization, column: str, value: Optional[str]) -> None:
    """Write a unique column in one statement that yields when another organization holds the value,
    so no later flush of the session can break the constraint."""
    other = aliased(Organization)
    taken = exists().where(getattr(other, column) == value, col(other.id) != org.id)
    done = session.execute(update(Organization).where(col(Organization.id) == org.id, ~taken).values({column: value}))
    if cast(CursorResult[Any], done).rowcount:
        set_committed_value(org, column, value)


# ---- refreshing from documents ----------------------------------------------------------------

@dataclass(frozen=True)
class SourceInfo:
    kind: str
    url: str


def source_map(session: Session) -> tuple[dict[int, SourceInfo], frozenset[str]]:
    """Every source's kind and URL, and the registrable domains of the news sources (feeds read
    for their stories: their hosts are publishers, never an organization's site)."""
    sources = {s.id: SourceInfo(s.kind, s.url) for s in session.exec(select(Source)) if s.id is not None}
    news = frozenset(registrable(host_of(s.url)) for s in sources.values()
                     if s.kind in ("rss", "atom", "feed") and host_of(s.url))
    return sources, news


def page_of(doc: Document, sources: dict[int, SourceInfo], news_hosts: frozenset[str]) -> Page:
    src = sources.get(doc.source_id) if doc.source_id is not None else None
    # A company's own feed is read as its site: its host is not excluded as a publisher's here
    # (read_domain accepts a feed's host only when it spells the organization's name).
    own = registrable(host_of(src.url)) if src and src.kind in ("rss", "atom", "feed") else ""
    return Page(doc.text or "", doc.title or "", dict(doc.meta or {}), doc.kind, doc.url,
                src.kind if src else None, src.url if src else None, news_hosts - {own})


def record_document(session: Session, doc: Document, orgs: Iterable[Organization], events: Iterable[Event],
                    sources: dict[int, SourceInfo], news_hosts: frozenset[str],
                    filer: Optional[Organization] = None,
                    listed: Optional[Mapping[str, SecCompany]] = None, when: Optional[date] = None) -> set[int]:
    """Replace the crawled facts this document gave, read again for the organizations it names,
    and update each touched organization's columns; returns the organizations touched."""
    assert doc.id is not None
    old = list(session.exec(select(OrgFact).where(OrgFact.document_id == doc.id, OrgFact.origin == "crawled")))
    touched: dict[int, Organization] = {}
    for row in old:
        session.delete(row)
        o = session.get(Organization, row.organization_id)
        if o is not None and o.id is not None:
            touched[o.id] = o
    session.flush()
    page = page_of(doc, sources, news_hosts)
    when = when or (doc.published_at or doc.fetched_at or datetime.now(UTC)).date()
    evs = list(events)
    unique = {o.id: o for o in orgs if o.id is not None}
    if filer is not None and filer.id is not None:
        unique[filer.id] = filer
    for oid, org in unique.items():
        aliases = [a.alias for a in session.exec(select(OrgAlias).where(OrgAlias.organization_id == oid))]
        facts = read_facts(page, org.name, aliases, evs, filer=filer is not None and filer.id == oid)
        facts += listing_facts([org.name, *aliases], listed or {})
        for f in facts:
            session.add(_row(oid, f, doc, when))
        if facts:
            touched[oid] = org
    session.flush()
    for org in touched.values():
        apply(session, org)
    return set(touched)


def listing_facts(names: Sequence[str], listed: Mapping[str, SecCompany]) -> list[Fact]:
    """Ticker, CIK and 'public' for a name the SEC's company list holds exactly."""
    for n in names:
        c = listed.get(normalize_name(n))
        if c is not None:
            out = [Fact("cik", c.cik.lstrip("0"), 0.9, "SEC company list", c.name),
                   Fact("stage", "public", 0.8, "SEC company list", c.name)]
            return out + ([Fact("ticker", c.ticker, 0.9, "SEC company list", c.name)] if c.ticker else [])
    return []


def _row(org_id: int, f: Fact, doc: Document, when: date) -> OrgFact:
    return OrgFact(organization_id=org_id, field=f.field, value=f.value[:300], confidence=f.confidence,
                   origin="crawled", method=f.method[:200], evidence=f.evidence, document_id=doc.id, url=doc.url,
                   observed_on=when)


def filer_of(doc: Document, orgs: Iterable[Organization]) -> Optional[Organization]:
    """The organization a filing is by: its CIK, else its registrant's name among those found."""
    meta = doc.meta or {}
    formd: dict[str, Any] = meta["formd"] if isinstance(meta.get("formd"), dict) else {}
    cik = str(formd.get("cik") or meta.get("cik") or "").lstrip("0")
    company = formd.get("issuer") or meta.get("company")
    if not company and not cik:
        return None
    for o in orgs:
        if (cik and o.cik and o.cik.lstrip("0") == cik) or \
                (company and normalize_name(str(company)) == o.normalized):
            return o
    return None


_CAPITALISED = re.compile(r"(?<![\w&.'’-])(?:[A-Z0-9][\w&.'’-]*)(?:[ \t]+(?:[A-Z0-9][\w&.'’-]*|&|of|and|de|for))*")


def mentioned(text: str, by_norm: Mapping[str, int], limit: int = 40) -> list[int]:
    """Known organizations whose whole name (or alias) is written in the text, as a run of
    capitalised words ("Alcoa Inc.", "Volkswagen"), at most `limit`: their facts may be here
    even when no signal is."""
    found: dict[int, None] = {}
    for m in _CAPITALISED.finditer(text):
        span = m.group(0).rstrip(".,")
        key = normalize_name(span)
        if len(key) >= 3 and key in by_norm:
            found[by_norm[key]] = None
            if len(found) >= limit:
                break
    return list(found)


def registrant(resolver: Any, doc: Document) -> Optional[Organization]:
    """A filing's registrant among the known organizations (by CIK, else by name); never created."""
    meta = doc.meta or {}
    formd: dict[str, Any] = meta["formd"] if isinstance(meta.get("formd"), dict) else {}
    company = formd.get("issuer") or meta.get("company")
    cik = str(formd.get("cik") or meta.get("cik") or "") or None
    if not company and not cik:
        return None
    found: Optional[Organization] = resolver.find(str(company or ""), cik=cik)
    return found


# ---- the user's corrections --------------------------------------------------------------------

def parse_assignments(pairs: Sequence[str]) -> list[tuple[str, list[str]]]:
    """['domain=acme.com', 'industry=fintech,ai_software', 'location='] -> field and values
    (none: remove the correction). Raises UsageError naming the problem."""
    from radar.industries import check_industries

    out = []
    for pair in pairs:
        name, sep, raw = pair.partition("=")
        name = name.strip().lower()
        if not sep or name not in USER_FIELDS:
            raise UsageError(f"'{pair}' is not FIELD=VALUE with a field among {', '.join(USER_FIELDS)}; "
                             "e.g. domain=acme.com location=Toronto")
        values = [v.strip() for v in (raw.split(",") if name == "industry" else [raw]) if v.strip()]
        for v in values:
            _check(name, v, check_industries)
        if name == "domain":
            from radar.entities.normalize import domain_of

            values = [domain_of(v) for v in values]
        out.append((name, values))
    return out


def _check(name: str, value: str, check_industries: Any) -> None:
    if name == "industry":
        try:
            check_industries([value], "industry")
        except Exception as e:  # noqa: BLE001 - ConfigError's message names the valid industries
            raise UsageError(str(e)) from None
    elif name == "size" and value not in SIZES:
        raise UsageError(f"size '{value}' is not a band; use one of {', '.join(SIZES)} (or employees=NUMBER)")
    elif name == "employees" and not value.isdigit():
        raise UsageError(f"employees '{value}' is not a whole number; e.g. employees=120")
    elif name == "stage" and value not in ORG_STAGES:
        raise UsageError(f"stage '{value}' is unknown; use one of {', '.join(ORG_STAGES)}")
    elif name == "domain" and ("." not in value or " " in value.strip()):
        raise UsageError(f"domain '{value}' is not a domain; e.g. domain=acme.com")
    elif name == "cik" and not value.isdigit():
        raise UsageError(f"cik '{value}' is not a number; e.g. cik=320193")


def set_facts(session: Session, org: Organization, assignments: Sequence[tuple[str, list[str]]]) -> None:
    """Replace the user's corrections of the named fields (an empty list removes them)."""
    assert org.id is not None
    now = datetime.now(UTC)
    for name, values in assignments:
        for old in session.exec(select(OrgFact).where(OrgFact.organization_id == org.id, OrgFact.field == name,
                                                      OrgFact.origin == "user")):
            session.delete(old)
        for v in values:
            session.add(OrgFact(organization_id=org.id, field=name, value=v, confidence=1.0, origin="user",
                                method="set by you (radar orgs set)", observed_on=now.date(), recorded_at=now))
    session.flush()
    apply(session, org)
    if not session.exec(select(OrgFact.id).where(OrgFact.organization_id == org.id)).first():
        # Every correction removed and nothing crawled: nothing is known any more.
        for name, _ in assignments:
            column = {"industry": "industries"}.get(name, name)
            setattr(org, column, [] if column == "industries" else None)
        session.add(org)


def facts_of(session: Session, org_id: int) -> list[OrgFact]:
    return list(session.exec(select(OrgFact).where(OrgFact.organization_id == org_id)
                             .order_by(col(OrgFact.field), col(OrgFact.confidence).desc(), col(OrgFact.id))))


def fact_rows(facts: Sequence[OrgFact]) -> list[dict[str, Any]]:
    """Each fact with whether it is the winning value of its field, for `radar orgs show`."""
    chosen = resolve(facts)
    won = {(f, _key(f, c.value)) for f, cs in chosen.items() for c in cs}
    rows = []
    for f in facts:
        if f.origin != "user" and any(x.origin == "user" for x in chosen.get(f.field, [])):
            used = False
        else:
            used = (f.field, _key(f.field, f.value)) in won
        rows.append({"field": f.field, "value": f.value, "used": used, "confidence": f.confidence,
                     "origin": f.origin, "how": f.method, "date": f.observed_on, "url": f.url,
                     "document_id": f.document_id, "evidence": f.evidence})
    return rows


__all__ = ["FIELDS", "Chosen", "apply", "columns", "fact_rows", "facts_of", "filer_of", "parse_assignments",
           "record_document", "resolve", "set_facts", "source_map"]
