"""`radar digest`: this week's digest, to a file or by email."""
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from radar.cli import app
from radar.cli.output import stderr
from radar.cli.state import state
from radar.errors import UsageError

if TYPE_CHECKING:
    from radar.digest.weekly import DigestOutcome

FORMATS = ("md", "html")


@app.command()
def digest(
    out: Annotated[Optional[Path], typer.Option(
        "--out", "-o", help="Only write the digest to this file: HTML for .html/.htm, else Markdown.")] = None,
    fmt: Annotated[Optional[str], typer.Option(
        "--format", "-f", help="Format of --out: md or html (default: from the file name).")] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Render and send again even if this week's digest was sent.")] = False,
) -> None:
    """Write this week's ranked digest; without --out, run the weekly job: keep it on disk,
    record it and email it (once per ISO week) if [digest] smtp_host is set.

    Example: radar digest --out digest.html
    """
    from radar.digest.weekly import run_weekly, write_digest

    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    if out is None and fmt is not None:
        raise UsageError("--format needs --out FILE")
    if out is not None:
        if force:
            raise UsageError("--force applies to the weekly job, not to --out; use one or the other")
        ranked, path, _ = write_digest(state.engine(long_job=True), state.settings(), out, fmt)
        stderr.print(f"digest with {len(ranked)} organizations written to {path}")
        return
    outcome = run_weekly(state.engine(long_job=True), state.settings(), force=force)
    if not report_weekly(outcome):
        raise typer.Exit(1)


def report_weekly(outcome: "DigestOutcome") -> bool:
    """Say what the weekly digest job did, in one line (`radar digest` and `radar run`); False
    when the email could not be sent."""
    where = f" ({outcome.path})" if outcome.path else ""
    if outcome.status == "skipped":
        done = "sent" if outcome.found == "sent" else "written"
        stderr.print(f"digest {outcome.iso_week} was already {done}{where}; nothing sent "
                     "(radar digest --force renders and sends it again)", markup=False)
    elif outcome.status == "busy":
        stderr.print(f"digest {outcome.iso_week}: {outcome.error}; nothing sent by this one", markup=False)
    elif outcome.status == "failed":
        stderr.print(f"digest {outcome.iso_week} written{where} but not sent: {outcome.error}; "
                     "it is retried on the next run", markup=False)
        return False
    else:
        verb = "written and sent" if outcome.status == "sent" else "written (email is off: [digest] smtp_host is empty)"
        stderr.print(f"digest {outcome.iso_week} with {outcome.organizations} organizations {verb}{where}",
                     markup=False)
    return True
