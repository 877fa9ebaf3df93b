"""`radar contacts`: the people you know, for warm paths."""
from pathlib import Path
from typing import Annotated

import typer

from radar.cli import app
from radar.errors import RadarError

contacts_app = typer.Typer(help="Your contacts, for warm paths.\n\nExample: radar contacts import Connections.csv", context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(contacts_app, name="contacts")


@contacts_app.command("import")
def contacts_import(file: Annotated[Path, typer.Argument(help="LinkedIn Connections.csv, a vCard file or a plain CSV.")]) -> None:
    """Import contacts and link them to organizations.

    Example: radar contacts import ~/Downloads/Connections.csv
    """
    raise RadarError("radar contacts import is not built yet (issue 5)")
