"""What `radar status` reports: the service, each job's last and next run, source health
and the last digest. Reads only; safe while `radar serve` writes.
"""
from datetime import UTC, datetime
from typing import Any, Optional

from rich.table import Table
from sqlalchemy.engine import Engine

from radar import store
from radar.models import Document, Signal
from radar.settings import Settings
from radar.terminal import SafeConsole, plain

# Errors are shown whole up to this length (folded over lines): the reason comes after the URL.
ERROR_SHOWN = 300


def _aware(d: Optional[datetime]) -> Optional[datetime]:
    return d if d is None or d.tzinfo else d.replace(tzinfo=UTC)


def gather_jobs(engine: Engine) -> list[dict[str, Any]]:
    upcoming = store.next_runs(engine)
    done = store.job_runs(engine)
    out = []
    for job_id in sorted(set(upcoming) | set(done), key=lambda j: (j.startswith("crawl:"), j)):
        j = done.get(job_id)
        out.append({
            "id": job_id, "scheduled": job_id in upcoming, "next_run": upcoming.get(job_id),
            "last_run": _aware(j.last_started_at) if j else None,
            "last_finished": _aware(j.last_finished_at) if j else None, "last_status": j.last_status if j else "never",
            "last_detail": j.last_detail if j else None, "last_error": j.last_error if j else None,
            "runs": j.runs if j else 0, "failures": j.failures if j else 0,
        })
    return out


def gather_status(engine: Engine, settings: Settings) -> dict[str, Any]:
    from radar.service.lock import holder_info
    from radar.service.schedule import next_digest

    sources, digest = store.list_sources(engine), store.latest_digest(engine)
    from radar.worker.report import worker_status

    service = holder_info(engine)
    return {
        "workers": worker_status(engine, settings.worker.stalled_seconds),
        "database": engine.url.render_as_string(hide_password=True),
        "documents": store.count(engine, Document),
        "signals": store.count(engine, Signal),
        "service": {"running": bool(service and not service["stale"]), **(service or {})},
        "next_digest_due": next_digest(settings.schedule, datetime.now(UTC)),
        "jobs": gather_jobs(engine),
        "sources": [
            {"name": x.name, "kind": x.kind, "enabled": x.enabled, "last_status": x.last_status,
             "last_fetched_at": _aware(x.last_fetched_at), "next_fetch_at": _aware(x.next_fetch_at),
             "consecutive_failures": x.consecutive_failures, "last_error": x.last_error}
            for x in sources
        ],
        "last_digest": None if digest is None else {
            "iso_week": digest.iso_week, "status": digest.status, "created_at": _aware(digest.created_at),
            "sent_at": _aware(digest.sent_at), "path": digest.path, "recipients": digest.recipients,
            "organizations": len(digest.organizations), "error": digest.error,
        },
    }


def _when(d: Optional[datetime]) -> str:
    return d.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if d else "-"


def print_status(info: dict[str, Any]) -> None:
    console = SafeConsole(highlight=False)
    console.print(f"database {info['database']}: {info['documents']} documents, {info['signals']} signals",
                  markup=False)
    svc = info["service"]
    if svc.get("holder"):
        state = "running" if svc["running"] else "not answering (stale lock)"
        console.print(f"service: {state}, pid {svc['pid']}, heartbeat {_when(svc['heartbeat_at'])} UTC", markup=False)
    elif info.get("workers") is None:
        console.print("service: not running (start it with radar serve)", markup=False)
    if info.get("workers") is not None:
        from radar.worker.report import describe

        for line in describe(info["workers"]):
            console.print(plain(line), markup=False)
    jobs = Table(title="jobs", header_style="bold")
    for heading in ("job", "last run (UTC)", "status", "detail / error", "next run (UTC)"):
        jobs.add_column(heading, overflow="fold")
    for j in info["jobs"]:
        jobs.add_row(plain(j["id"]), _when(j["last_run"]), plain(j["last_status"]),
                     plain((j["last_error"] or j["last_detail"] or "")[:ERROR_SHOWN]),
                     _when(j["next_run"]) if j["scheduled"] else "not scheduled")
    console.print(jobs if info["jobs"] else "jobs: none scheduled yet", markup=False)
    table = Table(title="sources", header_style="bold")
    for heading in ("name", "kind", "last status", "last fetched (UTC)", "next fetch (UTC)", "failures", "last error"):
        table.add_column(heading, overflow="fold")
    for x in info["sources"]:
        table.add_row(plain(x["name"]), plain(x["kind"]), plain(x["last_status"] or ""), _when(x["last_fetched_at"]),
                      _when(x["next_fetch_at"]), str(x["consecutive_failures"]),
                      plain((x["last_error"] or "")[:ERROR_SHOWN]))
    console.print(table)
    d = info["last_digest"]
    if d is None:
        console.print(f"last digest: none; next due {_when(info['next_digest_due'])} UTC", markup=False)
    else:
        sent = f"sent {_when(d['sent_at'])} UTC to {d['recipients']}" if d["status"] == "sent" else d["status"]
        err = f" — {d['error']}" if d["error"] else ""
        console.print(f"last digest {d['iso_week']}: {sent}, {d['organizations']} organizations, "
                      f"{d['path'] or ''}{err}", markup=False)
        console.print(f"next digest due {_when(info['next_digest_due'])} UTC", markup=False)
