"""Audition brief (audition, don't interview): 3-5 lines on the problem an organization probably
faces now and what the user could show, from its signals and the need model's templates.

Each line names the signal it comes from, so the digest and the CLI can link its evidence.
"""
from typing import Any

from radar.rank.phrases import clean, fill, text_values
from radar.rank.relevance import tokens
from radar.rank.score import Contribution, Ranked
from radar.settings import Profile

MAX_LINES = 5


def matching_skills(profile: Profile, texts: list[str], limit: int = 3) -> list[str]:
    """The profile's skills whose words all occur in the organization's texts; none when its
    news is about none of them (the same list in every brief would say nothing)."""
    words = set(tokens(" ".join(texts)))
    return [s for s in profile.skills if set(tokens(s)) and set(tokens(s)) <= words][:limit]


def _values(c: Contribution, r: Ranked, profile: Profile) -> dict[str, str]:
    return text_values(c.signal, c.facts, profile, r.org.name, c.lead_days)


def _line(text: str, c: Contribution) -> dict[str, Any]:
    return {"text": text, "signal_id": c.signal.id}


def build_brief(r: Ranked, profile: Profile) -> list[dict[str, Any]]:
    """Problem and pitch from the strongest signal, then the other signals' problems, then a caution."""
    positives = [(c, c.rule) for c in r.contributions if c.value > 0 and c.rule]
    negatives = [(c, c.rule) for c in r.contributions if c.value < 0 and c.rule]
    if not positives:
        return []
    top, top_rule = positives[0]
    values = _values(top, r, profile)
    lines = [_line("Problem: " + fill(top_rule.problem, values), top)]
    skills = matching_skills(profile, [c.signal.evidence for c in r.contributions] + r.org.texts)
    show = fill(top_rule.show, values)
    if skills:
        show += f" (bring: {', '.join(clean(s) for s in skills)})"
    lines.append(_line("Show: " + show, top))
    seen_types = {top.signal.type}
    for c, rule in positives[1:]:
        if len(lines) >= MAX_LINES - 1 or c.signal.type in seen_types:
            continue
        seen_types.add(c.signal.type)
        lines.append(_line("Also: " + fill(rule.problem, _values(c, r, profile)), c))
    if negatives:
        worst, worst_rule = negatives[-1]
        lines.append(_line("Careful: " + fill(worst_rule.why, _values(worst, r, profile)), worst))
    if len(lines) < 3:
        lines.append(_line(fill("Timing: {date}; the hiring it implies typically follows within {months} months, "
                                "so approach before the roles are posted", values), top))
    return lines[:MAX_LINES]
