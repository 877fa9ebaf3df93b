"""What `radar status` reports: source health, recent runs and the last digest."""
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar import store
from radar.models import DigestRun, Document, Signal, Source
from radar.settings import Settings


def gather_status(engine: Engine, settings: Settings) -> dict[str, Any]:
    with Session(engine) as s:
        sources = list(s.exec(select(Source).order_by(Source.name)))
        digest = s.exec(select(DigestRun).order_by(DigestRun.created_at.desc())).first()  # type: ignore[attr-defined]
    return {
        "database": engine.url.render_as_string(hide_password=True),
        "documents": store.count(engine, Document),
        "signals": store.count(engine, Signal),
        "sources": [
            {"name": x.name, "kind": x.kind, "enabled": x.enabled, "last_status": x.last_status,
             "last_fetched_at": x.last_fetched_at, "next_fetch_at": x.next_fetch_at,
             "consecutive_failures": x.consecutive_failures, "last_error": x.last_error}
            for x in sources
        ],
        "last_digest": None if digest is None else {
            "iso_week": digest.iso_week, "status": digest.status, "created_at": digest.created_at,
            "sent_at": digest.sent_at, "path": digest.path, "error": digest.error,
        },
        "jobs": [],
    }


def print_status(info: dict[str, Any]) -> None:
    console = Console(highlight=False)
    console.print(f"database {info['database']}: {info['documents']} documents, {info['signals']} signals", markup=False)
    table = Table(title="sources", header_style="bold")
    for col in ("name", "kind", "last status", "last fetched", "next fetch", "failures", "last error"):
        table.add_column(col, overflow="fold")
    for x in info["sources"]:
        table.add_row(x["name"], x["kind"], str(x["last_status"] or ""), str(x["last_fetched_at"] or "")[:19],
                      str(x["next_fetch_at"] or "")[:19], str(x["consecutive_failures"]), (x["last_error"] or "")[:80])
    console.print(table)
    for job in info.get("jobs", []):
        console.print(f"job {job['id']}: last run {job.get('last_run') or '-'}, next run {job.get('next_run') or '-'}", markup=False)
    d = info["last_digest"]
    console.print("last digest: none" if d is None else f"last digest {d['iso_week']}: {d['status']} {d['path'] or ''} {d['error'] or ''}", markup=False)
