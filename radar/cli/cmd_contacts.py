"""`radar contacts`: the people you know, for warm paths."""
from pathlib import Path
from typing import Annotated, Optional

import typer

from radar.cli import app
from radar.cli.output import CsvOpt, JsonlOpt, JsonOpt, emit, pick_format, stderr
from radar.cli.state import state

contacts_app = typer.Typer(help="Your contacts, for warm paths.\n\nExample: radar contacts import Connections.csv",
                           context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(contacts_app, name="contacts")


ProfileOpt = Annotated[Optional[str], typer.Option(
    "--profile", metavar="NAME",
    help="A stored profile's contacts (radar profiles list); default: the config's own profile's.")]


@contacts_app.command("import")
def contacts_import(file: Annotated[Path, typer.Argument(
        help="LinkedIn Connections.csv, a vCard (.vcf, 3.0 or 4.0) file or a plain CSV with a name column.")],
        profile: ProfileOpt = None) -> None:
    """Import contacts and link them to organizations; importing the same file again changes nothing.
    Each profile has its own contacts: its ranking and digest show warm paths through them only.

    Example: radar contacts import ~/Downloads/Connections.csv --profile ana
    """
    from radar import profiles
    from radar.contacts import import_contacts

    engine = state.engine()
    s = import_contacts(engine, file, profiles.key_of(engine, profile))
    stderr.print(f"{file}: {s.format}, {s.read} contacts read: {s.new} new, {s.updated} updated, "
                 f"{s.unchanged} unchanged, {s.skipped} duplicates skipped; {s.linked} linked to organizations")


@contacts_app.command("list")
def contacts_list(profile: ProfileOpt = None, as_json: JsonOpt = False, as_jsonl: JsonlOpt = False,
                  as_csv: CsvOpt = False) -> None:
    """List a profile's imported contacts and the organizations they are linked to.

    Example: radar contacts list --profile ana --csv
    """
    from radar import profiles
    from radar.contacts import list_contacts

    fmt = pick_format(as_json, as_jsonl, as_csv)
    engine = state.engine()
    emit(list_contacts(engine, profiles.key_of(engine, profile)), ["name", "position", "company", "organization",
                                                                   "origin"], fmt)
