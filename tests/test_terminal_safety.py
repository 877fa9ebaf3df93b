"""Text from the web never reaches the terminal as control sequences or rich markup."""
from datetime import UTC, datetime

import pytest

from radar.status import print_status
from radar.terminal import SafeConsole

HOSTILE = "Acme\x1b]0;pwned\x07 [bold red]x[/] \x9b2J"


def test_safe_console_replaces_control_characters_and_ignores_markup(capsys: pytest.CaptureFixture[str]) -> None:
    SafeConsole(highlight=False).print(f"name: {HOSTILE}")
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "[bold red]x[/]" in out  # shown as written, not interpreted


def test_status_tables_show_hostile_errors_inertly(capsys: pytest.CaptureFixture[str]) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    info = {"database": "sqlite:///x.db", "documents": 1, "signals": 0, "service": {"running": False},
            "next_digest_due": now, "last_digest": None,
            "jobs": [{"id": "crawl:acme", "last_run": now, "last_status": "failed", "last_error": HOSTILE,
                      "last_detail": None, "next_run": now, "scheduled": True}],
            "sources": [{"name": "acme", "kind": "rss", "enabled": True, "last_status": 500, "last_fetched_at": now,
                         "next_fetch_at": now, "consecutive_failures": 1, "last_error": HOSTILE}]}
    print_status(info)
    out = capsys.readouterr().out
    assert "\x1b]" not in out and "\x07" not in out and "\x9b" not in out
    assert "pwned" in out
