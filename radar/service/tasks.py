"""The scheduled jobs' bodies: thin wrappers over the functions the CLI calls.

The job store keeps only a textual reference to these functions and a source name, so a
restart runs them with the configuration the service was started with (`configure`).
Every run is recorded in service_job for `radar status`; a failure is logged and
contained, so one bad job never stops the scheduler.
"""
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Optional

from sqlalchemy.engine import Engine

from radar import pipeline, store
from radar.errors import RadarError
from radar.settings import Settings
from radar.stop import Stopped, checkpoint

if TYPE_CHECKING:
    from radar.digest.weekly import DigestOutcome

logger = logging.getLogger(__name__)
_extract_lock = threading.Lock()


context = pipeline.JobContext("a scheduled job ran before the service was configured")
configure = context.set
_ctx = context.get


@dataclass
class Run:
    job_id: str
    detail: str = ""
    failed: Optional[str] = None  # an outcome that counts as a failure without an exception
    extra: dict[str, object] = field(default_factory=dict)


@contextmanager
def tracked(job_id: str) -> Iterator[Run]:
    """Record a job run; swallow its failure (logged) so the scheduler carries on."""
    _, engine = _ctx()
    run = Run(job_id)
    status, error = "ok", None
    try:
        store.job_started(engine, job_id)
        yield run
        if run.failed:
            status, error = "failed", run.failed
    except Stopped:
        status = "stopped"
        logger.info("job %s stopped after the current document", job_id)
    except RadarError as e:
        status, error = "failed", str(e)
        logger.error("job %s failed: %s", job_id, e)
    except Exception as e:  # contained on purpose: the service must keep running
        status, error = "failed", f"{type(e).__name__}: {e}"
        logger.exception("job %s failed", job_id)
    try:
        store.job_finished(engine, job_id, status, error, run.detail)
    except Exception:  # a busy database must not kill the scheduler either
        logger.exception("could not record the end of job %s", job_id)


def not_due_until(engine: Engine, name: str, now: datetime) -> Optional[datetime]:
    """The source's stored next fetch if it is not due yet (a failing source backs off;
    `radar crawl` may have run it meanwhile), else None.

    A little slack, because the stored next fetch time is counted from the end of the
    last crawl while the scheduler counts from its start.
    """
    src = next(iter(store.list_sources(engine, [name])), None)
    if src is None or src.next_fetch_at is None:
        return None
    nxt = src.next_fetch_at if src.next_fetch_at.tzinfo else src.next_fetch_at.replace(tzinfo=UTC)
    slack = max(timedelta(minutes=1), timedelta(minutes=src.interval_minutes) / 4)
    return nxt if nxt > now + slack else None


def extract_pending(engine: Engine, settings: Settings) -> tuple[int, int]:
    """Extract stored documents not yet extracted (one extraction at a time in this process);
    new signals and how many organizations were re-ranked."""

    with _extract_lock:
        summary, ranked = pipeline.extract(engine, settings, progress=lambda done, total: checkpoint())
    return summary.signals_new, ranked


def crawl_job(source: str) -> None:
    """Crawl one source, then extract what it brought."""

    settings, engine = _ctx()
    new_documents = 0
    with tracked(f"crawl:{source}") as run:
        wait = not_due_until(engine, source, datetime.now(UTC))
        if wait is not None:
            run.detail = f"skipped: not due until {wait:%Y-%m-%d %H:%M} UTC"
            return
        summary = pipeline.crawl(engine, settings, [source], force=True)
        result = summary.results[0] if summary.results else None
        new_documents = summary.new_documents
        run.detail = f"{result.status if result else 'no result'}, {new_documents} new documents"
        if result and result.status == "failed":
            run.failed = result.error or "the source failed"
    if new_documents:
        extract_job()


def extract_job() -> None:
    settings, engine = _ctx()
    with tracked("extract") as run:
        new_signals, ranked = extract_pending(engine, settings)
        run.detail = f"{new_signals} new signals" + (f", {ranked} organizations ranked" if ranked else "")


def _for_each_profile(run: Run, step: Callable[[Settings], Optional["DigestOutcome"]], counts: bool = True) -> None:
    """Run a digest step for every profile (the config's, then each stored one, as `radar
    worker` does) and describe it in `run`; the stored profiles' parts are named. One
    profile's failure is recorded and the others still get theirs."""
    settings, engine = _ctx()
    parts, failures = [], []
    for pid in pipeline.profile_ids(engine):
        who = "" if pid is None else f"profile {pid}: "
        try:
            prof = pipeline.profile_settings(engine, settings, pid)
            who = "" if pid is None else f"{prof.profile_key}: "
            outcome = step(prof)
        except Stopped:
            raise
        except RadarError as e:
            logger.error("digest of %s failed: %s", who[:-2] or "the config's profile", e)
            failures.append(f"{who}{e}")
            continue
        except Exception as e:  # contained on purpose: the next profile still gets its digest
            logger.exception("digest of %s failed", who[:-2] or "the config's profile")
            failures.append(f"{who}{type(e).__name__}: {e}")
            continue
        if outcome is None:
            continue
        parts.append(f"{who}{outcome.iso_week} {outcome.status}" +
                     (f": {outcome.organizations} organizations" if counts else ""))
        if outcome.status == "failed":
            failures.append(f"{who}{outcome.error}")
    run.detail = "; ".join(parts) or "nothing to retry"
    if failures:
        run.failed = "; ".join(failures)


def digest_job() -> None:
    """This week's digest of each profile, once per ISO week; a failed send shows as a failed run."""
    _, engine = _ctx()
    with tracked("digest") as run:
        _for_each_profile(run, lambda prof: pipeline.weekly_digest(engine, prof))


def digest_retry_job() -> None:
    """Send again each profile's digest of this week whose send failed."""
    from radar.digest.weekly import deliver_pending

    _, engine = _ctx()
    with tracked("digest-retry") as run:
        _for_each_profile(run, lambda prof: deliver_pending(engine, prof), counts=False)
