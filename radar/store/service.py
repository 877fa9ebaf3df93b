"""The service's rows: each scheduled job's last run, and the lock that keeps one `radar serve`
per database."""
from datetime import UTC, datetime
from typing import Optional

from sqlalchemy import delete, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col, select

from radar.db import session_scope
from radar.models import ServiceJob, ServiceLock


def job_started(engine: Engine, job_id: str) -> None:
    """A service job began: counted, marked running (radar status shows it)."""
    with session_scope(engine) as s:
        row = s.get(ServiceJob, job_id) or ServiceJob(job_id=job_id)
        row.last_started_at, row.last_status, row.runs = datetime.now(UTC), "running", row.runs + 1
        s.add(row)


def job_finished(engine: Engine, job_id: str, status: str, error: Optional[str], detail: str) -> None:
    """A service job ended with `status` (ok, failed, ...); failures are counted."""
    with session_scope(engine) as s:
        row = s.get(ServiceJob, job_id) or ServiceJob(job_id=job_id, runs=1)
        row.last_finished_at, row.last_status = datetime.now(UTC), status
        row.last_error, row.last_detail = error, detail or None
        row.failures += status == "failed"
        s.add(row)


def job_runs(engine: Engine) -> dict[str, ServiceJob]:
    """Each service job's last run, by job id."""
    with Session(engine) as s:
        return {j.job_id: j for j in s.exec(select(ServiceJob))}


JOBS_TABLE = "apscheduler_jobs"  # where `radar serve` has APScheduler keep its jobs


def next_runs(engine: Engine) -> dict[str, Optional[datetime]]:
    """Next run of each job `radar serve` stored; APScheduler keeps it as a UTC timestamp (NULL:
    paused). Empty when no service has ever run on this database."""
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(f"SELECT id, next_run_time FROM {JOBS_TABLE}")).all()
    except DBAPIError:  # no apscheduler_jobs table
        return {}
    return {r[0]: None if r[1] is None else datetime.fromtimestamp(float(r[1]), UTC) for r in rows}


def insert_lock(engine: Engine, name: str, holder: str, pid: int, now: datetime) -> bool:
    """Take the lock `name` when no row holds it; False when one does."""
    try:
        with Session(engine) as s:
            s.add(ServiceLock(name=name, holder=holder, pid=pid, heartbeat_at=now))
            s.commit()
        return True
    except IntegrityError:
        return False


def read_lock(engine: Engine, name: str) -> Optional[ServiceLock]:
    with Session(engine) as s:
        return s.get(ServiceLock, name)


def move_lock(engine: Engine, name: str, holder: Optional[str], new_holder: Optional[str] = None,
              pid: Optional[int] = None, now: Optional[datetime] = None) -> bool:
    """Compare-and-swap on the holder: give the lock held by `holder` to `new_holder` (with its
    pid), or only refresh its heartbeat to `now` (the time now if not given). False when
    `holder` no longer holds it: of two processes taking over, one wins."""
    values: dict[str, object] = {"heartbeat_at": now or datetime.now(UTC)}
    if new_holder is not None:
        values.update(holder=new_holder, pid=pid)
    with engine.begin() as conn:
        return conn.execute(update(ServiceLock).where(col(ServiceLock.name) == name,
                                                      col(ServiceLock.holder) == holder)
                            .values(**values)).rowcount == 1


def delete_lock(engine: Engine, name: str, holder: str) -> None:
    """Give the lock up, if `holder` still holds it."""
    with engine.begin() as conn:
        conn.execute(delete(ServiceLock).where(col(ServiceLock.name) == name, col(ServiceLock.holder) == holder))
