"""The digest as Markdown: for a file or a terminal.

Text from the web is made inert: no links, images, HTML or headings can come from it;
only URLs that pass `safe_url` become links.
"""
import re
from datetime import date
from typing import Optional

from radar.digest.view import DigestView, Item, build_view
from radar.rank.score import Ranked
from radar.text import one_line


def _md(text: str) -> str:
    """Text from the web, made inert in Markdown: no links, images, HTML or headings."""
    text = one_line(text or "")
    # Only an "&" that would start an entity is escaped: "AT&T" stays readable in a terminal
    # (`radar run` prints this), and "&lt;" from the web cannot turn into "<".
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]#|!])", r"\\\1", text)


def _link(url: str) -> str:
    # Angle brackets keep parentheses inside the URL from ending the link early.
    return f" ([source](<{url}>))" if url else ""


def _bar(fraction: float, width: int = 10) -> str:
    full = round(fraction * width)
    return "█" * full + "░" * (width - full)


def _item(item: Item) -> list[str]:
    new = " · **new**" if item.is_new else ""
    lines = [f"## {item.rank}. {_md(item.name)}", "",
             f"`{_bar(item.bar)}` score {item.score:.2f}{new}"]
    if item.about:
        lines += ["", f"_{_md(item.about)}_"]
    if item.why_now:
        lines += ["", f"**Why now:** {_md(item.why_now)}"]
    lines.append("")
    for e in item.evidence:
        lines.append(f"- {e.date} · {_md(e.kind)}: \"{_md(e.text)}\"{_link(e.url)}")
    if item.brief:
        lines += ["", "**Audition brief:**"] + [f"- {_md(b)}" for b in item.brief]
    if item.warm_paths:
        lines += ["", "**Warm paths:** " + "; ".join(_md(w) for w in item.warm_paths)]
    for r in item.recruiters:
        role = f" for {_md(r['role'])}" if r["role"] else ""
        lines += ["", f"**Recruiter:** {_md(r['firm'])} is running a search{role}{_link(r['url'])}"]
    lines.append("")
    return lines


def markdown_from_view(view: DigestView, title: str = "radar digest") -> str:
    lines = [f"# {title}: week {view.iso_week}", "",
             f"Top {len(view.items)} organizations likely to need you, as of {view.today.isoformat()}.", ""]
    if view.previous_week:
        new = ", ".join(_md(i.name) for i in view.new_items) or "none"
        lines += [f"**New since the {view.previous_week} digest:** {new}", ""]
    if not view.items:
        lines.append("No organization has a signal that matches your profile yet.")
    for item in view.items:
        lines += _item(item)
    if view.dropped:
        lines += ["---", "", "**No longer in the list:** " + ", ".join(_md(n) for n in view.dropped), ""]
    return "\n".join(lines).rstrip() + "\n"


def render_markdown(ranked: list[Ranked], today: date, title: str = "radar digest",
                    previous: Optional[list[str]] = None) -> str:
    """The Markdown digest for these ranked organizations (kept for `radar run` and the demo)."""
    return markdown_from_view(build_view(ranked, today, previous), title)
