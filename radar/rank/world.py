"""Loading the world from the database as plain ranking views, and ranking it for the profile.

Reads organizations, their recent signals, the documents and sources that reported them and the
user's contacts; classifies industries (radar.industries) and hands everything to the pure
pipeline. Ranking happens at query time, per person (DESIGN.md, "Where it grows").
"""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Optional

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from radar.entities.normalize import normalize_name
from radar.industries import Evidence, check_industries, classify, sentences_about
from radar.models import Contact, Document, Organization, OrgAlias, Signal, SignalMention, Source
from radar.rank.needs import TypeModel, load_needs
from radar.rank.pipeline import World, rank_world, score_one
from radar.rank.score import OrgView, Ranked, SignalView
from radar.rank.warm import ContactView
from radar.settings import Settings

HORIZON_DAYS = 730  # older signals have decayed to nothing under every half-life in needs.toml
DOCS_PER_ORG = 12  # recent documents read per organization for industries and relevance


@dataclass
class _Docs:
    """Per organization: documents that reported its signals, and the source industries behind them."""

    texts: dict[int, list[str]] = field(default_factory=dict)
    sources: dict[int, Counter[str]] = field(default_factory=dict)
    formd: dict[int, str] = field(default_factory=dict)


def model_for(settings: Settings) -> dict[str, TypeModel]:
    return load_needs(settings.ranking.needs_file or None, settings.ranking.needs or None)


def _signal_view(sig: Signal) -> SignalView:
    return SignalView(sig.id, sig.type, sig.subtype, sig.event_date, sig.confidence, sig.evidence,  # type: ignore[arg-type]
                      dict(sig.attributes or {}), sig.url, sig.mentions, sig.title)


def _documents(s: Session, orgs: dict[int, OrgView], signals: list[Signal]) -> _Docs:
    doc_org: dict[int, set[int]] = {}
    by_signal = {sig.id: sig.organization_id for sig in signals}
    for sig in signals:
        if sig.document_id:
            doc_org.setdefault(sig.document_id, set()).add(sig.organization_id)
    if by_signal:
        for sid, did in s.exec(select(SignalMention.signal_id, SignalMention.document_id).where(col(SignalMention.signal_id).in_(list(by_signal)))):
            doc_org.setdefault(did, set()).add(by_signal[sid])
    source_industries = {src.id: list(src.industries or []) for src in s.exec(select(Source))}
    out = _Docs()
    per_org: Counter[int] = Counter()
    ids = sorted(doc_org, reverse=True)  # newest documents first
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for doc in s.exec(select(Document).where(col(Document.id).in_(chunk))):
            for oid in doc_org[doc.id]:  # type: ignore[index]
                _add_document(out, orgs[oid], doc, source_industries, per_org)
    return out


def _add_document(out: _Docs, org: OrgView, doc: Document, source_industries: dict[Any, list[str]], per_org: Counter[int]) -> None:
    out.sources.setdefault(org.id, Counter()).update(source_industries.get(doc.source_id, []))
    group = (doc.meta or {}).get("industry_group") or (doc.meta or {}).get("industryGroupType")
    if isinstance(group, str):
        out.formd[org.id] = group
    if per_org[org.id] < DOCS_PER_ORG:
        per_org[org.id] += 1
        about = sentences_about(f"{doc.title or ''}.\n{doc.text}", [org.name, *org.aliases])
        out.texts.setdefault(org.id, []).extend(about)


def _overrides(settings: Settings) -> dict[str, list[str]]:
    for name, industries in settings.industries.overrides.items():
        check_industries(industries, f"[industries] overrides for '{name}'")
    return {normalize_name(k): list(v) for k, v in settings.industries.overrides.items()}


def load_world(engine: Engine, settings: Settings, today: date, with_signals_only: bool = True) -> World:
    """Organizations with their signals of the last two years, industries, texts and the contacts."""
    overrides = _overrides(settings)
    since = today - timedelta(days=HORIZON_DAYS)
    with Session(engine) as s:
        rows = {o.id: o for o in s.exec(select(Organization))}
        orgs = {oid: OrgView(oid, o.name, [], o.location, o.stage, o.domain, size=o.size) for oid, o in rows.items()}  # type: ignore[arg-type]
        for a in s.exec(select(OrgAlias)):
            if a.organization_id in orgs and a.alias != orgs[a.organization_id].name:
                orgs[a.organization_id].aliases.append(a.alias)
        signals = [sig for sig in s.exec(select(Signal).where(Signal.event_date >= since)) if sig.organization_id in orgs]
        for sig in signals:
            orgs[sig.organization_id].signals.append(_signal_view(sig))
        docs = _documents(s, orgs, signals)
        contacts = _contacts(s, orgs)
    for oid, org in orgs.items():
        org.texts = docs.texts.get(oid, [])
        _set_industries(org, rows[oid], docs, overrides)
    kept = [o for o in orgs.values() if o.signals or not with_signals_only]
    return World(kept, contacts)


def _set_industries(org: OrgView, row: Organization, docs: _Docs, overrides: dict[str, list[str]]) -> None:
    for name in (org.name, *org.aliases):
        if normalize_name(name) in overrides:
            org.industries = overrides[normalize_name(name)]
            org.industry_origins = {k: ["your config ([industries] overrides)"] for k in org.industries}
            return
    formd = docs.formd.get(org.id) or next((str(s.attributes["industry_group"]) for s in org.signals if s.attributes.get("industry_group")), None)
    evidence = Evidence(sic=row.sic, formd_group=formd, source_industries=docs.sources.get(org.id, Counter()),
                        texts=[*org.texts, *(s.evidence for s in org.signals)], stored=list(row.industries or []))
    found = classify(evidence)
    org.industries = [k for k, _ in found]
    org.industry_origins = dict(found)


def _contacts(s: Session, orgs: dict[int, OrgView]) -> list[ContactView]:
    out = []
    for c in s.exec(select(Contact)):
        linked = orgs.get(c.organization_id) if c.organization_id else None
        names = (linked.name, *linked.aliases) if linked else ()
        out.append(ContactView(c.id, c.full_name, c.position, c.company, c.organization_id, names))  # type: ignore[arg-type]
    return out


def top(engine: Engine, settings: Settings, today: date, limit: int = 20, industry: Optional[str] = None) -> list[Ranked]:
    """The ranked organizations for the configured profile, with brief, warm paths and recruiters."""
    if industry:
        check_industries([industry], "--industry")
    model = model_for(settings)
    world = load_world(engine, settings, today)
    return rank_world(world, model, settings.profile, settings.ranking, today, limit=limit, industry=industry)


@dataclass
class OrgReport:
    """Everything `radar orgs show|explain` prints about one organization."""

    org: OrgView
    ranked: Optional[Ranked]
    position: Optional[int]
    excluded: bool


def find_org(engine: Engine, name: str) -> Optional[int]:
    """The organization a name refers to: the resolver's exact keys and guarded fuzzy match, then
    a unique partial name ("tallyforge"); several partial matches are listed in a UsageError."""
    from radar.entities.resolve import Resolver
    from radar.errors import UsageError

    with Session(engine) as s:
        org = Resolver(s).find(name)
        if org:
            return org.id
        key = normalize_name(name)
        if len(key) < 3:
            return None
        hits = {a.organization_id for a in s.exec(select(OrgAlias)) if key in a.normalized}
        hits |= {o.id for o in s.exec(select(Organization)) if key in o.normalized}
        if len(hits) > 1:
            names = sorted(o.name for o in s.exec(select(Organization).where(col(Organization.id).in_(list(hits)))))
            raise UsageError(f"'{name}' matches several organizations: {', '.join(names[:5])}{' ...' if len(names) > 5 else ''}; give the full name")
        return hits.pop() if hits else None


def org_report(engine: Engine, settings: Settings, name: str, today: date) -> OrgReport:
    """One organization scored and placed among the others; raises UsageError if unknown."""
    from radar.errors import UsageError

    org_id = find_org(engine, name)
    if org_id is None:
        raise UsageError(f"no organization called '{name}' is known; list them with 'radar orgs top' or 'radar signals'")
    world = load_world(engine, settings, today, with_signals_only=False)
    ranked, position, is_excluded = score_one(world, org_id, model_for(settings), settings.profile, settings.ranking, today)
    org = next(o for o in world.orgs if o.id == org_id)
    return OrgReport(org, ranked, position, is_excluded)
