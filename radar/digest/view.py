"""The digest as plain data: what every renderer shows, computed once from the ranking.

Pure: takes Ranked objects and the previous digest's organizations, returns dataclasses.
Nothing here escapes anything; each renderer escapes for its own format.
"""
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from radar.digest.chart import weekly_counts
from radar.rank.score import OrgView, Ranked, inferred_stage
from radar.text import one_line

EVIDENCE_PER_ORG = 3
CHART_WEEKS = 12
_URL = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)


def safe_url(url: Optional[str]) -> str:
    """An http(s) URL fit for a link, or "" (javascript:, data: and odd characters refused)."""
    if url and len(url) <= 2000 and _URL.match(url.strip()):
        return url.strip()
    return ""


def clean(text: Any, limit: int = 600) -> str:
    """One line of text: whitespace and control characters folded, length capped."""
    return one_line(text or "", limit)


@dataclass
class Evidence:
    date: str
    kind: str  # "funding/series_b"
    text: str
    url: str


@dataclass
class Item:
    rank: int
    name: str
    score: float
    bar: float  # 0..1 of the week's top score
    is_new: bool
    why_now: str
    industries: list[str]
    evidence: list[Evidence]
    brief: list[str]
    warm_paths: list[str]
    recruiters: list[dict[str, str]]
    chart: list[int]  # signals per week, oldest first, the last is this week
    about: str = ""  # what the organization is, in one line: industries · place · size · stage


@dataclass
class DigestView:
    today: date
    iso_week: str
    name: str
    items: list[Item] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # in the last digest, not in this one
    previous_week: Optional[str] = None

    @property
    def new_items(self) -> list[Item]:
        return [i for i in self.items if i.is_new]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _warm_path(w: dict[str, Any]) -> str:
    who = clean(w.get("name"), 120)
    role = ", ".join(x for x in (clean(w.get("position"), 120), clean(w.get("company"), 120)) if x)
    via = clean(w.get("via"), 160)
    return who + (f" ({role})" if role else "") + (f", via {via}" if via else "")


def _recruiter(r: dict[str, Any]) -> dict[str, str]:
    return {"firm": clean(r.get("firm"), 160), "role": clean(r.get("role"), 160),
            "evidence": clean(r.get("evidence")), "url": safe_url(r.get("url")), "date": clean(r.get("date"), 20)}


def about_line(org: OrgView) -> str:
    """'fintech · Toronto · 51-200 employees · series b': the facts known, unknown ones left out."""
    stage = inferred_stage(org)
    parts = [", ".join(org.industries), org.location or "", f"{org.size} employees" if org.size else "",
             stage.replace("_", " ") if stage else ""]
    return clean(" · ".join(p for p in parts if p), 200)


def _who(attributes: dict[str, Any]) -> str:
    """'Ann Lee (Chief Financial Officer)': the person a signal is about, if it names one."""
    person, title = clean(attributes.get("person"), 80), clean(attributes.get("title"), 80)
    return person + (f" ({title})" if title else "") if person else ""


def _evidence(r: Ranked) -> list[Evidence]:
    """The strongest signals' sentences, each once: a sentence that reports two appointments
    is one line naming both people, not the same line twice."""
    lines: dict[tuple[str, str], tuple[Evidence, list[str]]] = {}
    for c in r.contributions:
        s = c.signal
        key = (clean(s.evidence), safe_url(s.url))
        if key not in lines:
            if len(lines) == EVIDENCE_PER_ORG:
                continue
            kind = s.type + (f"/{s.subtype}" if s.subtype else "")
            lines[key] = (Evidence(s.event_date.isoformat(), kind, key[0], key[1]), [])
        who = _who(s.attributes)
        if who and who not in lines[key][1]:
            lines[key][1].append(who)
    for evidence, people in lines.values():
        if people:
            evidence.kind += ", " + (" and ".join([", ".join(people[:-1]), people[-1]]) if len(people) > 1
                                     else people[0])
    return [evidence for evidence, _ in lines.values()]


def _item(rank: int, r: Ranked, top_score: float, previous: set[str], today: date) -> Item:
    evidence = _evidence(r)
    warm = [_warm_path(w) for w in r.warm_paths] or [clean(n, 120) for n in r.org.contacts]
    return Item(
        rank=rank, name=clean(r.org.name, 200), score=r.score,
        bar=max(0.0, min(1.0, r.score / top_score)) if top_score > 0 else 0.0,
        is_new=bool(previous) and r.org.name not in previous,
        why_now=clean(r.why_now), industries=[clean(i, 60) for i in r.org.industries],
        evidence=evidence, brief=[clean(b.get("text")) for b in r.brief if b.get("text")],
        warm_paths=[w for w in warm if w], recruiters=[_recruiter(x) for x in r.recruiters if x.get("firm")],
        chart=weekly_counts([s.event_date for s in r.org.signals], today, CHART_WEEKS), about=about_line(r.org),
    )


def build_view(ranked: list[Ranked], today: date, previous: Optional[list[str]] = None,
               previous_week: Optional[str] = None, name: str = "") -> DigestView:
    """The digest's content; `previous` holds the organization names of the last digest."""
    before = set(previous or [])
    top_score = max((r.score for r in ranked), default=0.0)
    items = [_item(i, r, top_score, before, today) for i, r in enumerate(ranked, 1)]
    now_names = {r.org.name for r in ranked}
    dropped = sorted(clean(n, 200) for n in before - now_names)
    return DigestView(today, iso_week(today), clean(name, 120), items, dropped, previous_week)
