"""What runs when: the job definitions, their triggers, and syncing them into the job store.

Crawl jobs run at each source's interval, the digest at the configured weekday and time
in its timezone. Every job is coalesced, limited to one instance, and has a deliberate
misfire grace: APScheduler's default of one second silently skips a job that is a few
seconds late after a restart (STACK.md).
"""
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any, Optional
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from radar.settings import WEEKDAYS, Schedule, Settings

logger = logging.getLogger(__name__)
TASKS = "radar.service.tasks"
DIGEST_RETRY_MINUTES = 60


@dataclass
class JobSpec:
    id: str
    func: str  # a textual reference: the job store must never pickle a function object
    trigger: Any
    signature: str  # what the trigger means; a changed signature reschedules the job
    grace_seconds: int
    args: tuple[Any, ...] = ()
    executor: str = "default"
    first_run: Optional[datetime] = None

    @property
    def name(self) -> str:
        return f"{self.id} [{self.signature}]"


def digest_trigger(schedule: Schedule) -> CronTrigger:
    hour, minute = (int(x) for x in schedule.digest_time.split(":"))
    return CronTrigger(day_of_week=schedule.digest_weekday, hour=hour, minute=minute,
                       timezone=ZoneInfo(schedule.timezone))


def next_digest(schedule: Schedule, now: datetime) -> datetime:
    fire = digest_trigger(schedule).get_next_fire_time(None, now)
    assert fire is not None
    return fire


def this_weeks_digest_time(schedule: Schedule, now: datetime) -> datetime:
    """When this ISO week's digest is due, in the digest's timezone (DST-aware)."""
    tz = ZoneInfo(schedule.timezone)
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=WEEKDAYS.index(schedule.digest_weekday))
    hour, minute = (int(x) for x in schedule.digest_time.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def digest_overdue(schedule: Schedule, now: datetime, this_week_done: bool, ever_sent: bool) -> bool:
    """A restarted service owes this week's digest if its time has passed and none exists.

    A fresh install (no digest ever) waits for the schedule: its database is still empty.
    """
    return ever_sent and not this_week_done and now >= this_weeks_digest_time(schedule, now)


def job_specs(settings: Settings, sources: list[tuple[str, int, Optional[datetime]]],
              now: Optional[datetime] = None) -> list[JobSpec]:
    """All jobs: (name, interval minutes, stored next fetch) per enabled source, plus the digest."""
    now = now or datetime.now(UTC)
    sch = settings.schedule
    specs = []
    for name, minutes, next_fetch in sources:
        first = max(now, next_fetch) if next_fetch else now
        # A crawl late by less than one interval still runs; a later one would be redundant.
        specs.append(JobSpec(f"crawl:{name}", f"{TASKS}:crawl_job", IntervalTrigger(minutes=minutes, timezone=UTC),
                             f"every {minutes} min", minutes * 60, (name,), "crawl", first))
    specs.append(JobSpec("digest", f"{TASKS}:digest_job", digest_trigger(sch),
                         f"{sch.digest_weekday} {sch.digest_time} {sch.timezone}", sch.digest_grace_hours * 3600))
    specs.append(JobSpec("digest-retry", f"{TASKS}:digest_retry_job",
                         IntervalTrigger(minutes=DIGEST_RETRY_MINUTES, timezone=UTC),
                         f"every {DIGEST_RETRY_MINUTES} min", DIGEST_RETRY_MINUTES * 60))
    return specs


def sync_jobs(scheduler: BaseScheduler, specs: list[JobSpec]) -> dict[str, list[str]]:
    """Make the job store hold exactly these jobs, keeping the stored next run of unchanged ones.

    Replacing every job on each start would reset its next run time and lose the
    schedule the store exists to keep.
    """
    existing = {job.id: job for job in scheduler.get_jobs()}
    report: dict[str, list[str]] = {"added": [], "kept": [], "removed": []}
    for spec in specs:
        options = {"misfire_grace_time": spec.grace_seconds, "coalesce": True, "max_instances": 1}
        job = existing.pop(spec.id, None)
        if job is not None and job.name == spec.name and job.func_ref == spec.func:
            scheduler.modify_job(spec.id, **options)
            report["kept"].append(spec.id)
            continue
        extra = {"next_run_time": spec.first_run} if spec.first_run else {}
        scheduler.add_job(spec.func, spec.trigger, args=spec.args, id=spec.id, name=spec.name,
                          executor=spec.executor, replace_existing=True, **options, **extra)
        report["added"].append(spec.id)
    for job_id in existing:
        scheduler.remove_job(job_id)
        report["removed"].append(job_id)
    return report

