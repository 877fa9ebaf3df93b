"""Docs kept honest: every [schedule] and [digest] setting, and the serve, status and
digest commands, appear in docs/service.md or docs/digest.md."""
from pathlib import Path

import pytest

from radar.settings import Digest, Schedule

DOCS = Path(__file__).resolve().parents[1] / "docs"


def docs_text() -> str:
    return (DOCS / "service.md").read_text() + (DOCS / "digest.md").read_text()


@pytest.mark.parametrize("key", [*Schedule.model_fields, *Digest.model_fields])
def test_every_setting_is_documented(key: str) -> None:
    assert f"`{key}`" in docs_text() or f"{key} =" in docs_text()


@pytest.mark.parametrize("command",
                         ["radar serve", "radar status", "radar digest", "--force", "--out", "--format", "--json"])
def test_commands_are_documented(command: str) -> None:
    assert command in docs_text()
