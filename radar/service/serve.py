"""The service process: take the lock, schedule the jobs, run until SIGTERM or Ctrl-C.

APScheduler's BackgroundScheduler runs the jobs in worker threads with its job store in
the radar database; the main thread keeps the lock's heartbeat and waits for a stop. On
a stop, running jobs finish their current document (radar.stop), the scheduler
shuts down, and the lock is released.
"""
import logging
import signal
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Optional

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from sqlalchemy.engine import Engine

from radar import pipeline, stop, store
from radar.clock import digest_today
from radar.digest.mail import check_mail_settings, mail_enabled
from radar.digest.view import iso_week
from radar.service import lock as service_lock
from radar.service import tasks
from radar.service.schedule import digest_overdue, job_specs, next_digest, sync_jobs
from radar.settings import Settings
from radar.store.service import JOBS_TABLE

logger = logging.getLogger(__name__)
CRAWL_WORKERS = 2


class Scheduler(BackgroundScheduler):
    """APScheduler's BackgroundScheduler, minus one hazard of 3.x: after shutdown() begins,
    its loop runs one more round that advances due jobs it can no longer submit, so those
    runs would be lost from the persistent store. Only a running scheduler processes jobs.
    """

    def _process_jobs(self) -> Optional[float]:
        if self.state != STATE_RUNNING:
            return None
        return super()._process_jobs()


def build_scheduler(engine: Engine) -> BackgroundScheduler:
    return Scheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=JOBS_TABLE)},
        # Crawls get their own workers so a long crawl never delays the digest.
        executors={"default": ThreadPoolExecutor(2), "crawl": ThreadPoolExecutor(CRAWL_WORKERS)},
        timezone=UTC,
    )


def _sources(engine: Engine, settings: Settings) -> list[tuple[str, int, Optional[datetime]]]:
    from radar import store
    from radar.sources import enabled_sources

    store.sync_sources(engine, settings.sources)
    # SQLite hands back naive datetimes; they were stored as UTC.
    return [(s.name, s.interval_minutes,
             s.next_fetch_at and s.next_fetch_at.replace(tzinfo=s.next_fetch_at.tzinfo or UTC))
            for s in enabled_sources(engine, settings)]


def _digest_state(engine: Engine, settings: Settings, now: datetime) -> tuple[bool, bool]:
    """Whether every profile has this week's digest, and whether the radar ever made one."""
    done = True
    for pid in pipeline.profile_ids(engine):
        prof = pipeline.profile_settings(engine, settings, pid)
        done = done and store.latest_digest(engine, iso_week(digest_today(prof, now)), prof.profile_key) is not None
    return done, store.latest_digest(engine) is not None


def catch_up_digest(scheduler: BackgroundScheduler, engine: Engine, settings: Settings, now: datetime) -> bool:
    """Run this week's digests now if the service was down when they were due (beyond the grace)."""
    done, ever = _digest_state(engine, settings, now)
    if digest_overdue(settings.schedule, now, done, ever):
        scheduler.modify_job("digest", next_run_time=now)
        logger.warning("this week's digest is overdue (the service was not running); sending it now")
        return True
    return False


def _install_signals() -> Callable[[], None]:
    """SIGTERM/SIGINT request a clean stop; a second Ctrl-C quits at once."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}

    def handler(signum: int, _frame: Any) -> None:
        if stop.stop_requested() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        logger.warning("%s received: stopping after the current document", signal.Signals(signum).name)
        stop.request_stop()

    def restore() -> None:
        for sig, h in previous.items():
            signal.signal(sig, h)

    for sig in previous:
        signal.signal(sig, handler)
    return restore


def _announce(scheduler: BackgroundScheduler, settings: Settings, report: dict[str, list[str]], now: datetime) -> None:
    crawls = [j for j in scheduler.get_jobs() if j.id.startswith("crawl:")]
    logger.info("radar serve: %d crawl jobs (%d added, %d kept with their schedule, %d removed)",
                len(crawls), sum(x.startswith("crawl:") for x in report["added"]),
                sum(x.startswith("crawl:") for x in report["kept"]), len(report["removed"]))
    if not crawls:
        logger.warning("no source is enabled: add [[sources]] or [industries] watch = [...] to the config")
    logger.info("digest: %s %s %s, next at %s; email %s", settings.schedule.digest_weekday,
                settings.schedule.digest_time, settings.schedule.timezone,
                next_digest(settings.schedule, now).isoformat(),
                f"on (to {', '.join(settings.digest.to)})" if mail_enabled(settings)
                else "off ([digest] smtp_host is empty): written to disk only")


def serve(settings: Settings, engine: Engine, ready: Optional[Callable[[BackgroundScheduler], None]] = None,
          heartbeat_seconds: float = service_lock.HEARTBEAT_SECONDS) -> None:
    """Run the scheduler until a stop is requested; raises LockHeld if another serve runs."""
    check_mail_settings(settings)
    held = service_lock.acquire(engine)
    stop.reset()
    restore = _install_signals()
    scheduler = build_scheduler(engine)
    try:
        tasks.configure(settings, engine)
        now = datetime.now(UTC)
        scheduler.start(paused=True)
        report = sync_jobs(scheduler, job_specs(settings, _sources(engine, settings), now))
        catch_up_digest(scheduler, engine, settings, now)
        _announce(scheduler, settings, report, now)
        scheduler.resume()
        if ready:
            ready(scheduler)
        while not stop.wait(heartbeat_seconds):
            if not service_lock.heartbeat(held):
                logger.error("another process took this database's service lock; stopping")
                break
    finally:
        stop.request_stop()
        if scheduler.running:
            logger.info("waiting for running jobs to reach a safe point")
            scheduler.shutdown(wait=True)
        service_lock.release(held)
        restore()
        stop.reset()
        logger.info("radar serve stopped")
