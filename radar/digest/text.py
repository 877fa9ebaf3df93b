"""The digest as plain text: the text/plain part of the email, readable in any client."""
import textwrap

from radar.digest.view import DigestView, Item

WIDTH = 76


def _wrap(text: str, indent: str = "   ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent + "  ") or [indent]


def _item(item: Item) -> list[str]:
    bar = "#" * round(item.bar * 20)
    lines = [f"{item.rank}. {item.name}{'  [NEW]' if item.is_new else ''}",
             f"   score {item.score:.2f}  {bar}"]
    if item.about:
        lines += _wrap(item.about)
    if item.why_now:
        lines += _wrap(f"Why now: {item.why_now}")
    for e in item.evidence:
        lines += _wrap(f"- {e.date} {e.kind}: \"{e.text}\"")
        if e.url:
            lines.append(f"     {e.url}")
    if item.brief:
        lines.append("   Audition brief:")
        for b in item.brief:
            lines += _wrap(f"* {b}", "     ")
    if item.warm_paths:
        lines += _wrap("Warm paths: " + "; ".join(item.warm_paths))
    for r in item.recruiters:
        lines += _wrap(f"Recruiter: {r['firm']} is running a search" + (f" for {r['role']}" if r["role"] else ""))
        if r["url"]:
            lines.append(f"     {r['url']}")
    return lines + [""]


def render_text(view: DigestView, title: str = "radar digest") -> str:
    head = f"{title}: week {view.iso_week}"
    lines = [head, "=" * len(head), "",
             f"Top {len(view.items)} organizations likely to need you, as of {view.today.isoformat()}.", ""]
    if view.previous_week:
        lines += _wrap(f"New since the {view.previous_week} digest: "
                       + (", ".join(i.name for i in view.new_items) or "none"), "")
        lines.append("")
    if not view.items:
        lines.append("No organization has a signal that matches your profile yet.")
    for item in view.items:
        lines += _item(item)
    if view.dropped:
        lines += _wrap("No longer in the list: " + ", ".join(view.dropped), "") + [""]
    return "\n".join(lines).rstrip() + "\n"
