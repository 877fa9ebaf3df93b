"""`radar export`: feed ranked organizations, signals and people into personal CRMs."""
from pathlib import Path
from typing import Annotated, Optional

import typer

from radar.cli import app
from radar.cli.output import MAX_LIMIT, stderr
from radar.cli.state import state


@app.command()
def export(
    to: Annotated[str, typer.Option(
        "--to", help="Target: hubspot, twenty, monica, vcard, jsonl or webhook.")] = "jsonl",
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="File (jsonl, vcard; '-' for stdout) or folder (hubspot, twenty CSV).")] = None,
    since_last: Annotated[bool, typer.Option(
        "--since-last", help="Send only what is new or changed since this target's last export.")] = False,
    push: Annotated[bool, typer.Option(
        "--push", help="twenty: push through Twenty's REST API instead of writing CSV files.")] = False,
    url: Annotated[Optional[str], typer.Option(
        "--url", help="Base URL of the CRM or the webhook (overrides [export] in the config).")] = None,
    vcard_version: Annotated[str, typer.Option("--vcard-version", help="vCard version: 4 (default) or 3.")] = "4",
    limit: Annotated[Optional[int], typer.Option(
        "--limit", "-n", min=1, max=MAX_LIMIT, help="Ranked organizations covered (default [export] limit).")] = None,
) -> None:
    """Export ranked organizations, their signals and the people there to a CRM format.

    Example: radar export --to hubspot --out exports/ --since-last
    """
    from radar.clock import today_for
    from radar.export.run import ExportOptions
    from radar.export.run import export as run_export

    settings = state.settings()
    version = {"4": "4.0", "4.0": "4.0", "3": "3.0", "3.0": "3.0"}.get(vcard_version.strip(), vcard_version)
    opts = ExportOptions(target=to.strip().lower(), out=out, since_last=since_last, push=push, url=url,
                         vcard_version=version, limit=limit)
    with stderr.status(f"exporting to {opts.target}…"):
        summary = run_export(state.engine(long_job=True), settings, opts, today_for(settings))
    parts = ", ".join(f"{n} {k}" for k, n in summary.counts.items() if n) or "nothing new"
    msg = f"{opts.target}: sent {parts}"
    if summary.unchanged:
        msg += f"; {summary.unchanged} unchanged since the last export"
    if summary.destination:
        msg += f" → {summary.destination}"
    stderr.print(msg, markup=False, soft_wrap=True)
    for reason, n in summary.skipped.items():
        if n:
            stderr.print(f"{opts.target}: left out {n} {reason}", markup=False, soft_wrap=True)
