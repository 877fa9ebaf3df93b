"""`radar export`: one entry point for every target; the CLI and the scheduler both call export().

Steps: gather the ranked organizations and people, turn them into the target's items,
keep only new or changed ones when asked (--since-last), send or write them, and record
what the target accepted. Each target is one entry of TARGETS: a function that makes its
records (in the target's module) and hands them to one of three ways of sending them:
files in a folder, one file or stdout, or a CRM's REST API.
"""
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.errors import ConfigError, UsageError
from radar.export import hubspot, jsonl, monica, twenty, vcard, webhook
from radar.export.http import ApiClient, require_url
from radar.export.records import ExportSet, Item, gather
from radar.export.state import ExportState
from radar.settings import Settings

logger = logging.getLogger(__name__)


@dataclass
class ExportOptions:
    target: str
    out: Optional[Path] = None
    since_last: bool = False
    push: bool = False
    url: Optional[str] = None
    vcard_version: str = "4.0"
    limit: Optional[int] = None


@dataclass
class ExportSummary:
    target: str
    sent: int = 0
    unchanged: int = 0
    destination: str = ""
    paths: list[Path] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)


def state_name(opts: ExportOptions) -> str:
    """Each way of sending has its own memory: a CSV file sent is not a Twenty push done."""
    return "twenty-push" if opts.target == "twenty" and opts.push else opts.target


def validate(opts: ExportOptions) -> None:
    target = TARGETS.get(opts.target)
    if target is None:
        raise UsageError(f"unknown export target '{opts.target}'; allowed: {', '.join(TARGETS)}")
    if opts.push and not target.has_push:
        raise UsageError("--push is for --to twenty (monica and webhook always push)")
    if opts.out is not None and str(opts.out) == "-" and not target.to_stdout:
        raise UsageError(f"--out - (stdout) is for --to jsonl or vcard; {opts.target} writes files: "
                         "give a folder with --out")
    if opts.vcard_version not in vcard.VERSIONS:
        raise UsageError(f"--vcard-version {opts.vcard_version} is not supported; use 4 or 3")


def choose(all_items: list[Item], state: ExportState, since_last: bool) -> tuple[list[Item], int]:
    """Items to send now, and how many were left out as unchanged since the last export."""
    if not since_last:
        return list(all_items), 0
    chosen = [i for i in all_items
              if (not state.was_sent(i.key) if i.once else state.is_new_or_changed(i.key, i.digest))]
    return chosen, len(all_items) - len(chosen)


def _out_path(settings: Settings, opts: ExportOptions, default_name: Optional[str]) -> Path:
    base = Path(settings.export.out_dir).expanduser() if settings.export.out_dir else Path.cwd()
    if opts.out is not None:
        return opts.out
    return base / default_name if default_name else base


def _secret(settings: Settings, env_name: str, what: str) -> str:
    value = settings.secret(env_name)
    if not value:
        raise ConfigError(f"the {what} is not set: put it in the environment variable {env_name} (named by the config)")
    return value


def export(engine: Engine, settings: Settings, opts: ExportOptions, today: date,
           data: Optional[ExportSet] = None,
           client_factory: Optional[Callable[..., ApiClient]] = None) -> ExportSummary:
    """Run one export; returns what was sent. Raises ConfigError/UsageError/RadarError with one-line messages."""
    validate(opts)
    data = data if data is not None else gather(engine, settings, today, opts.limit or settings.export.limit)
    state = ExportState(engine, state_name(opts))
    summary = ExportSummary(opts.target)
    run = Run(settings, opts, data, state, summary, client_factory or ApiClient)
    run_id = store.start_export(engine, state.target, None)
    try:
        TARGETS[opts.target].send(run)
    except BaseException as e:
        store.finish_export(engine, run_id, "failed", summary.sent, str(e) or type(e).__name__, summary.destination)
        raise
    store.finish_export(engine, run_id, "ok", summary.sent, destination=summary.destination)
    return summary


# ---------------------------------------------------------------- targets

@dataclass
class Run:
    """What one export run hands its target: the records, the target's memory, the summary to fill."""
    settings: Settings
    opts: ExportOptions
    data: ExportSet
    state: ExportState
    summary: ExportSummary
    make_client: Callable[..., ApiClient]

    def choose(self, all_items: list[Item]) -> list[Item]:
        chosen, self.summary.unchanged = choose(all_items, self.state, self.opts.since_last)
        return chosen


@dataclass(frozen=True)
class Target:
    send: Callable[[Run], None]
    to_stdout: bool = False  # `--out -` writes to stdout
    has_push: bool = False  # `--push` sends through the API instead of writing files


def _files(run: Run, all_items: list[Item], write: Callable[[list[Item], Path], list[Path]]) -> None:
    """CSV files in a folder."""
    chosen = run.choose(all_items)
    folder = _out_path(run.settings, run.opts, None)
    run.summary.paths = write(chosen, folder)
    _finish_files(run.state, chosen, run.summary, folder)


def _text(run: Run, all_items: list[Item], render: Callable[[list[Item]], str], default_name: str) -> None:
    """One file, or stdout."""
    chosen = run.choose(all_items)
    text = render(chosen)
    if run.opts.out is not None and str(run.opts.out) == "-":
        sys.stdout.write(text)
        run.summary.destination = "stdout"
    elif chosen:
        from radar.export.files import write_atomic

        path = _out_path(run.settings, run.opts, default_name)
        write_atomic(path, text)
        run.summary.paths = [path]
    _finish_files(run.state, chosen, run.summary, None)


def _crm(run: Run, name: str, url: str, url_setting: str, token_env: str, requests_per_minute: int,
         all_items: list[Item], push: Callable[[ApiClient, ExportState, list[Item]], dict[str, int]]) -> None:
    """A CRM's REST API (Twenty, Monica): its URL and token checked first, then every chosen record pushed."""
    url = require_url(run.opts.url or url, name, url_setting)
    token = _secret(run.settings, token_env, f"{name} API token")
    chosen = run.choose(all_items)
    with run.make_client(url, token=token, requests_per_minute=requests_per_minute,
                         retries=run.settings.export.retries, name=name) as client:
        run.summary.counts = push(client, run.state, chosen)
    run.summary.sent, run.summary.destination = sum(run.summary.counts.values()), url


def _hubspot(run: Run) -> None:
    all_items, run.summary.skipped = hubspot.build(run.data)
    _files(run, all_items, hubspot.write)


def _twenty(run: Run) -> None:
    if not run.opts.push:
        _files(run, twenty.csv_items(run.data), twenty.write_csv_files)
        return
    cfg = run.settings.export
    _crm(run, "Twenty", cfg.twenty_url, "[export] twenty_url", cfg.twenty_token_env, cfg.twenty_requests_per_minute,
         twenty.push_items(run.data), lambda client, state, chosen: twenty.TwentyPush(client, state).run(chosen))


def _monica(run: Run) -> None:
    cfg = run.settings.export
    _crm(run, "Monica", cfg.monica_url, "[export] monica_url", cfg.monica_token_env, cfg.monica_requests_per_minute,
         monica.items(run.data), lambda client, state, chosen: monica.MonicaPush(client, state).run(chosen))


def _jsonl(run: Run) -> None:
    _text(run, jsonl.items(run.data), jsonl.render, "radar-export.jsonl")


def _vcard(run: Run) -> None:
    _text(run, vcard.items(run.data, run.opts.vcard_version), vcard.render, "radar-people.vcf")


def _webhook(run: Run) -> None:
    cfg = run.settings.export
    url = require_url(run.opts.url or cfg.webhook_url, "webhook", "[export] webhook_url")
    secret = _secret(run.settings, cfg.webhook_secret_env, "webhook secret")
    chosen = run.choose(webhook.items(run.data))
    with run.make_client(url, requests_per_minute=600, retries=cfg.retries, name="webhook") as client:
        run.summary.sent = webhook.deliver(client, run.state, secret, chosen, cfg.webhook_batch)
    # What the CLI line names: "webhook: sent 5 events", not "sent nothing new" after sending.
    run.summary.counts = {"events": run.summary.sent} if run.summary.sent else {}
    run.summary.destination = url


def _finish_files(state: ExportState, chosen: list[Item], summary: ExportSummary, folder: Optional[Path]) -> None:
    """Files are written: only now do their records count as sent."""
    state.mark((i.key, i.digest, None) for i in chosen)
    summary.sent = len(chosen)
    summary.counts = {}
    for i in chosen:
        summary.counts[i.kind] = summary.counts.get(i.kind, 0) + 1
    if not summary.destination:
        # Name a folder only when it is there: with nothing to write, none was created.
        summary.destination = ", ".join(str(p) for p in summary.paths) or (
            str(folder) if folder and folder.is_dir() else "")


# The order is the one --help and error messages list.
TARGETS: dict[str, Target] = {
    "hubspot": Target(_hubspot),
    "twenty": Target(_twenty, has_push=True),
    "monica": Target(_monica),
    "vcard": Target(_vcard, to_stdout=True),
    "jsonl": Target(_jsonl, to_stdout=True),
    "webhook": Target(_webhook),
}
