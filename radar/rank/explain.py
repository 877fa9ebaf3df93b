"""Explanations: a score as its factors, the signals in order of contribution with their evidence,
and the one-line why now. Plain data, so the CLI can print it as text or JSON."""
from typing import Any, Optional

from radar.rank.score import UNKNOWN_FIT, Ranked, known_facts

FACTOR_MEANING = {
    "signals": "sum of the signals' contributions (below)",
    "industry": f"industry fit (1.25 preferred, 0.6 other, {UNKNOWN_FIT['industry']:g} unknown)",
    "location": "location fit (1.15 your place; 0.9 elsewhere if remote suits you, else 0.5; unknown "
                f"{UNKNOWN_FIT['location_remote']:g} if remote suits you, else {UNKNOWN_FIT['location']:g})",
    "stage": f"stage fit (1.1 preferred, 0.85 other, {UNKNOWN_FIT['stage']:g} unknown)",
    "size": f"size fit (1.1 preferred, 0.85 other, {UNKNOWN_FIT['size']:g} unknown)",
    "fit": "product of the four fits",
    "relevance": "how close its recent coverage is to your statement and skills (BM25, 0.85-1.2)",
    "warm_paths": "bonus for people you know there or at its investors",
}


def contribution_rows(r: Ranked) -> list[dict[str, Any]]:
    total = sum(abs(c.value) for c in r.contributions) or 1.0
    return [{"signal_id": c.signal.id, "type": c.signal.type, "subtype": c.signal.subtype, "date": c.signal.event_date,
             "value": round(c.value, 4), "share": round(abs(c.value) / total, 3), "need": c.need, "why": c.why,
             "factors": c.factors, "evidence": c.signal.evidence, "url": c.signal.url, "mentions": c.signal.mentions}
            for c in r.contributions]


def factor_rows(r: Ranked) -> list[dict[str, Any]]:
    """Each factor with its meaning; a fit factor also says what radar knew (or that it did not)."""
    facts = known_facts(r.org)
    rows = []
    for k, v in r.factors.items():
        meaning = FACTOR_MEANING.get(k, "")
        if k in facts:
            meaning += f"; known: {facts[k]}" if facts[k] else "; not known"
        rows.append({"factor": k, "value": v, "meaning": meaning, "known": facts.get(k)})
    return rows


def explanation(r: Ranked, position: Optional[int]) -> dict[str, Any]:
    """Everything `radar orgs explain` shows."""
    return {
        "organization": r.org.name, "rank": position, "score": r.score, "why_now": r.why_now,
        "formula": "signals × fit × relevance + warm_paths",
        "factors": factor_rows(r), "facts": known_facts(r.org),
        "signals": contribution_rows(r), "brief": r.brief, "warm_paths": r.warm_paths, "recruiters": r.recruiters,
        "industries": r.org.industries,
    }
