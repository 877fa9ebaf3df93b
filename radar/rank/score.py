"""Scoring: pure functions from an organization's signals and the profile to a score with factors."""
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from radar.rank.needs import TypeModel, implied_need
from radar.settings import Profile, Ranking

ADJACENT = {"c_level": {"vp"}, "vp": {"c_level", "head"}, "head": {"vp", "director"},
            "director": {"head", "manager"}, "manager": {"director", "senior"}, "senior": {"manager", "mid"}, "mid": {"senior"}}


@dataclass
class SignalView:
    id: int
    type: str
    subtype: Optional[str]
    event_date: date
    confidence: float
    evidence: str
    attributes: dict[str, Any]
    url: Optional[str] = None
    mentions: int = 1


@dataclass
class OrgView:
    id: int
    name: str
    industries: list[str] = field(default_factory=list)
    location: Optional[str] = None
    stage: Optional[str] = None
    domain: Optional[str] = None
    signals: list[SignalView] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)


@dataclass
class Contribution:
    signal: SignalView
    value: float
    factors: dict[str, float]


@dataclass
class Ranked:
    """One ranked organization: the digest, the CLI and the exports all read this."""

    org: OrgView
    score: float
    factors: dict[str, float]
    contributions: list[Contribution]
    # Audition brief: 3-5 lines, each traceable to a signal id.
    brief: list[dict[str, Any]] = field(default_factory=list)  # {"text", "signal_id"}
    # People the user knows there or at its investors.
    warm_paths: list[dict[str, Any]] = field(default_factory=list)  # {"name", "position", "company", "via"}
    # Search firms with a search running here.
    recruiters: list[dict[str, Any]] = field(default_factory=list)  # {"firm", "role", "evidence", "url", "date"}

    @property
    def why_now(self) -> str:
        top = self.contributions[0] if self.contributions else None
        if top is None:
            return ""
        s = top.signal
        return f"{s.type.replace('_', ' ')} ({s.subtype or 'event'}) on {s.event_date.isoformat()}"


def need_match(functions: set[str], seniorities: set[str], profile: Profile) -> float:
    """How well an implied need fits the person: 1 exact, partial for adjacent levels."""
    if "*" in functions:
        f = 1.0
    elif not profile.functions:
        f = 0.5
    else:
        f = 1.0 if functions & set(profile.functions) else 0.1
    if "*" in seniorities or not profile.seniority or not seniorities:
        s = 1.0 if ("*" in seniorities or not profile.seniority) else 0.6
    elif seniorities & set(profile.seniority):
        s = 1.0
    elif any(ADJACENT.get(x, set()) & set(profile.seniority) for x in seniorities):
        s = 0.6
    else:
        s = 0.25
    return f * s


def recency(event: date, today: date, half_life_days: float, lead_days: float = 0.0) -> float:
    """Exponential decay after the event; never above 1, and monotone in the event date."""
    age = max((today - event).days, 0)
    return 0.5 ** (age / half_life_days)


def corroboration(mentions: int) -> float:
    return 1.0 + 0.25 * math.log2(max(mentions, 1))


def contribution(sig: SignalView, model: dict[str, TypeModel], profile: Profile, ranking: Ranking, today: date) -> Optional[Contribution]:
    tm = model.get(sig.type)
    if tm is None or sig.confidence < ranking.min_confidence:
        return None
    need = implied_need(tm, sig.subtype, sig.attributes)
    if need is None:
        return None
    functions, seniorities, strength = need
    if sig.type == "layoffs" and profile.turnaround and tm.turnaround_strength is not None:
        strength = float(tm.turnaround_strength)
    weight = ranking.weights.get(sig.type, tm.weight)
    match = need_match(functions, seniorities, profile)
    decay = recency(sig.event_date, today, ranking.half_life_days or tm.half_life_days, tm.lead_days)
    corr = corroboration(sig.mentions)
    value = weight * strength * match * decay * sig.confidence * corr
    return Contribution(sig, value, {"weight": weight, "strength": strength, "need_match": match,
                                     "recency": round(decay, 4), "confidence": sig.confidence, "corroboration": round(corr, 3)})


def fit(org: OrgView, profile: Profile) -> float:
    """Industries and location fit; unknown facts are neutral, not penalized."""
    f = 1.0
    if profile.industries and org.industries:
        f *= 1.3 if set(org.industries) & set(profile.industries) else 0.6
    if profile.locations and org.location:
        if any(loc.lower() in org.location.lower() for loc in profile.locations):
            f *= 1.15
        elif not profile.remote:
            f *= 0.6
    return f


def excluded(org: OrgView, profile: Profile) -> bool:
    from radar.entities.normalize import normalize_name

    names = {normalize_name(x) for x in profile.exclude}
    return normalize_name(org.name) in names or bool(org.domain and org.domain in {x.lower() for x in profile.exclude})


def score_org(org: OrgView, model: dict[str, TypeModel], profile: Profile, ranking: Ranking, today: date) -> Ranked:
    contribs = [c for c in (contribution(s, model, profile, ranking, today) for s in org.signals) if c]
    contribs.sort(key=lambda c: c.value, reverse=True)
    signal_sum = sum(c.value for c in contribs)
    org_fit = fit(org, profile)
    warm = ranking.warm_path_bonus * math.log2(1 + len(org.contacts))
    score = signal_sum * org_fit + warm
    return Ranked(org, round(score, 4), {"signals": round(signal_sum, 4), "fit": round(org_fit, 3), "warm_paths": round(warm, 4)}, contribs)


def rank(orgs: list[OrgView], model: dict[str, TypeModel], profile: Profile, ranking: Ranking, today: date) -> list[Ranked]:
    """Organizations by descending score; excluded ones and those with nothing positive never appear."""
    ranked = [score_org(o, model, profile, ranking, today) for o in orgs if not excluded(o, profile)]
    return sorted((r for r in ranked if r.score > 0), key=lambda r: (-r.score, r.org.name))
