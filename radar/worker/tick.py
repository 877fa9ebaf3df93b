"""What is due: the sources whose next fetch time has come, and this week's digests.

The schedule is data: each source keeps its next fetch time in the database, and a periodic
job (deferred once per period by procrastinate, whichever worker wins) enqueues what is
due. A source's queueing lock keeps it queued at most once however often it is found due.
"""
import logging
from datetime import UTC, datetime, timedelta
from typing import Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.models import DigestRun
from radar.settings import Settings
from radar.worker import queue

logger = logging.getLogger(__name__)


def due_source_ids(engine: Engine, settings: Settings, now: datetime) -> list[int]:
    """Enabled sources whose next fetch time has come and that no crawl job holds, the
    longest waiting first."""
    from radar.sources import active_sources

    # The config's sources were stored when the worker started (radar.worker.app.run); a
    # sync on every tick would rewrite thousands of rows a second.
    active = {s.id for s in active_sources(engine, settings)}
    return [i for i in store.due_source_ids(engine, now) if i in active]


def enqueue_due_sources(engine: Engine, settings: Settings, now: Optional[datetime] = None) -> int:
    """Queue a crawl of each due source (one transaction); how many were newly queued."""
    now = now or datetime.now(UTC)
    queued = 0
    with store.job_transaction(engine) as conn:
        for source_id in due_source_ids(engine, settings, now):
            queued += queue.defer_in(conn, "crawl_source", **queue.crawl_keys(source_id),
                                     source_id=source_id) is not None
    if queued:
        logger.info("queued %d due sources", queued)
    return queued


def digest_due(settings: Settings, now: datetime, this_week: Optional[DigestRun], ever: bool) -> bool:
    """This week's digest is owed once its time has passed and none was made this week.

    A database that never made a digest waits for the scheduled time itself (within the
    grace), as `radar serve` does: an empty radar has nothing to send yet.
    """
    from radar.service.schedule import this_weeks_digest_time

    due_at = this_weeks_digest_time(settings.schedule, now)
    if this_week is not None or now < due_at:
        return False
    return ever or now - due_at <= timedelta(hours=settings.schedule.digest_grace_hours)


def _digest_runs(engine: Engine, week: str, profile: str) -> tuple[Optional[DigestRun], bool]:
    """The profile's digest run of this week, and whether the radar ever made a digest."""
    this_week = store.latest_digest(engine, week, profile)
    return this_week, this_week is not None or store.latest_digest(engine) is not None


def enqueue_due_digests(engine: Engine, settings: Settings, now: Optional[datetime] = None) -> int:
    """Queue each profile's digest that is due; how many were newly queued."""
    from radar.clock import digest_today
    from radar.digest.view import iso_week
    from radar.pipeline import profile_ids, profile_settings

    now = now or datetime.now(UTC)
    queued = 0
    for pid in profile_ids(engine):
        prof = profile_settings(engine, settings, pid)
        this_week, ever = _digest_runs(engine, iso_week(digest_today(prof, now)), prof.profile_key)
        if digest_due(prof, now, this_week, ever):
            queued += queue.defer(engine, "weekly_digest", **queue.profile_keys("digest", pid),
                                  profile_id=pid) is not None
    return queued
