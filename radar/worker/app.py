"""One worker process: the procrastinate app over radar's database, its jobs, the periodic
tick, and the loop that runs until SIGTERM or Ctrl-C.

A stop lets the running job finish its current document (radar.stop), then the
job ends as failed and procrastinate retries it (its stage is idempotent), while this
worker takes no new job. A worker killed outright (kill -9, a lost machine) stops sending
heartbeats: after `worker.stalled_seconds` the next tick, on any other worker, retries its
jobs.
"""
import asyncio
import logging
import signal
from typing import Optional

from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import ProcrastinateException
from procrastinate.jobs import Status
from sqlalchemy.engine import Engine

from radar import stop, store
from radar.settings import Settings
from radar.worker import jobs, queue, tick

logger = logging.getLogger(__name__)
# Waits of about 3, 9, 27, 81 and 243 s: a source's host or the SMTP server has time to recover.
RETRY = RetryStrategy(max_attempts=6, exponential_wait=3)


def build_app(engine: Engine, settings: Settings) -> App:
    app = App(connector=PsycopgConnector(conninfo=queue.conninfo(engine), min_size=1,
                                         max_size=settings.worker.concurrency + 3))
    for func in (jobs.crawl_source, jobs.extract_documents, jobs.refresh_rank, jobs.weekly_digest, jobs.export):
        app.task(name=func.__name__, queue=queue.QUEUES[func.__name__], retry=RETRY)(func)
    # Deferred once per period by the database, whichever worker asks first.
    every = settings.worker.tick_seconds
    periodic = app.periodic(cron=f"*/{every} * * * * *", periodic_id="tick")
    # One tick waits at most: while every worker is busy with long jobs, ticks do not pile up.
    periodic(app.task(name="tick", queue=queue.QUEUES["tick"], queueing_lock="tick", pass_context=True)(run_tick))
    return app


async def run_tick(context: JobContext, timestamp: int) -> None:
    """Retry the jobs of dead workers, then queue the sources and digests that are due."""
    settings, engine = jobs._ctx()
    manager = context.app.job_manager if context.app else None
    if manager is not None:
        seconds = settings.worker.stalled_seconds
        for job in await manager.get_stalled_jobs(seconds_since_heartbeat=seconds):
            logger.warning("job %s %s of a dead worker: retrying it", job.id, job.call_string)
            try:
                await manager.retry_job(job)
            except ProcrastinateException:
                # Refused when a job of the same queueing lock waits already (a tick): that
                # one does the same work. Finished as failed, so it is not found stalled again.
                logger.warning("job %s cannot wait again beside its twin: marked failed", job.id)
                await manager.finish_job(job, Status.FAILED, delete_job=False)
        await manager.prune_stalled_workers(seconds)
    await asyncio.to_thread(tick.enqueue_due_sources, engine, settings)
    await asyncio.to_thread(tick.enqueue_due_digests, engine, settings)


def run(settings: Settings, engine: Engine, queues: Optional[list[str]] = None, name: Optional[str] = None) -> None:
    """Run a worker until SIGTERM or Ctrl-C; ConfigError on a database that is not PostgreSQL."""
    queue.require_postgresql(engine)
    from radar.sources import enabled_sources

    enabled_sources(engine, settings)  # the config's sources into the database, before any tick reads them
    jobs.configure(settings, engine)
    store.on_new_document(queue.extraction_hook(settings.worker.extract_shards))
    stop.reset()
    try:
        asyncio.run(_serve(build_app(engine, settings), settings, queues, name))
    finally:
        store.on_new_document(None)
        stop.reset()


async def _serve(app: App, settings: Settings, queues: Optional[list[str]], name: Optional[str]) -> None:
    stalled = settings.worker.stalled_seconds
    async with app.open_async():
        worker = asyncio.create_task(app.run_worker_async(
            queues=queues or list(queue.ALL_QUEUES), name=name or "worker", concurrency=settings.worker.concurrency,
            install_signal_handlers=False, update_heartbeat_interval=stalled / 3, stalled_worker_timeout=stalled,
            delete_jobs="successful"))
        loop = asyncio.get_running_loop()

        def on_signal(sig: signal.Signals) -> None:
            if stop.stop_requested() and sig == signal.SIGINT:
                raise KeyboardInterrupt
            logger.warning("%s received: stopping after the current document", sig.name)
            stop.request_stop()
            worker.cancel()

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, on_signal, sig)
        logger.warning("radar worker %s: taking jobs from %s", name or "", ", ".join(queues or queue.ALL_QUEUES))
        try:
            await worker
        except asyncio.CancelledError:
            pass
        finally:
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(sig)
    logger.warning("radar worker stopped")
