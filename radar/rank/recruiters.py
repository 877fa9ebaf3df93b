"""Recruiters (no cold calls): search firms tied, by search_mandate signals, to the employers the
user ranks. A recruiter matters only while it has a search running at such an employer."""
from datetime import date, timedelta
from typing import Any

from radar.rank.phrases import clean
from radar.rank.score import OrgView, Ranked

# Retained searches run 90-120 days (NEED-PRIORS [27][28]); older mandates are likely closed.
MANDATE_DAYS = 150


def mandates(org: OrgView, today: date) -> list[dict[str, Any]]:
    """The organization's running searches with a named firm, newest first."""
    out = []
    for s in sorted(org.signals, key=lambda s: s.event_date, reverse=True):
        firm = s.attributes.get("search_firm")
        if s.type != "search_mandate" or not isinstance(firm, str) or not firm.strip():
            continue
        if s.event_date < today - timedelta(days=MANDATE_DAYS):
            continue
        out.append({"firm": clean(firm), "role": clean(s.attributes.get("role") or "an unnamed role"),
                    "evidence": s.evidence, "url": s.url, "date": s.event_date, "signal_id": s.id})
    return out


def recruiter_rows(ranked: list[Ranked]) -> list[dict[str, Any]]:
    """One row per (firm, employer, role) across ranked organizations, in the employers' rank order."""
    rows = []
    for i, r in enumerate(ranked, 1):
        for m in r.recruiters:
            rows.append({"firm": m["firm"], "employer": r.org.name, "employer_rank": i, "role": m["role"],
                         "date": m["date"], "evidence": m["evidence"], "url": m["url"], "signal_id": m["signal_id"]})
    return rows
