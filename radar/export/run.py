"""`radar export`: one entry point for every target; the CLI and the scheduler both call export().

Steps: gather the ranked organizations and people, turn them into the target's items,
keep only new or changed ones when asked (--since-last), send or write them, and record
what the target accepted.
"""
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Optional

from sqlalchemy.engine import Engine

from radar.errors import ConfigError, UsageError
from radar.export import hubspot, jsonl, monica, twenty, vcard, webhook
from radar.export.http import ApiClient, require_url
from radar.export.records import ExportSet, Item, gather
from radar.export.state import ExportState, finish_run, start_run
from radar.settings import Settings

logger = logging.getLogger(__name__)
TARGETS = ("hubspot", "twenty", "monica", "vcard", "jsonl", "webhook")


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
    if opts.target not in TARGETS:
        raise UsageError(f"unknown export target '{opts.target}'; allowed: {', '.join(TARGETS)}")
    if opts.push and opts.target != "twenty":
        raise UsageError("--push is for --to twenty (monica and webhook always push)")
    if opts.out is not None and str(opts.out) == "-" and opts.target not in ("jsonl", "vcard"):
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
    make_client = client_factory or ApiClient
    run_id = start_run(engine, state.target, None)
    try:
        _dispatch(settings, opts, data, state, summary, make_client)
    except BaseException as e:
        finish_run(engine, run_id, "failed", summary.sent, str(e) or type(e).__name__, summary.destination)
        raise
    finish_run(engine, run_id, "ok", summary.sent, destination=summary.destination)
    return summary


def _dispatch(settings: Settings, opts: ExportOptions, data: ExportSet, state: ExportState,
              summary: ExportSummary, make_client: Callable[..., ApiClient]) -> None:
    cfg = settings.export
    t = opts.target
    if t in ("hubspot",) or (t == "twenty" and not opts.push):
        if t == "hubspot":
            all_items, summary.skipped = hubspot.build(data)
        else:
            all_items = twenty.csv_items(data)
        chosen, summary.unchanged = choose(all_items, state, opts.since_last)
        folder = _out_path(settings, opts, None)
        summary.paths = hubspot.write(chosen, folder) if t == "hubspot" else twenty.write_csv_files(chosen, folder)
        _finish_files(state, chosen, summary, folder)
    elif t in ("jsonl", "vcard"):
        all_items = jsonl.items(data) if t == "jsonl" else vcard.items(data, opts.vcard_version)
        chosen, summary.unchanged = choose(all_items, state, opts.since_last)
        text = jsonl.render(chosen) if t == "jsonl" else vcard.render(chosen)
        if opts.out is not None and str(opts.out) == "-":
            sys.stdout.write(text)
            summary.destination = "stdout"
        elif chosen:
            from radar.export.files import write_atomic

            path = _out_path(settings, opts, "radar-export.jsonl" if t == "jsonl" else "radar-people.vcf")
            write_atomic(path, text)
            summary.paths = [path]
        _finish_files(state, chosen, summary, None)
    elif t == "twenty":
        url = require_url(opts.url or cfg.twenty_url, "Twenty", "[export] twenty_url")
        token = _secret(settings, cfg.twenty_token_env, "Twenty API token")
        chosen, summary.unchanged = choose(twenty.push_items(data), state, opts.since_last)
        with make_client(url, token=token, requests_per_minute=cfg.twenty_requests_per_minute, retries=cfg.retries,
                         name="Twenty") as client:
            summary.counts = twenty.TwentyPush(client, state).run(chosen)
        summary.sent, summary.destination = sum(summary.counts.values()), url
    elif t == "monica":
        url = require_url(opts.url or cfg.monica_url, "Monica", "[export] monica_url")
        token = _secret(settings, cfg.monica_token_env, "Monica API token")
        chosen, summary.unchanged = choose(monica.items(data), state, opts.since_last)
        with make_client(url, token=token, requests_per_minute=cfg.monica_requests_per_minute, retries=cfg.retries,
                         name="Monica") as client:
            summary.counts = monica.MonicaPush(client, state).run(chosen)
        summary.sent, summary.destination = sum(summary.counts.values()), url
    else:
        url = require_url(opts.url or cfg.webhook_url, "webhook", "[export] webhook_url")
        secret = _secret(settings, cfg.webhook_secret_env, "webhook secret")
        chosen, summary.unchanged = choose(webhook.items(data), state, opts.since_last)
        with make_client(url, requests_per_minute=600, retries=cfg.retries, name="webhook") as client:
            summary.sent = webhook.deliver(client, state, secret, chosen, cfg.webhook_batch)
        summary.destination = url


def _finish_files(state: ExportState, chosen: list[Item], summary: ExportSummary, folder: Optional[Path]) -> None:
    """Files are written: only now do their records count as sent."""
    state.mark((i.key, i.digest, None) for i in chosen)
    summary.sent = len(chosen)
    summary.counts = {}
    for i in chosen:
        summary.counts[i.kind] = summary.counts.get(i.kind, 0) + 1
    if not summary.destination:
        summary.destination = ", ".join(str(p) for p in summary.paths) or (str(folder) if folder else "")
