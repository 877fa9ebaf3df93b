"""Scoring: pure functions from an organization's signals and the profile to a score with factors.

score = Σ contributions × fit × relevance + warm-path bonus, where each signal contributes
type weight × need match × scale × place × recency × confidence × corroboration × overlap.
Nothing here touches the database or the clock: `today` is an argument.
"""
import functools
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from radar.entities.normalize import domain_of, normalize_name
from radar.rank.needs import LEVELS, Need, Rule, TypeModel, expand, pick_rule
from radar.rank.phrases import fill, text_values
from radar.settings import Profile, Ranking
from radar.titles import normalize_title
from radar.vocabulary import STAGE_OF_ROUND

# Functions that share work: a head of data is a fair candidate where engineering grows.
NEAR_FUNCTIONS = {
    frozenset({"engineering", "data"}): 0.4, frozenset({"engineering", "product"}): 0.3,
    frozenset({"product", "design"}): 0.4, frozenset({"product", "data"}): 0.3,
    frozenset({"sales", "marketing"}): 0.3, frozenset({"sales", "customer_success"}): 0.4,
    frozenset({"marketing", "customer_success"}): 0.2, frozenset({"finance", "legal"}): 0.2,
    frozenset({"operations", "people"}): 0.2, frozenset({"operations", "finance"}): 0.2,
    frozenset({"executive", "operations"}): 0.3, frozenset({"executive", "finance"}): 0.2,
}
LEVEL_MATCH = (1.0, 0.6, 0.3, 0.15)  # by distance between seniority levels
OTHER_FUNCTION = 0.1
TURNAROUND_WORDS = re.compile(r"\b(turn\s?-?around|restructur\w*|transformation)\b", re.I)


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
    title: Optional[str] = None


@dataclass
class OrgView:
    id: int
    name: str
    industries: list[str] = field(default_factory=list)
    location: Optional[str] = None
    stage: Optional[str] = None
    domain: Optional[str] = None
    signals: list[SignalView] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)  # names of the user's contacts who work here
    size: Optional[str] = None
    aliases: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # recent documents about it, for relevance
    industry_origins: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Contribution:
    signal: SignalView
    value: float
    factors: dict[str, float]
    need: str = ""  # which need matched, e.g. "engineering at vp/head"
    why: str = ""  # the rule's one-line reason, filled in
    rule: Optional[Rule] = None
    facts: dict[str, Any] = field(default_factory=dict)
    lead_days: float = 0.0


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
        """One line: the strongest positive signal and what it implies."""
        top = next((c for c in self.contributions if c.value > 0), None)
        if top is None:
            return ""
        when = top.signal.event_date.isoformat()
        return f"{when}: {top.why}" if top.why else f"{top.signal.type} on {when}"


# ---- the person ----------------------------------------------------------------------------

def profile_functions(profile: Profile) -> set[str]:
    """The profile's functions, or those its target roles name."""
    if profile.functions:
        return set(profile.functions)
    return {f for f, _ in map(normalize_title, profile.roles) if f}


def profile_levels(profile: Profile) -> set[str]:
    if profile.seniority:
        return set(profile.seniority)
    return {s for _, s in map(normalize_title, profile.roles) if s}


def is_turnaround(profile: Profile) -> bool:
    """Turnaround profiles: set explicitly, or said in the statement or target roles."""
    return profile.turnaround or bool(TURNAROUND_WORDS.search(" ".join([profile.statement, *profile.roles])))


def level_distance(a: str, b: str) -> int:
    if a not in LEVELS or b not in LEVELS:
        return 3
    return abs(LEVELS.index(a) - LEVELS.index(b))


def need_match(functions: set[str], seniorities: set[str], profile: Profile) -> float:
    """How well an implied need fits the person: 1 exact; partial for near functions and levels."""
    mine_f, mine_s = profile_functions(profile), profile_levels(profile)
    if "*" in functions or not functions:
        f = 1.0 if "*" in functions else 0.5
    elif not mine_f:
        f = 0.5
    elif functions & mine_f:
        f = 1.0
    else:
        f = max([NEAR_FUNCTIONS.get(frozenset({a, b}), OTHER_FUNCTION) for a in functions for b in mine_f])
    if "*" in seniorities or not mine_s:
        s = 1.0
    elif not seniorities:
        s = 0.6
    else:
        d = min(level_distance(a, b) for a in seniorities for b in mine_s)
        s = LEVEL_MATCH[min(d, len(LEVEL_MATCH) - 1)]
    return f * s


def recency(event: date, today: date, half_life_days: float, lead_days: float = 0.0) -> float:
    """1 during the lead time (the hiring is still ahead), then halving every half-life.

    Monotone: a newer event never counts less than an older one.
    """
    return _decay(max((today - event).days, 0), half_life_days, lead_days)[0]


@functools.lru_cache(maxsize=8192)
def _decay(age: int, half_life_days: float, lead_days: float) -> tuple[float, float]:
    """recency() by age in days, and rounded as the explanation shows it: a ranking asks for a
    few thousand distinct (age, rule) pairs, once per signal."""
    value = 1.0 if age <= lead_days else 0.5 ** ((age - lead_days) / half_life_days)
    return value, round(value, 4)


@functools.lru_cache(maxsize=64)
def corroboration(mentions: int) -> float:
    """Reported by more outlets, more likely true and more visible: 1.24 for 3 reports, at most 1.6."""
    return 1.0 + 0.15 * math.log2(min(max(mentions, 1), 16))


def amount_scale(amount: Any) -> float:
    """Later-round size predicts growth [NEED-PRIORS 2]: 0.7 at $5M, 1.0 at $40M, 1.25 at $200M+."""
    try:
        value = float(amount)
    except (TypeError, ValueError):
        return 1.0
    if value <= 0:
        return 1.0
    return min(max(1.0 + 0.1 * math.log2(value / 40e6), 0.7), 1.25)


# ---- one signal ----------------------------------------------------------------------------

def signal_facts(sig: SignalView, profile: Profile) -> dict[str, Any]:
    """What rules match on: subtype, attributes (function and level read from a title if absent)."""
    facts: dict[str, Any] = {k: v for k, v in sig.attributes.items() if v is not None}
    facts["subtype"] = sig.subtype or facts.get("round")
    if sig.type == "funding" and not facts.get("round"):
        facts["round"] = sig.subtype
    title = facts.get("title") or facts.get("role")
    if title and (not facts.get("function") or not facts.get("seniority")):
        function, level = normalize_title(str(title))
        facts["function"] = facts.get("function") or function
        facts["seniority"] = facts.get("seniority") or level
    facts["profile.turnaround"] = is_turnaround(profile)
    return facts


def best_need(rule: Rule, facts: dict[str, Any], profile: Profile) -> tuple[float, str]:
    """A rule's value for this person: its best positive need plus its worst negative one."""
    pos: tuple[float, Optional[Need], set[str], set[str]] = (0.0, None, set(), set())
    neg: tuple[float, Optional[Need], set[str], set[str]] = (0.0, None, set(), set())
    for need in rule.needs:
        functions, levels = expand(need, facts)
        value = need.strength * need_match(functions, levels, profile)
        if value > pos[0]:
            pos = (value, need, functions, levels)
        elif value < neg[0]:
            neg = (value, need, functions, levels)
    described = [f"{'/'.join(sorted(fs)) or '?'} at {'/'.join(sorted(ls)) or '?'}" for v, n, fs, ls in (pos, neg) if n]
    return pos[0] + neg[0], "; ".join(described)


def place_factor(sig: SignalView, profile: Profile) -> float:
    """An expansion or hiring in one of your places counts more; elsewhere less unless remote suits you."""
    places = sig.attributes.get("location") or sig.attributes.get("locations")
    places = [places] if isinstance(places, str) else [p for p in (places or []) if isinstance(p, str)]
    if not places or not profile.locations or sig.type not in ("expansion", "hiring_surge"):
        return 1.0
    if any(_same_place(p, mine) for p in places for mine in profile.locations):
        return 1.3
    return 0.85 if profile.remote else 0.5


def _same_place(a: str, b: str) -> bool:
    a, b = a.lower().strip(), b.lower().strip()
    return bool(a and b) and (a in b or b in a)


@dataclass(frozen=True)
class _Part:
    """The part of a contribution that depends only on the signal's type, subtype and attributes."""

    rule: Rule
    need: float
    described: str
    weight: float
    scale: float
    place: float
    lead: float
    half_life: float
    facts: dict[str, Any]
    fixed: dict[str, float]  # the factors that do not depend on the signal's date, confidence and reports
    unit: float  # weight x need x scale x place: what recency, confidence and corroboration multiply


# Per ranking pass: (type, subtype, attributes as JSON) → its _Part, or None when it counts nothing.
PartMemo = dict[tuple[str, Optional[str], str], Optional[_Part]]


def _part(sig: SignalView, tm: TypeModel, profile: Profile, ranking: Ranking) -> Optional[_Part]:
    facts = signal_facts(sig, profile)
    rule = pick_rule(tm, facts)
    if rule is None:
        return None
    need, described = best_need(rule, facts, profile)
    if need == 0:
        return None
    weight = ranking.weights.get(sig.type, tm.weight)
    scale = (amount_scale(facts.get("amount")) if rule.scale == "amount"
             else float(rule.scale) if rule.scale is not None else 1.0)
    place = place_factor(sig, profile)
    lead = rule.lead_days if rule.lead_days is not None else tm.lead_days
    half_life = ranking.half_life_days or (rule.half_life_days if rule.half_life_days is not None
                                           else tm.half_life_days)
    fixed = {"weight": weight, "need": round(need, 4), "scale": round(scale, 3), "place": place}
    return _Part(rule, need, described, weight, scale, place, lead, half_life, facts, fixed,
                 weight * need * scale * place)


def _memo_key(sig: SignalView) -> Optional[tuple[str, Optional[str], str]]:
    if not sig.attributes:  # most signals at scale; json.dumps was a tenth of ranking a million
        return sig.type, sig.subtype, "{}"
    try:
        return sig.type, sig.subtype, json.dumps(sig.attributes, sort_keys=True)
    except (TypeError, ValueError):  # not plain JSON (a date from a TOML world): no sharing
        return None


def signal_value(unit: float, decay: float, confidence: float, corroboration: float) -> float:
    """A signal's contribution before overlap damping, from its rule's value for the person
    (weight x need x scale x place), recency, confidence and corroboration. The one place the
    factors are multiplied: `radar signals --sort score` bounds its search with it as well."""
    return unit * decay * confidence * corroboration


def contribution(sig: SignalView, model: dict[str, TypeModel], profile: Profile, ranking: Ranking, today: date,
                 memo: Optional[PartMemo] = None) -> Optional[Contribution]:
    """One signal's part of the score, with each factor kept for the explanation.

    `memo` (one dict per ranking pass, same model, profile and ranking) shares the rule and
    need matching between signals with the same type, subtype and attributes: at a million
    signals most of them repeat, and that matching is most of the cost.
    """
    tm = model.get(sig.type)
    if tm is None or sig.confidence < ranking.min_confidence:
        return None
    key = _memo_key(sig) if memo is not None else None
    if key is None or memo is None:
        part = _part(sig, tm, profile, ranking)
    else:
        if key not in memo:
            memo[key] = _part(sig, tm, profile, ranking)
        part = memo[key]
    if part is None:
        return None
    decay, shown = _decay(max((today - sig.event_date).days, 0), part.half_life, part.lead)  # recency()
    corr = corroboration(sig.mentions)
    value = signal_value(part.unit, decay, sig.confidence, corr)
    factors = {**part.fixed, "recency": shown, "confidence": sig.confidence, "corroboration": round(corr, 3)}
    # The words come later (describe()), only for the organizations that are shown. Each
    # contribution gets its own copy of the facts: the memo's stay untouched.
    return Contribution(sig, value, factors, part.described, "", part.rule, dict(part.facts), part.lead)


def unit_factors(sig: SignalView, model: dict[str, TypeModel], profile: Profile,
                 ranking: Ranking) -> Optional[tuple[float, float, float]]:
    """What a signal's contribution is made of besides its date, confidence and reports: its
    rule's value for the person (weight x need x scale x place) and the half-life and lead
    time its recency decays with; None when it counts nothing. Depends only on the signal's
    type, subtype and attributes: `radar signals --sort score` computes it once per group of
    signals that share them, and bounds its search with signal_value()."""
    tm = model.get(sig.type)
    part = _part(sig, tm, profile, ranking) if tm is not None else None
    return None if part is None else (part.unit, part.half_life, part.lead)


def describe(c: Contribution, profile: Profile, org_name: str) -> Contribution:
    """Fill in the contribution's one-line reason from its rule's template."""
    if c.rule is not None and not c.why:
        c.why = fill(c.rule.why, text_values(c.signal, c.facts, profile, org_name, c.lead_days))
    return c


def signal_contributions(signals: list[SignalView], model: dict[str, TypeModel], profile: Profile,
                         ranking: Ranking, today: date, memo: Optional[PartMemo] = None) -> list[Contribution]:
    """An organization's signals' contributions, overlap damped, largest first: what its
    score sums, and what `radar signals --sort score` shows per signal."""
    return damp_overlap([c for c in (contribution(s, model, profile, ranking, today, memo) for s in signals) if c])


def damp_overlap(contribs: list[Contribution]) -> list[Contribution]:
    """Funding, new leaders, expansion and hiring plans cluster [NEED-PRIORS §5]: summing them as
    independent overcounts, so the k-th positive contribution counts 1/(1+0.35k). Negatives count whole.
    Monotone: raising any contribution never lowers the total."""
    positives = sorted((c for c in contribs if c.value > 0), key=lambda c: -c.value)
    for k, c in enumerate(positives):
        overlap = 1.0 / (1.0 + 0.35 * k)
        c.factors["overlap"] = round(overlap, 3)
        c.value *= overlap
    return sorted(contribs, key=lambda c: -c.value)


# ---- the organization ----------------------------------------------------------------------

def inferred_stage(org: OrgView) -> Optional[str]:
    """The stored stage, else the latest funding round or a listing."""
    if org.stage:
        return org.stage
    dated = sorted(org.signals, key=lambda s: s.event_date)
    stage = None
    for s in dated:
        if s.type == "funding" and (s.subtype or "") in STAGE_OF_ROUND:
            stage = STAGE_OF_ROUND[s.subtype or ""]
        elif s.type == "ipo" and s.subtype == "listing":
            stage = "public"
    return stage


# A fact radar does not know is uncertainty, not a perfect fit: about what a fit and a miss
# average to when a fit is the exception (an organization known to fit ranks above one that
# merely might, and one known to miss below it).
UNKNOWN_FIT = {"industry": 0.8, "location": 0.8, "location_remote": 0.95, "stage": 0.95, "size": 0.95}


def known_facts(org: OrgView) -> dict[str, Optional[str]]:
    """The facts the fit reads, None where unknown: for `radar orgs explain`."""
    return {"industry": ", ".join(org.industries) or None, "location": org.location, "stage": inferred_stage(org),
            "size": org.size}


def fit_factors(org: OrgView, profile: Profile, present: bool = False) -> dict[str, float]:
    """Industries, location, stage and size against the profile's wishes; a fact not known
    counts as uncertain (UNKNOWN_FIT), a wish not stated as 1.

    `present`: a signal puts the organization in one of the person's places (an expansion or
    hiring there), so a headquarters elsewhere is no reason to count it less."""
    out = {"industry": 1.0, "location": 1.0, "stage": 1.0, "size": 1.0}
    if profile.industries:
        if org.industries:
            out["industry"] = 1.25 if set(org.industries) & set(profile.industries) else 0.6
        else:
            out["industry"] = UNKNOWN_FIT["industry"]
    places = [p for p in profile.locations if p.lower() != "remote"]
    remote = profile.remote or len(places) < len(profile.locations)
    if places and org.location:
        if any(_same_place(org.location, p) for p in places):
            out["location"] = 1.15
        elif not present:
            out["location"] = 0.9 if remote else 0.5
    elif places and not present:
        out["location"] = UNKNOWN_FIT["location_remote" if remote else "location"]
    stage = inferred_stage(org)
    if profile.stages:
        out["stage"] = (1.1 if stage in profile.stages else 0.85) if stage else UNKNOWN_FIT["stage"]
    if profile.sizes:
        out["size"] = (1.1 if org.size in profile.sizes else 0.85) if org.size else UNKNOWN_FIT["size"]
    return out


def excluded(org: OrgView, profile: Profile) -> bool:
    """Whether the profile excludes this organization by name, alias or domain."""
    if not profile.exclude:
        return False
    names = {normalize_name(x) for x in profile.exclude} - {""}
    domains = {domain_of(x) for x in profile.exclude if "." in x and " " not in x.strip()}
    mine = {normalize_name(n) for n in [org.name, *org.aliases]}
    return bool(names & mine) or bool(org.domain and domain_of(org.domain) in domains)


def warm_bonus(ranking: Ranking, direct: int, via_investors: int) -> float:
    """Diminishing: the first friend matters most; one at an investor counts half."""
    return ranking.warm_path_bonus * math.log2(1 + direct + 0.5 * via_investors)


def score_org(org: OrgView, model: dict[str, TypeModel], profile: Profile, ranking: Ranking, today: date,
              relevance: float = 1.0, investor_contacts: int = 0, memo: Optional[PartMemo] = None) -> Ranked:
    """The organization's score and its factors, contributions in order of size."""
    contribs = signal_contributions(org.signals, model, profile, ranking, today, memo)
    signal_sum = sum(c.value for c in contribs)
    fits = fit_factors(org, profile, present=any(c.factors.get("place", 1.0) > 1.0 and c.value > 0 for c in contribs))
    org_fit = math.prod(fits.values())
    base = signal_sum * org_fit * relevance
    # A friend makes an organization that needs you easier to reach, not one that does not.
    warm = warm_bonus(ranking, len(org.contacts), investor_contacts) if base > 0 else 0.0
    factors = {"signals": round(signal_sum, 4), **{k: round(v, 3) for k, v in fits.items()}, "fit": round(org_fit, 4),
               "relevance": round(relevance, 3), "warm_paths": round(warm, 4)}
    return Ranked(org, round(base + warm, 4), factors, contribs)


def rank(orgs: list[OrgView], model: dict[str, TypeModel], profile: Profile, ranking: Ranking, today: date,
         relevance: Optional[dict[int, float]] = None,
         investor_contacts: Optional[dict[int, int]] = None) -> list[Ranked]:
    """Organizations by descending score; excluded ones and those with nothing positive never appear."""
    relevance, investor_contacts = relevance or {}, investor_contacts or {}
    memo: PartMemo = {}
    ranked = [score_org(o, model, profile, ranking, today, relevance.get(o.id, 1.0),
                        investor_contacts.get(o.id, 0), memo)
              for o in orgs if not excluded(o, profile)]
    return sorted((r for r in ranked if r.score > 0), key=lambda r: (-r.score, r.org.name))
