"""Core commands: init, config show, run, demo, crawl, extract, status."""
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from radar.cli import app
from radar.cli.output import CsvOpt, JsonlOpt, JsonOpt, emit, pick_format, stderr
from radar.cli.state import state
from radar.errors import ConfigError, RadarError
from radar.writers import json_default

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from radar.settings import Settings
    from radar.spiders.crawl import CrawlSummary
    from radar.spiders.results import SourceResult

# rich.progress, radar.settings (pydantic) and the stages are imported inside the commands
# that use them: `radar --help` and the light commands start without them.

config_app = typer.Typer(help="Show the effective configuration.\n\nExample: radar config show",
                         context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(config_app, name="config")


@app.command()
def init(force: Annotated[bool, typer.Option("--force", help="Overwrite an existing config file.")] = False) -> None:
    """Write a commented starter config and create the database.

    Example: radar init --config ~/.config/radar/radar.toml
    """
    from radar.catalog_files import catalog_path
    from radar.settings import DEFAULT_CONFIG

    path = state.config or DEFAULT_CONFIG
    if path.exists() and not force:
        stderr.print(f"{path} exists; kept it (use --force to overwrite)")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(catalog_path("radar.example.toml"), path)
        stderr.print(f"wrote {path}")
    state.config = path
    settings = state.settings()
    state.engine()
    stderr.print(f"database ready at {settings.database_url()}")


@config_app.command("show")
def config_show(as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False) -> None:
    """Print every effective setting, its value and where it came from.

    Example: radar config show --json
    """
    from radar.settings import effective_settings

    fmt = pick_format(as_json, as_jsonl, as_csv)
    settings = state.settings()
    rows = [{"key": k, "value": v, "origin": o} for k, v, o in effective_settings(settings)]
    emit(rows, ["key", "value", "origin"], fmt, title=f"settings ({settings.path or 'no config file: defaults'})")


def crawl_progress(total: int) -> "tuple[Progress, TaskID]":
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TextColumn("sources · failed {task.fields[failed]} · new documents {task.fields[new]}"),
                        TimeElapsedColumn(), console=Console(stderr=True), transient=False)
    task = progress.add_task("crawling", total=total, failed=0, new=0)
    return progress, task


def _crawl_with_progress(settings: "Settings", names: Optional[list[str]] = None,
                         force: bool = False) -> "CrawlSummary":
    from radar import pipeline
    from radar.sources import enabled_sources

    engine = state.engine(long_job=True)
    total = len(enabled_sources(engine, settings, names))
    progress, task = crawl_progress(total)
    counts = {"failed": 0, "new": 0}

    def on_source(result: "SourceResult") -> None:
        counts["failed"] += result.status == "failed"
        counts["new"] += result.new_documents
        progress.update(task, advance=1, failed=counts["failed"], new=counts["new"])
        if result.status == "failed":
            progress.console.print(f"source {result.source} failed: {result.error}", markup=False, highlight=False,
                                   soft_wrap=True)  # one line per source, whatever the width

    with progress:
        return pipeline.crawl(engine, settings, names, force=force, progress=on_source)


def crawl_summary_line(summary: "CrawlSummary") -> str:
    """What a crawl did, in one line: `radar crawl` and `radar run` both print it."""
    from radar.spiders.results import NOT_DUE

    not_due = sum(1 for r in summary.results if r.status == "skipped" and r.error == NOT_DUE)
    hint = f"; {not_due} not due yet (--force fetches them now)" if not_due else ""
    return (f"crawled {summary.succeeded} sources ({summary.failed} failed, {summary.skipped} skipped{hint}): "
            f"{summary.new_documents} new documents, {summary.bytes:,} bytes in {summary.requests} requests")


def _names_for(settings: "Settings", sources: Optional[list[str]], industry: Optional[str]) -> Optional[list[str]]:
    """The sources a crawl covers; ConfigError for an unknown industry or EDGAR without identity."""
    from radar.sources import catalog_industries, enabled_sources
    from radar.spiders.edgar import identity_problem

    chosen = enabled_sources(state.engine(), settings, sources)
    if industry:
        covered = sorted({i for s in enabled_sources(state.engine(), settings) for i in s.industries}
                         | set(catalog_industries()))
        if industry not in covered:
            raise ConfigError(f"unknown industry '{industry}'; known: {', '.join(covered)}")
        chosen = [s for s in chosen if industry in (s.industries or [])]
        if not chosen:
            raise ConfigError(f"no enabled source covers industry '{industry}'; switch its built-in sources on with: "
                              f"radar industries watch {industry}")
    if chosen and all(s.kind == "edgar" for s in chosen) and identity_problem(settings):
        raise ConfigError(identity_problem(settings) or "")
    return [s.name for s in chosen] if (sources or industry) else None


@app.command()
def crawl(
    source: Annotated[Optional[list[str]], typer.Option(
        "--source", "-s", help="Crawl only this source (repeatable).")] = None,
    industry: Annotated[Optional[str], typer.Option("--industry", help="Crawl only sources of this industry.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch sources even if they are not due yet.")] = False,
) -> None:
    """Fetch the configured sources and store new documents.

    Example: radar crawl --source acme-newsroom --force
    """
    settings = state.settings()
    names = _names_for(settings, source, industry)
    summary = _crawl_with_progress(settings, names, force)
    stderr.print(crawl_summary_line(summary), soft_wrap=True)
    if summary.failed and not summary.succeeded:
        raise RadarError("every source crawled failed; see the lines above, and 'radar sources check'")


@app.command()
def extract(everything: Annotated[bool, typer.Option(
        "--all", help="Re-run extraction over every stored document.")] = False) -> None:
    """Turn stored documents into signals (new documents only; --all re-reads every document after a rule change).

    Example: radar extract --all
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from radar import pipeline

    engine = state.engine(long_job=True)
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(stderr=True)) as progress:
        task = progress.add_task("extract", total=None)
        summary, _ = pipeline.extract(engine, state.settings(), everything=everything,
                                      progress=lambda done, total: progress.update(task, completed=done, total=total))
    stderr.print(f"extracted {summary.documents} documents: {summary.signals_new} new signals, "
                 f"{summary.mentions_new} new mentions"
                 + (f"; {summary.failed} documents failed and stay pending (see the log with -v)"
                    if summary.failed else ""))


@app.command("run")
def run_cmd(force: Annotated[bool, typer.Option("--force", help="Fetch sources even if not due.")] = False) -> None:
    """The main job: crawl, extract, rank, and this week's digest (kept on disk, recorded,
    emailed once per ISO week if [digest] smtp_host is set; printed as Markdown).

    Example: radar run --config ~/.config/radar/radar.toml
    """
    from radar import pipeline
    from radar.cli.cmd_digest import report_weekly
    from radar.digest.mail import check_mail_settings

    settings = state.settings()
    check_mail_settings(settings)  # a [digest] that cannot send is refused before the crawl, not after
    crawled = _crawl_with_progress(settings, force=force)
    stderr.print(crawl_summary_line(crawled), soft_wrap=True)
    extracted, _ = pipeline.extract(state.engine(), settings)
    stderr.print(f"{crawled.new_documents} new documents, {extracted.signals_new} new signals")
    outcome = pipeline.run_digest(state.engine(), settings)
    sent = report_weekly(outcome)
    markdown = outcome.path.with_suffix(".md") if outcome.path else None
    if markdown is not None and markdown.is_file():
        typer.echo(markdown.read_text(encoding="utf-8"))
    if not sent:
        raise typer.Exit(1)


@app.command()
def demo(
    directory: Annotated[Optional[Path], typer.Option(
        "--dir", help="Keep the demo's data in this folder (default: a temporary one).")] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=50, help="Organizations shown.")] = 5,
) -> None:
    """Run the whole radar offline on bundled sample sources served from 127.0.0.1.

    Example: radar demo --dir /tmp/radar-demo
    """
    from radar.demo import run_demo

    run_demo(directory, top=top, database_url=state.db)


@app.command()
def status(as_json: JsonOpt = False) -> None:
    """Show the service, each job's last and next run, source health and the last digest.

    Example: radar status --json
    """
    from radar.status import gather_status, print_status

    info = gather_status(state.engine(), state.settings())
    if as_json:
        typer.echo(json.dumps(info, default=json_default, indent=2))
    else:
        print_status(info)
