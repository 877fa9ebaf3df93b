"""Explanations: a score as its factors, the signals in order of contribution with their evidence,
and the one-line why now. Plain data, so the CLI can print it as text or JSON."""
from typing import Any, Optional

from radar.rank.score import Ranked

FACTOR_MEANING = {
    "signals": "sum of the signals' contributions (below)",
    "industry": "industry fit (1.25 preferred, 0.6 other, 1 unknown)",
    "location": "location fit (1.15 your place; 0.9 elsewhere if remote suits you, else 0.5)",
    "stage": "stage fit (1.1 preferred, 0.85 other)",
    "size": "size fit (1.1 preferred, 0.85 other)",
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


def explanation(r: Ranked, position: Optional[int]) -> dict[str, Any]:
    """Everything `radar orgs explain` shows."""
    return {
        "organization": r.org.name, "rank": position, "score": r.score, "why_now": r.why_now,
        "formula": "signals × fit × relevance + warm_paths",
        "factors": [{"factor": k, "value": v, "meaning": FACTOR_MEANING.get(k, "")} for k, v in r.factors.items()],
        "signals": contribution_rows(r), "brief": r.brief, "warm_paths": r.warm_paths, "recruiters": r.recruiters,
        "industries": r.org.industries,
    }
