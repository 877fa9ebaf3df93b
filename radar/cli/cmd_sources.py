"""`radar sources` and `radar industries`: what radar reads."""
from typing import Annotated, Any, Optional

import typer

from radar.cli import app
from radar.cli.output import CsvOpt, JsonlOpt, JsonOpt, emit, pick_format, stderr
from radar.cli.state import state

sources_app = typer.Typer(help="The sources radar reads.\n\nExample: radar sources list --json",
                          context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(sources_app, name="sources")
industries_app = typer.Typer(help="The built-in industry catalog.\n\nExample: radar industries list",
                             context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(industries_app, name="industries")


@sources_app.command("list")
def sources_list(
    everything: Annotated[bool, typer.Option("--all", help="Include sources that are switched off.")] = False,
    as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False,
) -> None:
    """List sources with their health: last status, consecutive failures, next fetch, last error.

    Example: radar sources list --csv
    """
    from radar.sources import list_source_rows

    fmt = pick_format(as_json, as_jsonl, as_csv)
    rows = list_source_rows(state.engine(), state.settings(), everything)
    emit(rows, ["name", "kind", "origin", "last_status", "failures", "next_fetch", "last_error"], fmt)


@sources_app.command("add")
def sources_add(
    url: Annotated[str, typer.Argument(help="A feed, a page that links a feed, a sitemap or a newsroom page.")],
    industry: Annotated[Optional[list[str]], typer.Option(
        "--industry", help="Industry this source covers (repeatable).")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="Name for the source (default: from the URL).")] = None,
    kind: Annotated[Optional[str], typer.Option(
        "--kind", help="Skip detection: rss, atom, feed, newsroom, sitemap or edgar.")] = None,
    no_articles: Annotated[bool, typer.Option(
        "--no-articles", help="Keep feed entries only; never fetch the article pages.")] = False,
) -> None:
    """Probe a URL, detect what it is, and add it as a source.

    Example: radar sources add https://example.com/newsroom --industry fintech
    """
    from radar.sources import add_source

    src, found = add_source(state.engine(), state.settings(), url, name=name, kind=kind,
                            industries=industry or [], fetch_articles=not no_articles)
    stderr.print(f"added source {src.name}: {src.kind} {src.url}" + (f" ({found})" if found else ""))


@sources_app.command("remove")
def sources_remove(name: Annotated[str, typer.Argument(help="Name of the source (see radar sources list).")]) -> None:
    """Stop reading a source; its documents stay.

    Example: radar sources remove example-com-newsroom
    """
    from radar.sources import remove_source

    stderr.print(remove_source(state.engine(), state.settings(), name))


@sources_app.command("check")
def sources_check(
    name: Annotated[Optional[list[str]], typer.Argument(help="Sources to check (default: all enabled).")] = None,
    as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False,
) -> None:
    """Fetch each source once and report what it is and whether it works; stores nothing.
    Exits 1 when any source fails the check.

    Example: radar sources check startups-venture-techcrunch-venture
    """
    from radar.sources import check_sources

    fmt = pick_format(as_json, as_jsonl, as_csv)
    rows = check_sources(state.engine(), state.settings(), name or None, progress=_checking)
    emit(rows, ["name", "kind", "detected", "ok", "status", "items", "note"], fmt, widths={"note": 60})
    failed = [r["name"] for r in rows if not r["ok"]]
    if failed:
        # A check that finds a broken source fails, as a linter does, so scripts notice.
        stderr.print(f"{len(failed)} of {len(rows)} sources failed the check: {', '.join(failed)}", markup=False,
                     soft_wrap=True)
        raise typer.Exit(1)


@sources_app.command("sec-list")
def sources_sec_list(
    # radar.entities.sec.SEC_URL, written out: the CLI does not import the entities at start-up.
    url: Annotated[str, typer.Option("--url", help="Where to download it from (a mirror).")] = (
        "https://www.sec.gov/files/company_tickers.json"),
) -> None:
    """Download the SEC's list of public companies into the data folder.

    Extraction uses it to tell organizations from other names ("Meta Platforms" is one,
    "Chair" is none). Needs [edgar] user_agent, as every request to the SEC does.

    Example: radar sources sec-list
    """
    from radar.entities.sec import refresh

    path, count = refresh(state.settings(), url)
    stderr.print(f"{count:,} public companies written to {path}")


def _checking(name: str) -> None:
    stderr.print(f"checking {name} ...")


@industries_app.command("list")
def industries_list(as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """List the industries of the built-in source catalog and which ones are watched.

    Example: radar industries list
    """
    from radar.sources import industry_rows

    fmt = pick_format(as_json, as_jsonl, as_csv)
    emit(industry_rows(state.engine(), state.settings()), ["industry", "label", "sources", "watched"], fmt)


@industries_app.command("watch")
def industries_watch(name: Annotated[str, typer.Argument(help="Industry key (see radar industries list).")]) -> None:
    """Switch on the built-in sources of an industry.

    Example: radar industries watch fintech
    """
    from radar.sources import watch_industry

    added: list[Any] = watch_industry(state.engine(), name)
    stderr.print(f"watching {name}: {len(added)} built-in sources on (radar sources list shows them)")
