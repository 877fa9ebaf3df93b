"""The digest as Markdown: for a file, a terminal, or the plain-text part of an email."""
import re
from datetime import date

from radar.rank.score import Ranked


def _md(text: str) -> str:
    """Text from the web, made inert in Markdown: no links, images, HTML or headings."""
    text = re.sub(r"\s+", " ", text or "").strip()
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|!])", r"\\\1", text)


def _safe_url(url: str | None) -> str:
    if url and re.match(r"^https?://[^\s<>()\"']+$", url):
        return url
    return ""


def render_markdown(ranked: list[Ranked], today: date, title: str = "radar digest") -> str:
    year, week, _ = today.isocalendar()
    lines = [f"# {title}: week {year}-W{week:02d}", "", f"Top {len(ranked)} organizations likely to need you, as of {today.isoformat()}.", ""]
    if not ranked:
        lines.append("No organization has a signal that matches your profile yet.")
    for i, r in enumerate(ranked, 1):
        lines.append(f"## {i}. {_md(r.org.name)} (score {r.score:.2f})")
        if r.why_now:
            lines.append(f"**Why now:** {_md(r.why_now)}")
        lines.append("")
        for c in r.contributions[:3]:
            s = c.signal
            url = _safe_url(s.url)
            link = f" ([source]({url}))" if url else ""
            lines.append(f"- {s.event_date.isoformat()} · {s.type}{'/' + s.subtype if s.subtype else ''}: \"{_md(s.evidence)}\"{link}")
        if r.org.contacts:
            lines.append(f"- Warm paths: {_md(', '.join(r.org.contacts))}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
