"""`radar signals`: query stored signals."""
from typing import Annotated, Optional

import typer
from sqlmodel import Session, select

from radar.cli import app
from radar.cli.output import CsvOpt, JsonlOpt, JsonOpt, emit, pick_format
from radar.cli.state import state
from radar.models import Organization, Signal

COLUMNS = ["date", "organization", "type", "subtype", "confidence", "evidence", "url"]


@app.command()
def signals(
    type_: Annotated[Optional[list[str]], typer.Option("--type", "-t", help="Only these signal types (repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="Rows shown.")] = 50,
    as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False,
) -> None:
    """List signals, newest first.

    Example: radar signals --type funding --limit 20 --csv
    """
    fmt = pick_format(as_json, as_jsonl, as_csv)
    with Session(state.engine()) as s:
        q = select(Signal, Organization).join(Organization, Organization.id == Signal.organization_id)
        if type_:
            q = q.where(Signal.type.in_(type_))  # type: ignore[attr-defined]
        q = q.order_by(Signal.event_date.desc(), Signal.id.desc()).limit(limit)  # type: ignore[attr-defined]
        rows = [{"id": sig.id, "date": sig.event_date, "organization": org.name, "type": sig.type, "subtype": sig.subtype,
                 "confidence": sig.confidence, "evidence": sig.evidence, "url": sig.url, "mentions": sig.mentions,
                 "attributes": sig.attributes} for sig, org in s.exec(q)]
    emit(rows, COLUMNS, fmt, widths={"evidence": 70})
