"""One `radar serve` per database: a row in service_lock, kept fresh by a heartbeat.

Two schedulers on one job store would both run every job (STACK.md), so the second one
refuses to start and says who holds the lock. A lock left by a crashed process is taken
over once its heartbeat is stale, or at once when its process is gone from this host.
"""
import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.errors import RadarError
from radar.models import ServiceLock
from radar.processes import process_gone

logger = logging.getLogger(__name__)
STALE_AFTER = timedelta(seconds=90)
HEARTBEAT_SECONDS = 20.0


class LockHeld(RadarError):
    """Another radar serve holds this database."""


@dataclass
class Lock:
    engine: Engine
    name: str
    holder: str


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def _process_gone(row: ServiceLock) -> bool:
    return process_gone(row.holder)


def is_stale(row: ServiceLock, now: datetime, stale_after: timedelta = STALE_AFTER) -> bool:
    return now - _aware(row.heartbeat_at) > stale_after or _process_gone(row)


def acquire(engine: Engine, name: str = "serve", now: Optional[datetime] = None,
            stale_after: timedelta = STALE_AFTER) -> Lock:
    """Take the lock or raise LockHeld naming the holder and what to do."""
    now = now or datetime.now(UTC)
    holder = _holder()
    if store.insert_lock(engine, name, holder, os.getpid(), now):
        return Lock(engine, name, holder)
    row = store.read_lock(engine, name)
    if row is None:  # released between our insert and our read: try once more
        return acquire(engine, name, now, stale_after)
    if not is_stale(row, now, stale_after):
        age = int((now - _aware(row.heartbeat_at)).total_seconds())
        host = row.holder.split(":", 1)[0]
        raise LockHeld(f"another radar serve is already running on this database (pid {row.pid} on {host}, "
                       f"heartbeat {age}s ago); stop it first. A crashed one's lock expires "
                       f"{int(stale_after.total_seconds())}s after its last heartbeat")
    if not store.move_lock(engine, name, row.holder, holder, os.getpid(), now):
        raise LockHeld("another radar serve took over this database's stale lock just now; stop it first")
    logger.warning("took over the stale service lock of pid %s (%s)", row.pid, row.holder)
    return Lock(engine, name, holder)


def heartbeat(lock: Lock) -> bool:
    """Refresh the lock; False if another process has taken it (then this one must stop)."""
    return store.move_lock(lock.engine, lock.name, lock.holder)


def release(lock: Lock) -> None:
    store.delete_lock(lock.engine, lock.name, lock.holder)


def holder_info(engine: Engine, name: str = "serve", now: Optional[datetime] = None) -> Optional[dict[str, object]]:
    """Who holds the lock, for `radar status`; None when no service runs."""
    now = now or datetime.now(UTC)
    row = store.read_lock(engine, name)
    if row is None:
        return None
    return {"holder": row.holder, "pid": row.pid, "heartbeat_at": _aware(row.heartbeat_at),
            "stale": is_stale(row, now)}
