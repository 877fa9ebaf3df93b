"""Digest runs: one row per profile and ISO week, claimed before its email goes out."""
from datetime import UTC, datetime, timedelta
from typing import Any, Optional

from sqlalchemy import and_, or_, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from radar.db import insert_new, session_scope
from radar.models import DigestRun, table_of


def latest_digest(engine: Engine, week: Optional[str] = None, profile: Optional[str] = None) -> Optional[DigestRun]:
    """The newest digest run (of that ISO week, and of that profile, if given); None when there is none."""
    with Session(engine, expire_on_commit=False) as s:
        q = select(DigestRun).order_by(col(DigestRun.created_at).desc(), col(DigestRun.id).desc())
        if week:
            q = q.where(DigestRun.iso_week == week)
        if profile:
            q = q.where(DigestRun.profile == profile)
        return s.exec(q).first()


def previous_digest(engine: Engine, week: str, profile: str) -> Optional[DigestRun]:
    """The profile's last digest of a week before `week`; None when there is none."""
    with Session(engine, expire_on_commit=False) as s:
        return s.exec(select(DigestRun).where(DigestRun.profile == profile, DigestRun.iso_week < week)
                      .order_by(col(DigestRun.iso_week).desc(), col(DigestRun.created_at).desc())).first()


def insert_digest(engine: Engine, profile: str, week: str, values: dict[str, Any], status: str) -> Optional[int]:
    """Record this week's run, already claimed when `status` is "sending"; None when another
    process recorded the week first (the unique profile and week decide, not a read before)."""
    now = datetime.now(UTC)
    row = DigestRun(profile=profile, iso_week=week, status=status, created_at=now,
                    claimed_at=now if status == "sending" else None, **values)
    with engine.begin() as conn:
        return insert_new(conn, table_of(DigestRun), row.model_dump(exclude={"id"}))


def claim_digest(engine: Engine, run_id: int, stale: timedelta, status: str = "sending", force: bool = False,
                 values: Optional[dict[str, Any]] = None) -> bool:
    """Take the run for this process in one conditional UPDATE: a run being sent by another
    process (a claim younger than `stale`) is not taken, nor a sent one unless forced.
    Two processes claiming at once: one UPDATE matches, the other finds the row changed."""
    runs = table_of(DigestRun)
    now = datetime.now(UTC)
    free = or_(runs.c.status != "sending", runs.c.claimed_at.is_(None), runs.c.claimed_at < now - stale)
    if not force:
        free = and_(free, runs.c.status != "sent")
    with engine.begin() as conn:
        done = conn.execute(update(runs).where(runs.c.id == run_id, free).values(
            status=status, claimed_at=now if status == "sending" else None, **(values or {})))
    return done.rowcount == 1


def finish_digest(engine: Engine, run_id: int, ok: bool, error: Optional[str]) -> None:
    """The run was sent (ok) or its sending failed with `error`; its claim ends."""
    with session_scope(engine) as s:
        run = s.get(DigestRun, run_id)
        assert run is not None
        run.status = "sent" if ok else "failed"
        run.error = None if ok else error
        run.claimed_at = None
        if ok:
            run.sent_at = datetime.now(UTC)
        s.add(run)
