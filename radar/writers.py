"""Rows as CSV or JSON text, for the CLI's listings and the export files alike.

CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR)
are neutralized with a leading quote: every value may come from the web. Low in the
package, so export writes its files without going through the CLI.
"""
import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    """A header row, then `columns` of each row (other keys left out), every cell made safe."""
    writer = csv.DictWriter(stream, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: safe_cell(row.get(k)) for k in columns})


def csv_text(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    write_csv(rows, columns, buf)
    return buf.getvalue()


def json_default(o: Any) -> Any:
    """For json.dumps: dates as ISO 8601, anything else as its text."""
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    return str(o)
