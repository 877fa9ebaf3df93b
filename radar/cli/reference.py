"""Writes docs/commands.md from the CLI itself: every command with its help and options.

Run `python -m radar.cli.reference > docs/commands.md` after changing a command; a test
fails while a command is missing from the docs.
"""
from collections.abc import Iterator
from typing import Any

import typer.main

from radar.cli import app


def commands() -> Iterator[tuple[list[str], Any]]:
    """(path, click command) for every leaf command, in the order --help lists them."""
    def walk(cmd: Any, path: list[str]) -> Iterator[tuple[list[str], Any]]:
        sub = getattr(cmd, "commands", None)
        if sub:
            for name, child in sub.items():
                yield from walk(child, path + [name])
        else:
            yield path, cmd

    yield from walk(typer.main.get_command(app), [])


def render() -> str:
    lines = ["# Commands", "",
             "Every command takes the global options `--config PATH`, `--db URL`, `-v`/`--verbose` and",
             "`--debug` before its name (`radar --db radar.db signals`). Exit codes: 0 success, 1 runtime",
             "failure, 2 usage or configuration error; errors are one line on stderr, data goes to stdout.", ""]
    for path, cmd in commands():
        lines += [f"## radar {' '.join(path)}", "", (cmd.help or "").strip(), ""]
        opts = [p for p in cmd.params if p.name != "help"]
        if opts:
            lines += ["| option | meaning |", "|---|---|"]
            for p in opts:
                names = (", ".join(f"`{o}`" for o in (p.opts + p.secondary_opts)) if p.param_type_name == "option"
                         else f"`{p.name.upper()}`")
                lines.append(f"| {names} | {(getattr(p, 'help', None) or '').replace('|', '/')} |")
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(), end="")
