"""What `radar status` says about the workers on PostgreSQL: who is alive, the jobs queued,
running, failed and retried, and the oldest due source (read by radar.store.workers: no
procrastinate import)."""
from datetime import UTC, datetime
from typing import Any, Optional

from sqlalchemy.engine import Engine

from radar import store


def worker_status(engine: Engine, stalled_seconds: float, now: Optional[datetime] = None) -> Optional[dict[str, Any]]:
    """None on SQLite or before any worker's schema; else workers, jobs and the oldest due source."""
    if not store.has_job_queue(engine):
        return None
    (alive, dead, last), rows, due = store.queue_rows(engine, stalled_seconds, now or datetime.now(UTC))
    jobs = {"queued": 0, "running": 0, "failed": 0, "retried": 0, "succeeded": 0}
    by_task: dict[str, dict[str, int]] = {}
    names = {"todo": "queued", "doing": "running", "failed": "failed", "succeeded": "succeeded"}
    for task, status, count, retried in rows:
        key = names.get(status)
        if key is None:  # cancelled, aborting, aborted: not radar's
            continue
        jobs[key] += count
        if status == "todo":
            jobs["retried"] += retried  # waiting for another attempt
        by_task.setdefault(task, {}).setdefault(key, 0)
        by_task[task][key] += count
    return {
        "workers_alive": alive, "workers_silent": dead, "last_heartbeat": last,
        "jobs": jobs, "jobs_by_task": by_task,
        "oldest_due_source": None if due is None else {"name": due[0], "due_since": due[1]},
    }


def describe(info: dict[str, Any]) -> list[str]:
    """The lines `radar status` prints."""
    j = info["jobs"]
    lines = [f"workers: {info['workers_alive']} alive" + (f", {info['workers_silent']} silent (dead: their jobs "
                                                          "are retried)" if info["workers_silent"] else ""),
             f"jobs: {j['queued']} queued ({j['retried']} of them retries), {j['running']} running, "
             f"{j['failed']} failed"]
    due = info["oldest_due_source"]
    if due is None:
        lines.append("oldest due source: none (every source is fetched up to date)")
    else:
        since = due["due_since"].astimezone(UTC).strftime("%Y-%m-%d %H:%M") if due["due_since"] else "never fetched"
        lines.append(f"oldest due source: {due['name']} (due since {since})")
    return lines
