"""One set of output options for every listing: a table, --json, --jsonl or --csv.

Data goes to stdout, messages to stderr. CSV and JSON text come from radar.writers (CSV
cells neutralized against spreadsheet formulas), shared with the export files.
"""
import json
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from radar.errors import UsageError
from radar.terminal import terminal_text
from radar.writers import csv_text, json_default

if TYPE_CHECKING:
    from rich.console import Console

JsonOpt = Annotated[bool, typer.Option("--json", help="Output a JSON array.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", "--nl", help="Output JSON Lines, one object per line.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Output CSV with a header row.")]

# The largest --limit accepted: beyond any database radar holds, and within SQLite's integers.
MAX_LIMIT = 1_000_000

class _LazyConsole:
    """A rich Console made on first use: importing rich.console costs ~80 ms, which `radar --help`
    and JSON/CSV output do not need."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Optional[Console] = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


stderr: "Console" = _LazyConsole(stderr=True, highlight=False)  # type: ignore[assignment]  # forwards to a Console


def pick_format(as_json: bool, as_jsonl: bool, as_csv: bool) -> str:
    chosen = [n for n, on in (("json", as_json), ("jsonl", as_jsonl), ("csv", as_csv)) if on]
    if len(chosen) > 1:
        raise UsageError("use just one of --json, --jsonl or --csv")
    return chosen[0] if chosen else "table"


def emit(rows: list[dict[str, Any]], columns: Sequence[str], fmt: str, title: Optional[str] = None,
         widths: Optional[dict[str, int]] = None) -> None:
    """Print rows in the chosen format; the table shows only `columns`, the others everything."""
    out = sys.stdout
    if fmt == "json":
        json.dump(rows, out, default=json_default, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, default=json_default, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        out.write(csv_text(({k: json_default(v) if isinstance(v, (date, datetime)) else v for k, v in r.items()}
                            for r in rows), columns))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False, header_style="bold")
        for col in columns:
            table.add_column(col, overflow="fold", max_width=(widths or {}).get(col))
        for row in rows:
            table.add_row(*[_cell(row.get(c)) for c in columns])
        Console(highlight=False, markup=False).print(table) if rows else stderr.print("(no rows)")




def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.2f}"
    if isinstance(v, (list, tuple)):
        text = ", ".join(str(x) for x in v)
    elif isinstance(v, (date, datetime)):
        return v.isoformat()
    else:
        text = str(v)
    return terminal_text(text)


def service_logging(level: str) -> None:
    """A long-running process (serve, worker) logs with timestamps at the configured level
    unless -v asked for more."""
    import logging

    root = logging.getLogger()
    logging.basicConfig(level=root.level, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr, force=True)
    radar_log = logging.getLogger("radar")
    if radar_log.getEffectiveLevel() > logging.getLevelName(level):
        radar_log.setLevel(level)
