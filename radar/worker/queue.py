"""Writing jobs: each job's queue and locks, written through a connection of radar's engine.

Jobs carry ids only. Every job is written through an SQLAlchemy connection of radar's own
engine, so a job can be part of the transaction that makes it necessary (a new document and
its extraction commit together) and no second connection pool is needed to defer.
"""
import logging
from collections.abc import Callable
from typing import Any, Optional

from procrastinate import App, SyncPsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy.engine import Connection, Engine

from radar import store
from radar.errors import ConfigError

logger = logging.getLogger(__name__)

# Each job's queue: a worker started with --queues takes only some (crawl machines, NLP machines).
QUEUES = {
    "crawl_source": "crawl",
    "extract_documents": "extract",
    "refresh_rank": "profile",
    "weekly_digest": "profile",
    "export": "profile",
    "tick": "schedule",
}
ALL_QUEUES = tuple(dict.fromkeys(QUEUES.values()))


def require_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        raise ConfigError("radar worker needs PostgreSQL, and this database is SQLite (one machine: use radar serve); "
                          "set RADAR_DATABASE_URL=postgresql://user@host/dbname")


def conninfo(engine: Engine) -> str:
    """The engine's database as a libpq URI (search_path and other options kept)."""
    return engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


# Never opened: jobs are written through radar's connections (see the module docstring).
_app = App(connector=SyncPsycopgConnector())


def defer_in(conn: Connection, task: str, *, lock: Optional[str] = None, queueing_lock: Optional[str] = None,
             **args: Any) -> Optional[int]:
    """Write a job inside the caller's transaction; None when its queueing lock says an
    identical job already waits (that one will do). A savepoint keeps the refusal from
    aborting the caller's transaction."""
    deferrer = _app.configure_task(task, queue=QUEUES[task], lock=lock, queueing_lock=queueing_lock,
                                   connection=conn.connection.driver_connection)
    try:
        with conn.begin_nested():
            return deferrer.defer(**args)
    except AlreadyEnqueued:
        return None


def defer(engine: Engine, task: str, *, lock: Optional[str] = None, queueing_lock: Optional[str] = None,
          **args: Any) -> Optional[int]:
    """Write a job in a transaction of its own."""
    with store.job_transaction(engine) as conn:
        return defer_in(conn, task, lock=lock, queueing_lock=queueing_lock, **args)


def extraction_hook(shards: int) -> Callable[[Connection, int], None]:
    """store.on_new_document's hook in a worker: the extraction of a new document's shard,
    queued in the transaction that stores it unless a job of that shard is waiting already.
    One job per shard runs at a time (lock); it reads every unread document of its shard, so
    documents stored while it waits join its batch instead of making jobs of their own.

    Not a procrastinate queueing_lock: a job that fails, is stopped or is recovered from a dead
    worker goes back to waiting, and that is refused while another job holds the queueing
    lock (procrastinate issues 1446 and 1543). Two storing transactions may each see no job
    waiting and queue one; the second then finds little or nothing to read."""

    def defer_extraction(conn: Connection, document_id: int) -> None:
        shard = store.shard_of_new_document(conn, document_id, shards)
        key = f"extract:{shard}"
        if not store.extraction_waits(conn, key):
            defer_in(conn, "extract_documents", lock=key, shard=shard, shards=shards)

    return defer_extraction


def crawl_keys(source_id: int) -> dict[str, str]:
    """One crawl of a source at a time (lock) and at most one waiting (queueing lock)."""
    key = f"source:{source_id}"
    return {"lock": key, "queueing_lock": key}


def profile_keys(job: str, profile_id: Optional[int]) -> dict[str, str]:
    key = f"{job}:{profile_id or 0}"
    return {"lock": key, "queueing_lock": key}
