"""Each organization's signals over time as a tiny bar chart: an inline SVG for files and
browsers, a table of coloured cells for email (mail clients drop SVG; cells survive with
images off).
"""
from datetime import date, timedelta

from markupsafe import Markup, escape

BAR = "#2f6fde"
EMPTY = "#e4e8ef"


def weekly_counts(days: list[date], today: date, weeks: int) -> list[int]:
    """Signals per ISO-aligned week, oldest first; the last bucket is the week of `today`."""
    this_monday = today - timedelta(days=today.weekday())
    counts = [0] * weeks
    for d in days:
        back = (this_monday - (d - timedelta(days=d.weekday()))).days // 7
        if 0 <= back < weeks:
            counts[weeks - 1 - back] += 1
    return counts


def _label(counts: list[int]) -> str:
    return f"{sum(counts)} signals in the last {len(counts)} weeks, {counts[-1]} this week"


def svg(counts: list[int], width: int = 120, height: int = 28) -> Markup:
    """Inline SVG bars; numbers only, plus an escaped title for screen readers."""
    n = max(len(counts), 1)
    peak = max(counts + [1])
    step = width / n
    bars = []
    for i, c in enumerate(counts):
        h = 2 if c == 0 else max(4, round((height - 2) * c / peak))
        colour = BAR if c else EMPTY
        bars.append(f'<rect x="{i * step + 1:.1f}" y="{height - h}" width="{step - 2:.1f}" height="{h}" '
                    f'fill="{colour}"/>')
    title = escape(_label(counts))
    return Markup(f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                  f'viewBox="0 0 {width} {height}" '
                  f'role="img" aria-label="{title}"><title>{title}</title>{"".join(bars)}</svg>')


def cells(counts: list[int], height: int = 24) -> Markup:
    """The same bars as a one-row table: bottom-aligned cells with explicit heights."""
    peak = max(counts + [1])
    tds = []
    for c in counts:
        h = 2 if c == 0 else max(4, round(height * c / peak))
        colour = BAR if c else EMPTY
        tds.append(f'<td valign="bottom" style="padding:0 1px;vertical-align:bottom;height:{height}px">'
                   f'<div style="width:7px;height:{h}px;line-height:{h}px;font-size:1px;background-color:{colour}">'
                   '&nbsp;</div></td>')
    title = escape(_label(counts))
    return Markup(f'<table role="img" aria-label="{title}" title="{title}" cellpadding="0" cellspacing="0" border="0" '
                  f'style="border-collapse:collapse"><tr>{"".join(tds)}</tr></table>')
