"""`radar worker`: a job-queue worker on PostgreSQL (scale-out; `radar serve` is one machine)."""
from typing import Annotated, Optional

import typer

from radar.cli import app
from radar.cli.output import service_logging, stderr
from radar.cli.state import state
from radar.errors import UsageError

QUEUE_NAMES = ("crawl", "extract", "profile", "schedule")  # radar.worker.queue.ALL_QUEUES, without importing it


@app.command()
def worker(
    queues: Annotated[Optional[list[str]], typer.Option(
        "--queue", "-q", metavar="QUEUE",
        help="Take jobs only from this queue (repeat): crawl, extract, profile, schedule. Default: all.")] = None,
    name: Annotated[Optional[str], typer.Option("--name", help="A name for this worker in the logs.")] = None,
) -> None:
    """Take crawl, extraction, ranking, digest and export jobs from the PostgreSQL queue until SIGTERM.

    Start any number, on any number of machines, against one PostgreSQL database; each
    source is crawled by one worker at a time and each host gets one request at a time.
    SQLite is refused: on one machine, use radar serve.

    Example: RADAR_DATABASE_URL=postgresql://radar@db/radar radar worker
    """
    unknown = [q for q in queues or () if q not in QUEUE_NAMES]
    if unknown:
        raise UsageError(f"unknown queue '{unknown[0]}'; allowed: {', '.join(QUEUE_NAMES)}")
    settings = state.settings()
    if not settings.database_url().startswith("postgresql"):
        raise UsageError("radar worker needs PostgreSQL, and this database is SQLite (one machine: use radar serve); "
                         "set RADAR_DATABASE_URL=postgresql://user@host/dbname")
    from radar.worker.app import run

    engine = state.engine(long_job=True)
    service_logging(settings.general.log_level)
    where = engine.url.render_as_string(hide_password=True)
    stderr.print(f"radar worker: database {where}; SIGTERM or Ctrl-C stops it")
    run(settings, engine, queues=queues or None, name=name)
