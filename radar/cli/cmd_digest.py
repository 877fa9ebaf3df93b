"""`radar digest`: write the ranked digest."""
from pathlib import Path
from typing import Annotated, Optional

import typer

from radar.cli import app
from radar.cli.output import stderr
from radar.cli.state import state


@app.command()
def digest(out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the digest to this file (Markdown).")] = None) -> None:
    """Write this week's ranked digest.

    Example: radar digest --out digest.md
    """
    from radar.jobs import write_digest

    ranked, path, text = write_digest(state.engine(), state.settings(), out)
    stderr.print(f"digest with {len(ranked)} organizations written to {path}")
