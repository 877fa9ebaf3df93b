"""`radar export`: feed results into personal CRMs."""
from typing import Annotated

import typer

from radar.cli import app
from radar.errors import RadarError


@app.command()
def export(to: Annotated[str, typer.Option("--to", help="Target format: hubspot, twenty, monica, vcard, jsonl, webhook.")] = "jsonl") -> None:
    """Export ranked organizations, signals and people to a CRM format.

    Example: radar export --to jsonl --out radar.jsonl
    """
    raise RadarError("radar export is not built yet (issue 7)")
