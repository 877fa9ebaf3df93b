"""One set of output options for every listing: a table, --json, --jsonl or --csv.

Data goes to stdout, messages to stderr. CSV cells that a spreadsheet would run as a
formula (starting with =, +, -, @, tab or CR) are neutralized with a leading quote.
"""
import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from radar.errors import UsageError
from radar.terminal import terminal_text

if TYPE_CHECKING:
    from rich.console import Console

JsonOpt = Annotated[bool, typer.Option("--json", help="Output a JSON array.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", "--nl", help="Output JSON Lines, one object per line.")]
CsvOpt = Annotated[bool, typer.Option("--csv", help="Output CSV with a header row.")]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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


def safe_cell(value: Any) -> Any:
    """A CSV cell that cannot be run as a spreadsheet formula."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: Any) -> None:
    writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(row.get(k)) for k in columns})


def _default(o: Any) -> Any:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    return str(o)


def emit(rows: list[dict[str, Any]], columns: Sequence[str], fmt: str, title: Optional[str] = None,
         widths: Optional[dict[str, int]] = None) -> None:
    """Print rows in the chosen format; the table shows only `columns`, the others everything."""
    out = sys.stdout
    if fmt == "json":
        json.dump(rows, out, default=_default, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "jsonl":
        for row in rows:
            out.write(json.dumps(row, default=_default, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        buf = io.StringIO()
        write_csv(({k: _default(v) if isinstance(v, (date, datetime)) else v for k, v in r.items()}
                   for r in rows), columns, buf)
        out.write(buf.getvalue())
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
