"""The one text cleaner: control characters out, lines folded, length capped."""
from radar.contacts import _field
from radar.rank.phrases import clean as phrase
from radar.spiders.articles import clean_text
from radar.terminal import terminal_text
from radar.text import one_line, without_controls

HOSTILE = "Acme\x00 raised\x1b[31m $5M\x9b2J\u2028today\n\tnow"


def test_without_controls_keeps_lines_and_tabs() -> None:
    assert without_controls(HOSTILE) == "Acme  raised [31m $5M 2J\u2028today\n\tnow"
    assert without_controls("a\x07b", "\uFFFD") == "a\uFFFDb"


def test_one_line_folds_controls_and_whitespace() -> None:
    assert one_line(HOSTILE) == "Acme raised [31m $5M 2J today now"
    assert one_line(None) == ""
    assert one_line(42) == "42"


def test_one_line_caps_with_an_ellipsis() -> None:
    assert one_line("abcdef", 6) == "abcdef"
    assert one_line("abcd efgh", 6) == "abcd…"
    assert len(one_line("x" * 500, 120)) == 120


def test_every_stage_uses_it() -> None:
    # Stored text keeps its lines; shown or stored fields become one line; the terminal marks what it drops.
    assert "\x1b" not in clean_text(HOSTILE) and "\n" in clean_text(HOSTILE)
    assert _field(HOSTILE) == one_line(HOSTILE)
    assert _field(" \x00 ") is None
    assert phrase(HOSTILE) == one_line(HOSTILE)
    assert terminal_text("a\x1bb\x9bc") == "a\uFFFDb\uFFFDc"
