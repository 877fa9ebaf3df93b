"""`radar contacts`: the people you know, for warm paths."""
from pathlib import Path
from typing import Annotated

import typer

from radar.cli import app
from radar.cli.output import CsvOpt, JsonlOpt, JsonOpt, emit, pick_format, stderr
from radar.cli.state import state

contacts_app = typer.Typer(help="Your contacts, for warm paths.\n\nExample: radar contacts import Connections.csv",
                           context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(contacts_app, name="contacts")


@contacts_app.command("import")
def contacts_import(file: Annotated[Path, typer.Argument(
        help="LinkedIn Connections.csv, a vCard (.vcf, 3.0 or 4.0) file or a plain CSV with a name column.")]) -> None:
    """Import contacts and link them to organizations; importing the same file again changes nothing.

    Example: radar contacts import ~/Downloads/Connections.csv
    """
    from radar.contacts import import_contacts

    s = import_contacts(state.engine(), file)
    stderr.print(f"{file}: {s.format}, {s.read} contacts read: {s.new} new, {s.updated} updated, "
                 f"{s.unchanged} unchanged, {s.skipped} duplicates skipped; {s.linked} linked to organizations")


@contacts_app.command("list")
def contacts_list(as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """List your imported contacts and the organizations they are linked to.

    Example: radar contacts list --csv
    """
    from radar.contacts import list_contacts

    fmt = pick_format(as_json, as_jsonl, as_csv)
    emit(list_contacts(state.engine()), ["name", "position", "company", "organization", "origin"], fmt)
