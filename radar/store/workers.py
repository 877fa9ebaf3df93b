"""The worker cluster's rows on PostgreSQL: procrastinate's workers and jobs as `radar status`
and the tick read them (plain SQL over procrastinate's tables: no procrastinate import), and
the transaction a job is written in."""
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import inspect, or_, select, text
from sqlalchemy.engine import Connection, Engine

from radar.models import Source, table_of

WORKERS = text("SELECT count(*) FILTER (WHERE last_heartbeat >= now() - make_interval(secs => :stalled)), "
               "count(*) FILTER (WHERE last_heartbeat < now() - make_interval(secs => :stalled)), "
               "max(last_heartbeat) FROM procrastinate_workers")
JOBS = text("SELECT task_name, status::text, count(*), count(*) FILTER (WHERE attempts > 0) "
            "FROM procrastinate_jobs GROUP BY 1, 2")
OLDEST_DUE = text("SELECT name, next_fetch_at FROM source WHERE enabled AND (next_fetch_at IS NULL "
                  "OR next_fetch_at <= :now) ORDER BY next_fetch_at NULLS FIRST, id LIMIT 1")
# Sources with a crawl job waiting or running: a running crawl has not yet moved the source's
# next fetch time, and queueing it again would only make a second job find it not due.
QUEUED = text("SELECT DISTINCT (args->>'source_id')::int FROM procrastinate_jobs "
              "WHERE task_name = 'crawl_source' AND status IN ('todo', 'doing')")

# A job with this lock that has not started yet (a shard's extraction: it will read what is
# stored meanwhile).
WAITING = text("SELECT 1 FROM procrastinate_jobs WHERE lock = :lock AND status = 'todo' LIMIT 1")


def extraction_waits(conn: Connection, lock: str) -> bool:
    """Whether a job of this lock waits, read in the caller's transaction."""
    return conn.execute(WAITING, {"lock": lock}).first() is not None


def has_job_queue(engine: Engine) -> bool:
    """Whether this is PostgreSQL with procrastinate's schema (a worker was ever set up)."""
    return engine.dialect.name == "postgresql" and inspect(engine).has_table("procrastinate_jobs")


def queue_rows(engine: Engine, stalled_seconds: float, now: datetime) -> tuple[Any, list[Any], Any]:
    """(workers alive, silent, last heartbeat), the job counts by task and status (with the
    retried ones), and the oldest due source's (name, due since) or None."""
    with engine.connect() as conn:
        workers = conn.execute(WORKERS, {"stalled": stalled_seconds}).one()
        jobs = list(conn.execute(JOBS).all())
        due = conn.execute(OLDEST_DUE, {"now": now}).first()
    return workers, jobs, due


def due_source_ids(engine: Engine, now: datetime) -> list[int]:
    """Sources whose next fetch time has come and that no crawl job holds, the longest
    waiting first (enabled or not: the caller knows which are active)."""
    t = table_of(Source)
    with engine.connect() as conn:
        queued = set(conn.execute(QUEUED).scalars())
        rows = conn.execute(select(t.c.id).where(or_(t.c.next_fetch_at.is_(None), t.c.next_fetch_at <= now))
                            .order_by(t.c.next_fetch_at.nulls_first(), t.c.id)).scalars()
        return [i for i in rows if i not in queued]


@contextmanager
def job_transaction(engine: Engine) -> Iterator[Connection]:
    """A Core transaction for jobs written through procrastinate's API on radar's own
    connection (radar.worker.queue): several jobs commit together, or with the rows that made them."""
    with engine.begin() as conn:
        yield conn
