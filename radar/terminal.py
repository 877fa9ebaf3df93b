"""Printing text from the web to a terminal: control characters replaced, no markup.

C0 and C1 control characters (ESC, CSI, OSC, ...), but not tab or newline: web text printed
raw could move the cursor, retitle the window or write the clipboard. Low in the package so
every report (CLI tables, `radar status`, `orgs show`) uses the one filter.
"""
from typing import Any

from radar.text import without_controls


def terminal_text(text: str) -> str:
    """Text from the web made safe to print: control characters replaced."""
    return without_controls(text, "\uFFFD")


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
