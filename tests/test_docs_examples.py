"""Every command line the docs show parses: the `Example:` of each --help (docs/commands.md)
and each `radar ...` line in the code blocks of README.md and docs/, global options after the
command included (`radar init --config PATH`). Parsing resolves the command and converts and
checks every option and argument, as a run would, without running anything."""
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer._click.core import Context
from typer.core import TyperGroup as Group

from radar.cli import app
from radar.cli.argv import hoist_global_options

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Syntax summaries, not commands: "[--all]", "A|B", "NAME ...".
SUMMARY = re.compile(r"\[|\||\.\.\.|\b[A-Z]{3,}\b")


def examples() -> list[str]:
    found: dict[str, None] = {}
    for path in DOCS:
        in_code = False
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.lstrip().startswith("```"):
                in_code = not in_code
                continue
            example = re.match(r"\s*Example: (radar .*)", line)
            command = re.match(r"\s*(?:\.venv/bin/)?(radar .*)", line) if in_code else None
            for m in (example, command):
                if m:
                    text = re.split(r"\s+#\s|\s[|>]\s", m.group(1))[0].strip()
                    found.setdefault(text)
    return list(found)


def summaries_dropped() -> list[str]:
    return [e for e in examples() if not SUMMARY.search(e.replace("radar ", "", 1))]


def parse(argv: list[str]) -> None:
    command = typer.main.get_command(app)
    ctx: Context = command.make_context("radar", hoist_global_options(argv))
    while isinstance(command, Group):
        args = [*ctx._protected_args, *ctx.args]
        if not args:
            return
        name, sub, rest = command.resolve_command(ctx, args)
        assert sub is not None, f"no command {name}"
        ctx = sub.make_context(name or "", rest, parent=ctx)
        command = sub


def test_the_docs_show_many_commands() -> None:
    assert len(summaries_dropped()) >= 40


@pytest.mark.parametrize("example", summaries_dropped())
def test_every_documented_command_line_parses(example: str) -> None:
    parse(shlex.split(example)[1:])


def test_global_options_work_after_the_command_in_a_real_process(tmp_path: Path) -> None:
    config = tmp_path / "radar.toml"
    r = subprocess.run([sys.executable, "-m", "radar", "init", "--config", str(config), "--db",
                        str(tmp_path / "r.db")], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert config.exists() and (tmp_path / "r.db").exists()
