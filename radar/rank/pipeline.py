"""Ranking a whole world for one profile: relevance, warm paths, scores, then the brief and the
recruiters of each ranked organization. Pure: the world comes from the database or a file."""
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from radar.rank.brief import build_brief
from radar.rank.needs import TypeModel
from radar.rank.recruiters import mandates
from radar.rank.relevance import TokenStats, profile_query, relevance_factors
from radar.rank.score import OrgView, Ranked, describe, excluded, rank, score_org
from radar.rank.warm import ContactIndex, ContactView, warm_paths
from radar.settings import Profile, Ranking


@dataclass
class World:
    orgs: list[OrgView]
    contacts: list[ContactView] = field(default_factory=list)
    # TokenStats of organizations' texts and evidence, counted for `counted_for` (a profile's
    # query words) while loading (radar.rank.world); the others are counted by prepare().
    token_stats: dict[int, TokenStats] = field(default_factory=dict)
    counted_for: tuple[str, ...] = ()


@dataclass
class Prepared:
    """What ranking needs besides the organizations themselves."""

    relevance: dict[int, float]
    paths: dict[int, list[dict[str, Any]]]
    investor_contacts: dict[int, int]


def prepare(world: World, profile: Profile) -> Prepared:
    """Relevance of each organization's text, and the warm paths into it."""
    index = ContactIndex(world.contacts)
    paths, via = {}, {}
    for org in world.orgs:
        found, direct, investors = warm_paths(org, index)
        org.contacts = [p["name"] for p in found if p["via"] == "works there"]
        paths[org.id], via[org.id] = found, investors
    texts = {o.id: [*o.texts, *(s.evidence for s in o.signals)] for o in world.orgs}
    known = world.token_stats if world.counted_for == tuple(profile_query(profile)) else None
    return Prepared(relevance_factors(profile, texts, known), paths, via)


def finish(r: Ranked, prep: Prepared, profile: Profile, today: date) -> Ranked:
    for c in r.contributions:
        describe(c, profile, r.org.name)
    r.warm_paths = prep.paths.get(r.org.id, [])
    r.brief = build_brief(r, profile)
    r.recruiters = mandates(r.org, today)
    return r


def rank_world(world: World, model: dict[str, TypeModel], profile: Profile, ranking: Ranking, today: date,
               limit: Optional[int] = None, industry: Optional[str] = None) -> list[Ranked]:
    """The ranked organizations, best first, each with its brief, warm paths and recruiters."""
    prep = prepare(world, profile)
    orgs = [o for o in world.orgs if not industry or industry in o.industries]
    ranked = rank(orgs, model, profile, ranking, today, prep.relevance, prep.investor_contacts)
    return [finish(r, prep, profile, today) for r in ranked[:limit]]


def score_one(world: World, org_id: int, model: dict[str, TypeModel], profile: Profile, ranking: Ranking,
              today: date) -> tuple[Optional[Ranked], Optional[int], bool]:
    """(scored organization, its rank or None, excluded?) for an explanation, ranked or not."""
    prep = prepare(world, profile)
    org = next((o for o in world.orgs if o.id == org_id), None)
    if org is None:
        return None, None, False
    if excluded(org, profile):
        return None, None, True
    ranked = rank(world.orgs, model, profile, ranking, today, prep.relevance, prep.investor_contacts)
    position = next((i for i, r in enumerate(ranked, 1) if r.org.id == org_id), None)
    r = ranked[position - 1] if position else score_org(org, model, profile, ranking, today,
                                                        prep.relevance.get(org_id, 1.0),
                                                        prep.investor_contacts.get(org_id, 0))
    return finish(r, prep, profile, today), position, False
