"""The worker's jobs: each a thin call of one radar.pipeline stage, with ids as arguments.

Every stage is idempotent (a document is stored once per URL, a signal once per event key,
a digest once per profile and ISO week), so a job retried after its worker died, or run
twice, adds nothing twice. A failure raises: procrastinate retries the job with back-off.
"""
import logging
from typing import Optional

from radar import pipeline
from radar.errors import RadarError
from radar.worker import queue

logger = logging.getLogger(__name__)


context = pipeline.JobContext("a worker job ran before the worker was configured")
configure = context.set
_ctx = context.get


def crawl_source(source_id: int) -> None:
    settings, engine = _ctx()
    result = pipeline.crawl_source(engine, settings, source_id)
    # A failing source is not a failed job: it is recorded in the source's health and backs
    # off through its next fetch time, which the tick reads.
    if result is not None:
        logger.info("source %s: %s, %d new documents", result.source, result.status, result.new_documents)


def extract_documents(shard: int = 0, shards: int = 1, document_ids: Optional[list[int]] = None) -> None:
    """Every unread document of a shard (see queue.extraction_hook); `document_ids`: a job
    written by a worker of before the shards, one document each."""
    settings, engine = _ctx()
    # The detector stays loaded in this process and learns the organizations stored since
    # its last job, whoever stored them (radar.extract keeps it per engine).
    if document_ids is not None:
        summary = pipeline.extract_documents(engine, settings, document_ids)
    else:
        summary = pipeline.extract_unread(engine, settings, shard, shards)
    if summary.signals_new or summary.mentions_new:
        for pid in pipeline.profile_ids(engine):
            queue.defer(engine, "refresh_rank", **queue.profile_keys("rank", pid), profile_id=pid)
    if summary.failed:
        raise RadarError(f"{summary.failed} documents could not be extracted (see the log): {summary.failed_ids}")
    logger.info("extracted %d documents", summary.documents)


def refresh_rank(profile_id: Optional[int] = None) -> None:
    settings, engine = _ctx()
    pipeline.refresh_rank(engine, pipeline.profile_settings(engine, settings, profile_id))


def weekly_digest(profile_id: Optional[int] = None) -> None:
    settings, engine = _ctx()
    outcome = pipeline.weekly_digest(engine, pipeline.profile_settings(engine, settings, profile_id))
    if outcome.status == "failed":
        raise RadarError(f"digest {outcome.iso_week} of profile {profile_id or 'config'} not sent: {outcome.error}")
    if profile_id is None and outcome.status != "skipped":
        for target in settings.worker.exports:
            queue.defer(engine, "export", lock=f"export:{target}", queueing_lock=f"export:{target}", target=target)


def export(target: str) -> None:
    settings, engine = _ctx()
    summary = pipeline.export(engine, settings, target)
    logger.info("export %s: %d sent, %d unchanged", target, summary.sent, summary.unchanged)
