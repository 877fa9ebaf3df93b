"""Loading the world from the database as plain ranking views, and ranking it for the profile.

Reads organizations, their recent signals, the documents and sources that reported them and the
user's contacts; classifies industries (radar.industries) and hands everything to the pure
pipeline. Ranking happens at query time, per person (DESIGN.md, "Where it grows").
"""
import gc
import json
import logging
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Optional

from sqlalchemy.engine import Connection, Engine

from radar import store
from radar.entities.normalize import normalize_name
from radar.industries import Evidence, Split, check_industries, name_keys, sentences_about, split_sentences
from radar.rank import cache as rank_cache
from radar.rank.memo import EvidenceMemo
from radar.rank.needs import TypeModel, load_needs
from radar.rank.pipeline import Prepared, World, finish, prepare, score_one
from radar.rank.relevance import TokenStats, profile_query
from radar.rank.score import OrgView, PartMemo, Ranked, SignalView, rank, score_org
from radar.rank.warm import ContactIndex, ContactView, warm_paths
from radar.settings import Settings

logger = logging.getLogger(__name__)

# The world is the last two years of signals ('radar orgs explain' says so). Not derived from the
# need model on purpose: six half-lives of its slowest rule (365 days after a 120-day lead) are
# 2,310 days, so a "negligible contribution" horizon would read more signals, not fewer, and a
# signal 730 days old still counts up to 0.31 of its weight. Changing it changes rankings.
HORIZON_DAYS = 730
DOCS_PER_ORG = 12  # recent documents read per organization for industries and relevance
# Industries and BM25 word counts per organization, derived again only when its evidence changed
# (the service ranks everything at least daily in one process).
_DERIVED = EvidenceMemo()


@dataclass
class _Docs:
    """Per organization: documents that reported its signals, and the source industries behind them."""

    texts: dict[int, list[str]] = field(default_factory=dict)
    sources: dict[int, Counter[str]] = field(default_factory=dict)
    formd: dict[int, str] = field(default_factory=dict)


def model_for(settings: Settings) -> dict[str, TypeModel]:
    return load_needs(settings.ranking.needs_file or None, settings.ranking.needs or None)


# Rows come from radar.store.world through the driver's cursor. Attributes arrive as JSON text
# and are decoded here (most are "{}": see _attributes); the date as the driver gives it (SQLite:
# ISO text, decoded by _day).


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value[:10])


def _attributes(raw: Optional[str]) -> dict[str, Any]:
    return {} if raw is None or raw == "{}" else dict(json.loads(raw) or {})


def _documents(conn: Connection, orgs: dict[int, OrgView], doc_org: dict[int, set[int]]) -> _Docs:
    """Texts (the newest DOCS_PER_ORG documents of each organization), source industries and
    Form D groups (all of its documents), reading each document's text only when it is used."""
    source_industries = store.source_industries(conn)
    ids = sorted(doc_org, reverse=True)  # newest documents first
    per_org: Counter[int] = Counter()
    wanted: set[int] = set()
    for did in ids:
        for oid in doc_org[did]:
            if per_org[oid] < DOCS_PER_ORG:
                per_org[oid] += 1
                wanted.add(did)
    light: dict[int, tuple[Any, Any]] = {}
    # A syndicated story is stored once but seen in several sources: count every one of them,
    # so the industries do not depend on which source happened to be crawled first.
    seen_in: dict[int, set[int]] = {}
    light.update((r[0], (r[1], r[2])) for r in store.document_rows(conn, ids))
    for did, sid in store.seen_in_rows(conn, ids):
        if sid is not None:
            seen_in.setdefault(did, set()).add(sid)
    texts = {r[0]: f"{r[1] or ''}.\n{r[2]}" for r in store.document_texts(conn, sorted(wanted))}
    out = _Docs()
    per_org.clear()
    keys = {oid: name_keys([org.name, *org.aliases]) for oid, org in orgs.items()}
    for did in ids:
        if did not in light:
            continue
        source_id, raw_meta = light[did]
        group = _form_d_group(raw_meta)
        sources = seen_in.get(did, set()) | ({source_id} if source_id is not None else set())
        industries = sorted({i for sid in sources for i in source_industries.get(sid, [])})  # once per document
        split: Optional[Split] = None  # its sentences, cut once for all the organizations it reports
        for oid in doc_org[did]:
            counted = out.sources.get(oid)
            if counted is None:
                counted = out.sources[oid] = Counter()
            for industry in industries:
                counted[industry] += 1
            if group is not None:
                out.formd[oid] = group
            if per_org[oid] < DOCS_PER_ORG:
                per_org[oid] += 1
                if split is None:
                    split = split_sentences(texts.get(did, ""))
                about = sentences_about(split, (), keys[oid])
                if about:
                    out.texts.setdefault(oid, []).extend(about)
    return out


def _form_d_group(raw: Optional[str]) -> Optional[str]:
    """A document's Form D industry group, its metadata decoded only when it can name one (most
    documents' is "{}" or has none: decoding every one was a tenth of reading documents)."""
    if not raw or "ndustry" not in raw:
        return None
    meta = json.loads(raw)
    if not isinstance(meta, dict):
        return None
    group = meta.get("industry_group") or meta.get("industryGroupType")
    return group if isinstance(group, str) else None


def _overrides(settings: Settings) -> dict[str, list[str]]:
    for name, industries in settings.industries.overrides.items():
        check_industries(industries, f"[industries] overrides for '{name}'")
    return {normalize_name(k): list(v) for k, v in settings.industries.overrides.items()}


def signals_of(conn: Connection, org_ids: Iterable[int], today: date) -> dict[int, list[SignalView]]:
    """The signals each organization is ranked with, in load_world's order (no documents read)."""
    orgs = {oid: OrgView(oid, "") for oid in set(org_ids)}
    _signals(conn, orgs, today - timedelta(days=HORIZON_DAYS), sorted(orgs), documents=False)
    return {oid: o.signals for oid, o in orgs.items()}


def _signals(conn: Connection, orgs: dict[int, OrgView], since: date, org_ids: Optional[list[int]],
             documents: bool = True) -> dict[int, set[int]]:
    """Attach each organization's signals since `since` (oldest first, as the event_date index
    reads them); returns the documents that reported them, with their organizations."""
    doc_org: dict[int, set[int]] = {}
    by_signal: dict[int, int] = {}
    rows = store.signal_rows(conn, since, org_ids)
    for sid, oid, typ, sub, when, conf, evidence, attrs, url, mentions, title, did in rows:
        org = orgs.get(oid)
        if org is None:
            continue
        org.signals.append(SignalView(sid, typ, sub, _day(when), conf, evidence, _attributes(attrs), url,
                                      mentions, title))
        by_signal[sid] = oid
        if did:
            doc_org.setdefault(did, set()).add(oid)
    if not documents:
        return doc_org
    for sid, did in store.mention_rows(conn, sorted(by_signal) if org_ids is not None else None):
        if sid in by_signal:
            doc_org.setdefault(did, set()).add(by_signal[sid])
    return doc_org


def load_world(engine: Engine, settings: Settings, today: date, with_signals_only: bool = True,
               org_ids: Optional[Iterable[int]] = None) -> World:
    """Organizations with their signals of the last two years, industries, texts and the contacts.

    `org_ids`: only these organizations (each is loaded exactly as in the whole world; the
    contacts are always all of them, since warm paths match contacts by company name).
    """
    overrides = _overrides(settings)
    since = today - timedelta(days=HORIZON_DAYS)
    wanted = sorted(set(org_ids)) if org_ids is not None else None
    with store.reading(engine) as conn:
        rows = store.organization_rows(conn, wanted)
        orgs = {oid: OrgView(oid, r.name, [], r.location, r.stage, r.domain, size=r.size) for oid, r in rows.items()}
        for oid, alias in store.alias_rows(conn, wanted):
            if oid in orgs and alias != orgs[oid].name:
                orgs[oid].aliases.append(alias)
        doc_org = _signals(conn, orgs, since, wanted)
        docs = _documents(conn, orgs, doc_org)
        contacts = _contacts(conn, settings.profile_key)
    words = tuple(profile_query(settings.profile))
    stats: dict[int, TokenStats] = {}
    for oid, org in orgs.items():
        org.texts = docs.texts.get(oid, [])
        found = _set_industries(org, rows[oid], docs, overrides, words)
        if found is not None:
            stats[oid] = found
    kept = [o for o in orgs.values() if o.signals or not with_signals_only]
    return World(kept, contacts, stats, words)


def _set_industries(org: OrgView, row: Any, docs: _Docs, overrides: dict[str, list[str]],
                    words: tuple[str, ...]) -> Optional[TokenStats]:
    """The organization's industries, from the overrides or its evidence; with the latter, also
    the TokenStats of its texts for these words (see radar.rank.memo)."""
    for name in (org.name, *org.aliases) if overrides else ():
        if normalize_name(name) in overrides:
            org.industries = overrides[normalize_name(name)]
            org.industry_origins = {k: ["your config ([industries] overrides)"] for k in org.industries}
            return None
    formd = docs.formd.get(org.id) or next((str(s.attributes["industry_group"]) for s in org.signals
                                            if s.attributes.get("industry_group")), None)
    evidence = Evidence(sic=row.sic, formd_group=formd, source_industries=docs.sources.get(org.id, Counter()),
                        texts=[*org.texts, *(s.evidence for s in org.signals)], stored=list(row.industries or []))
    found, stats = _DERIVED.derive(org.id, evidence, words)
    org.industries = [k for k, _ in found]
    org.industry_origins = dict(found)
    return stats


def _contacts(conn: Connection, profile: str) -> list[ContactView]:
    """The profile's contacts (Settings.profile_key), with the name and aliases of the
    organization each is linked to."""
    names, contacts = store.contact_rows(conn, profile)
    return [ContactView(cid, full_name, position, company, linked_id,
                        tuple(names.get(linked_id, ())) if linked_id else ())
            for cid, full_name, position, company, linked_id in contacts]


def top(engine: Engine, settings: Settings, today: date, limit: int = 20,
        industry: Optional[str] = None, complete: bool = False) -> list[Ranked]:
    """The ranked organizations for the configured profile, with brief, warm paths and recruiters.

    Reads the stored ranking when it is fresh (radar.rank.cache) and completes only the rows
    shown; otherwise ranks every organization and stores the result for the next call.
    """
    if industry:
        check_industries([industry], "--industry")
    model = model_for(settings)
    key = rank_cache.profile_key(settings, model)
    entries = store.read_ranking(engine, key, today, limit, industry, complete)
    if entries is not None:
        shown = _from_cache(engine, settings, model, today, entries)
        if shown is not None:
            return shown[0]
        logger.info("the stored ranking no longer matches the data; ranking again")
    ranked, prep = _rank_all(engine, settings, model, today, key)
    kept = [r for r in ranked if not industry or industry in r.org.industries]
    return [finish(r, prep, settings.profile, today) for r in kept[:limit]]


def refresh_rank_cache(engine: Engine, settings: Settings, today: Optional[date] = None,
                       touched: Optional[Iterable[int]] = None) -> int:
    """Rank every organization for the configured profile and store it, unless the stored
    ranking is fresh; returns how many organizations are ranked. Called after extraction,
    with `touched`, the organizations whose signals changed: when today's ranking is stored
    and only rows were added since, only those are ranked again."""
    if today is None:
        from radar.clock import today_for

        today = today_for(settings)
    model = model_for(settings)
    key = rank_cache.profile_key(settings, model)
    stored = store.ranked_count(engine, key, today)
    if stored is not None:
        return stored
    if touched is not None:
        count = _rank_some(engine, settings, model, today, key, set(touched))
        if count is not None:
            return count
    return len(_rank_all(engine, settings, model, today, key)[0])


def rank_again(engine: Engine, settings: Settings, org_ids: Iterable[int], today: Optional[date] = None
               ) -> Optional[int]:
    """These organizations ranked again into today's stored ranking, fresh or not: after a
    user's correction, whose removal deletes a fact row and may leave the data version as it
    was (the stored ranking would still look fresh). Returns how many are ranked; None when no
    ranking of today can be brought up to date in part (then its version no longer matches,
    or it is another day's, and the next query ranks everything)."""
    if today is None:
        from radar.clock import today_for

        today = today_for(settings)
    model = model_for(settings)
    return _rank_some(engine, settings, model, today, rank_cache.profile_key(settings, model), set(org_ids))


def _rank_some(engine: Engine, settings: Settings, model: dict[str, TypeModel], today: date, key: str,
               org_ids: set[int]) -> Optional[int]:
    """Only these organizations ranked again into today's stored ranking (see radar.rank.cache);
    None when that cannot be done, and everything must be ranked."""
    version = store.data_version(engine)
    relevance = store.stored_relevance(engine, key, today, version, org_ids)
    if relevance is None:
        return None
    world = load_world(engine, settings, today, org_ids=org_ids)
    prep = prepare(world, settings.profile)  # warm paths against every contact; its relevance is the subset's
    ranked = rank(world.orgs, model, settings.profile, settings.ranking, today, relevance, prep.investor_contacts)
    return rank_cache.replace_some(engine, key, today, version, org_ids, ranked, relevance, prep.investor_contacts)


@contextmanager
def _without_gc() -> Iterator[None]:
    """The cyclic garbage collector paused: loading, ranking and storing a world allocates a few
    objects per signal and makes none cyclic, yet each full collection walks every one of them
    again (about 30 % of a cold ranking at 10,000 organizations, more at 50,000). Reference
    counting frees as usual; cycles wait for the next collection.

    On the way out, every object allocated meanwhile is moved to the oldest generation
    (freeze, then unfreeze: a list splice, no scan). Otherwise the first allocation after
    enabling the collector scans all of them as the youngest generation (a tenth of a cold
    ranking); the oldest generation is collected as usual, when it has grown enough."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _rank_all(engine: Engine, settings: Settings, model: dict[str, TypeModel], today: date,
              key: str) -> tuple[list[Ranked], Prepared]:
    """Every organization ranked (without briefs), stored in the rank cache."""
    version = store.data_version(engine)  # before reading: a signal added meanwhile leaves the cache stale
    with _without_gc():
        world = load_world(engine, settings, today)
        prep = prepare(world, settings.profile)
        ranked = rank(world.orgs, model, settings.profile, settings.ranking, today, prep.relevance,
                      prep.investor_contacts)
        rank_cache.store_ranking(engine, key, today, version, ranked, prep.relevance, prep.investor_contacts)
    return ranked, prep


def _from_cache(engine: Engine, settings: Settings, model: dict[str, TypeModel], today: date,
                entries: list[store.RankEntry],
                with_signals_only: bool = True) -> Optional[tuple[list[Ranked], list[OrgView]]]:
    """The cached organizations scored again from their own rows, with the stored relevance;
    None if any of them no longer scores what was stored (the data changed in a way the
    data version does not see), so the caller ranks everything again."""
    world = load_world(engine, settings, today, with_signals_only, org_ids=[e.organization_id for e in entries])
    orgs = {o.id: o for o in world.orgs}
    index = ContactIndex(world.contacts)
    relevance = {e.organization_id: e.relevance for e in entries}
    paths: dict[int, list[dict[str, Any]]] = {}
    via: dict[int, int] = {}
    out = []
    memo: PartMemo = {}
    for e in entries:
        org = orgs.get(e.organization_id)
        if org is None:
            return None
        found, _, via[org.id] = warm_paths(org, index)
        org.contacts = [p["name"] for p in found if p["via"] == "works there"]
        paths[org.id] = found
        r = score_org(org, model, settings.profile, settings.ranking, today, e.relevance, via[org.id], memo)
        if r.score != e.score or org.industries != e.industries or via[org.id] != e.investor_contacts:
            return None
        out.append(r)
    prep = Prepared(relevance, paths, via)
    return [finish(r, prep, settings.profile, today) for r in out], [orgs[e.organization_id] for e in entries]


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

    with store.transaction(engine) as s:
        org = Resolver(s).find(name)
    if org:
        return org.id
    key = normalize_name(name)
    if len(key) < 3:
        return None
    hits = store.organizations_containing(engine, key)
    if len(hits) > 1:
        names = sorted(store.organization_names(engine, hits))
        raise UsageError(f"'{name}' matches several organizations: "
                         f"{', '.join(names[:5])}{' ...' if len(names) > 5 else ''}; give the full name")
    return hits.pop() if hits else None


def org_report(engine: Engine, settings: Settings, name: str, today: date) -> OrgReport:
    """One organization scored and placed among the others; raises UsageError if unknown."""
    from radar.errors import UsageError

    org_id = find_org(engine, name)
    if org_id is None:
        raise UsageError(f"no organization called '{name}' is known; "
                         "list them with 'radar orgs top' or 'radar signals'")
    model = model_for(settings)
    entry = store.read_ranked(engine, rank_cache.profile_key(settings, model), today, org_id)
    if entry is not None:  # ranked in the stored ranking: score it alone, as `top` does
        shown = _from_cache(engine, settings, model, today, [entry], with_signals_only=False)
        if shown is not None:
            return OrgReport(shown[1][0], shown[0][0], entry.position, False)
    world = load_world(engine, settings, today, with_signals_only=False)
    ranked, position, is_excluded = score_one(world, org_id, model_for(settings), settings.profile,
                                              settings.ranking, today)
    org = next(o for o in world.orgs if o.id == org_id)
    return OrgReport(org, ranked, position, is_excluded)
