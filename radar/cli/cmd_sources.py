"""`radar sources` and `radar industries`: what radar reads."""
from typing import Annotated

import typer

from radar.cli import app
from radar.cli.output import CsvOpt, JsonlOpt, JsonOpt, emit, pick_format
from radar.cli.state import state

sources_app = typer.Typer(help="The sources radar reads.\n\nExample: radar sources list --json", context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(sources_app, name="sources")
industries_app = typer.Typer(help="The built-in industry catalog.\n\nExample: radar industries list", context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(industries_app, name="industries")


@sources_app.command("list")
def sources_list(as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """List sources with their health.

    Example: radar sources list --csv
    """
    from radar import store  # here, not at the top: sqlmodel is slow to import for `radar --help`
    from radar.sources import enabled_sources

    fmt = pick_format(as_json, as_jsonl, as_csv)
    engine = state.engine()
    store.sync_sources(engine, state.settings().sources)
    enabled_sources(engine, state.settings())
    rows = [{"name": s.name, "kind": s.kind, "url": s.url, "industries": s.industries, "enabled": s.enabled,
             "last_status": s.last_status, "failures": s.consecutive_failures, "last_fetched_at": s.last_fetched_at}
            for s in store.list_sources(engine)]
    emit(rows, ["name", "kind", "url", "industries", "last_status", "failures"], fmt)


@industries_app.command("list")
def industries_list(as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """List the industries of the built-in source catalog.

    Example: radar industries list
    """
    from radar.sources import catalog_industries, catalog_sources

    fmt = pick_format(as_json, as_jsonl, as_csv)
    watched = set(state.settings().industries.watch)
    rows = [{"industry": i, "sources": len(catalog_sources(i)), "watched": i in watched} for i in catalog_industries()]
    emit(rows, ["industry", "sources", "watched"], fmt)
