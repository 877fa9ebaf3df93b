"""Printing text from the web to a terminal: control characters replaced, no markup.

C0 and C1 control characters (ESC, CSI, OSC, ...), but not tab or newline: web text printed
raw could move the cursor, retitle the window or write the clipboard. Low in the package so
every report (CLI tables, `radar status`, `orgs show`) uses the one filter.
"""
import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """Text from the web made safe to print: control characters replaced."""
    return _CONTROL.sub("\uFFFD", text)


class SafeConsole:
    """A rich Console for reports whose text comes from the web: strings are printed without
    markup and with control characters replaced (tables must hold `plain` cells)."""

    def __init__(self, **options: Any) -> None:
        from rich.console import Console

        self._console = Console(**options)

    def print(self, *objects: Any, **options: Any) -> None:
        options.setdefault("markup", False)
        self._console.print(*(terminal_text(o) if isinstance(o, str) else o for o in objects), **options)


def plain(value: Any) -> Any:
    """A table cell shown as written: no markup, no control characters."""
    from rich.text import Text

    return Text(terminal_text("" if value is None else str(value)))
