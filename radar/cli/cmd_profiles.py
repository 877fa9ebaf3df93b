"""`radar profiles`: other people's profiles on this radar (one crawl, a digest each)."""
from typing import Annotated, Any, Optional

import typer

from radar.cli import app
from radar.cli.output import CsvOpt, JsonlOpt, JsonOpt, emit, pick_format, stderr
from radar.cli.state import state
from radar.errors import UsageError

profiles_app = typer.Typer(
    help="Other people's profiles: crawled once, ranked and sent a digest each (the config's [profile] "
         "stays yours).\n\nExample: radar profiles list --json",
    context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(profiles_app, name="profiles")

Many = Optional[list[str]]


@profiles_app.command("add")
def profiles_add(
    name: Annotated[str, typer.Argument(help="A short name: lower-case letters, digits, '-', '_', '.'.")],
    email: Annotated[str, typer.Option("--email", help="Where this profile's weekly digest goes.")],
    industry: Annotated[Many, typer.Option("--industry", help="A watched industry (repeat; see radar industries "
                                                             "list).")] = None,
    function: Annotated[Many, typer.Option("--function", help="A function this person works in (repeat).")] = None,
    seniority: Annotated[Many, typer.Option("--seniority", help="A seniority level aimed for (repeat).")] = None,
    role: Annotated[Many, typer.Option("--role", help="A target role, as they would say it (repeat).")] = None,
    location: Annotated[Many, typer.Option("--location", help="A city, region or country (repeat).")] = None,
    statement: Annotated[str, typer.Option("--statement", help="The career path they want, in words.")] = "",
) -> None:
    """Add a profile: ranked and sent a weekly digest of its own from the shared crawl.

    Example: radar profiles add ana --email ana@example.com --industry fintech --function engineering
    """
    from radar.profiles import add

    fields: dict[str, Any] = {"name": name, "industries": industry or [], "functions": function or [],
                              "seniority": seniority or [], "roles": role or [], "locations": location or [],
                              "statement": statement}
    row = add(state.engine(), name, email, {k: v for k, v in fields.items() if v})
    stderr.print(f"added profile {row.name}: digest to {row.email}")


@profiles_app.command("list")
def profiles_list(as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """List the stored profiles (the config's own [profile] is not among them).

    Example: radar profiles list --csv
    """
    from radar.profiles import listing

    fmt = pick_format(as_json, as_jsonl, as_csv)
    emit(listing(state.engine()), ["name", "email", "industries", "functions", "seniority"], fmt)


@profiles_app.command("remove")
def profiles_remove(name: Annotated[str, typer.Argument(help="Name of the profile (see radar profiles list).")]
                    ) -> None:
    """Remove a profile; its past digests stay on disk and in the database.

    Example: radar profiles remove ana
    """
    from radar.profiles import remove

    if not remove(state.engine(), name):
        raise UsageError(f"no profile named {name}; see radar profiles list")
    stderr.print(f"removed profile {name}")
