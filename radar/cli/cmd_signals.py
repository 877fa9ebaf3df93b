"""`radar signals`: query stored signals with filters; a thin layer over radar.queries."""
from typing import Annotated, Optional

import typer

from radar.cli import app
from radar.cli.output import MAX_LIMIT, CsvOpt, JsonlOpt, JsonOpt, emit, pick_format
from radar.cli.state import state

COLUMNS = ["date", "organization", "type", "subtype", "confidence", "evidence", "url"]


@app.command()
def signals(
    type_: Annotated[Optional[list[str]], typer.Option(
        "--type", "-t", help="Only these signal types (repeatable, or comma-separated).")] = None,
    org: Annotated[Optional[str], typer.Option(
        "--org", help="Only organizations whose name or alias contains this.")] = None,
    industry: Annotated[Optional[str], typer.Option("--industry", help="Only organizations in this industry.")] = None,
    since: Annotated[Optional[str], typer.Option(
        "--since", help="From this date: YYYY-MM-DD, or an age such as 7d, 4w, 3m, 1y.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Up to this date (same forms as --since).")] = None,
    min_confidence: Annotated[Optional[float], typer.Option(
        "--min-confidence", help="Only signals at least this confident (0 to 1).")] = None,
    source: Annotated[Optional[str], typer.Option(
        "--source", help="Only signals reported by this source (its name).")] = None,
    text: Annotated[Optional[str], typer.Option(
        "--text", help="Only signals whose evidence or title contains this text.")] = None,
    sort: Annotated[str, typer.Option(
        "--sort", help="date (newest first), score (ranking contribution for your profile) or confidence.")] = "date",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="Rows shown.")] = 50,
    as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False,
) -> None:
    """List signals, newest first, filtered by type, organization, industry, dates, confidence, source or text.

    Example: radar signals --type funding --since 4w --min-confidence 0.6 --csv
    """
    from radar.clock import today_for
    from radar.queries import build_filter, find_signals

    fmt = pick_format(as_json, as_jsonl, as_csv)
    settings = state.settings()
    today = today_for(settings)
    f = build_filter(types=type_, org=org, industry=industry, since=since, until=until, min_confidence=min_confidence,
                     source=source, text=text, limit=limit, sort=sort, today=today)
    # A listing writes nothing: no page check at open (radar.db.migrate), the biggest part of its start-up.
    rows = [r.as_dict() for r in find_signals(state.engine(writes=False), f, settings, today)]
    columns = COLUMNS if f.sort != "score" else ["score", *COLUMNS]
    emit(rows, columns, fmt, widths={"evidence": 70})
