"""Text from the web made safe to store, print or show: the one place that decides which
characters go.

Control characters (C0 but tab and newline, DEL and C1) break PostgreSQL text columns (NUL),
move a terminal's cursor or rewrite its title (ESC, CSI, OSC), and hide in CSV cells; Unicode
line and paragraph separators break a line where a renderer expects one. Everything fetched
or imported passes through here, whether it is stored, printed or rendered.
"""
import re
from typing import Any, Optional

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_CONTROLS}]")
# \s already covers tab, newline, U+2028 and U+2029; the controls join them.
_LINE_BREAKS = re.compile(f"[\\s{_CONTROLS}]+")


def without_controls(text: str, replacement: str = " ") -> str:
    """Text with each control character replaced; tabs and line breaks kept."""
    return _CONTROL.sub(replacement, text)


def one_line(value: Any, limit: Optional[int] = None) -> str:
    """One plain line: control characters and runs of whitespace folded to one space, trimmed,
    and, past `limit` characters, cut with an ellipsis."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value)).strip()
    if limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"
