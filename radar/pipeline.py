"""The one pipeline: the only code that chains the stages (crawl → extract → rank → digest).

`radar run`, `radar demo`, `radar extract`, `radar serve` and its jobs, and the jobs
of `radar worker` (one unit of work each, at the end) call these functions; each stage
reads what the previous one stored, so any of them can run alone.
Heavy stages are imported where they run: the CLI imports this module at start-up.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy.engine import Engine

    from radar.digest.weekly import DigestOutcome
    from radar.export.run import ExportSummary
    from radar.extract import ExtractSummary
    from radar.rank.score import Ranked
    from radar.settings import Settings
    from radar.spiders.crawl import CrawlSummary, Progress, SourceResult

logger = logging.getLogger(__name__)


@dataclass
class JobContext:
    """The settings and engine a process's scheduled jobs run with, set once when the process
    starts: APScheduler (radar serve) and procrastinate (radar worker) call jobs with ids only."""
    unset: str  # the one line an early job fails with
    settings: Optional[Settings] = None
    engine: Optional[Engine] = None

    def set(self, settings: Settings, engine: Engine) -> None:
        self.settings, self.engine = settings, engine

    def get(self) -> tuple[Settings, Engine]:
        if self.settings is None or self.engine is None:
            from radar.errors import RadarError

            raise RadarError(self.unset)
        return self.settings, self.engine


def crawl(engine: Engine, settings: Settings, names: Optional[list[str]] = None,
          force: bool = False, progress: Optional[Progress] = None) -> CrawlSummary:
    """Fetch the configured (or named) sources that are due, or all of them with force."""
    from radar import store
    from radar.sources import enabled_sources
    from radar.spiders.crawl import crawl as crawl_sources

    store.sync_sources(engine, settings.sources)
    sources = enabled_sources(engine, settings, names)
    return crawl_sources(engine, settings, sources, force=force, progress=progress)


def extract(engine: Engine, settings: Settings, everything: bool = False,
            progress: Optional[Callable[[int, int], None]] = None) -> tuple[ExtractSummary, int]:
    """Stored documents to signals, then the rank cache refreshed if any signal changed, so
    `radar orgs top` reads a current ranking. Returns the summary and how many were ranked."""
    from radar.entities import sec
    from radar.extract import extract as extract_documents

    reference = sec.reference_names(Path(settings.data_dir))
    summary = extract_documents(engine, everything=everything, progress=progress, reference=reference,
                                listed=sec.by_name(Path(settings.data_dir)))
    ranked = 0
    if summary.signals_new or summary.mentions_new:
        from radar.rank.world import refresh_rank_cache

        # After `extract --all` (rules changed) every organization is ranked again.
        ranked = refresh_rank_cache(engine, settings, touched=None if everything else summary.touched)
    return summary, ranked


def digest(engine: Engine, settings: Settings) -> tuple[list[Ranked], Path, str]:
    """Rank and write this week's digest file, recording and sending nothing (the demo)."""
    from radar.digest.weekly import write_digest

    return write_digest(engine, settings)


def run_digest(engine: Engine, settings: Settings) -> DigestOutcome:
    """`radar run`'s digest: the weekly job's (rendered, recorded, emailed once per ISO week).
    With email off there is nothing to send once, so each run writes the week's digest again
    (its one record and files), rather than keeping the week's first ranking."""
    from radar.digest.mail import mail_enabled
    from radar.digest.weekly import run_weekly

    return run_weekly(engine, settings, force=not mail_enabled(settings))


# -- one unit of work each: what a `radar worker` job calls (jobs carry ids only) ------------

def crawl_source(engine: Engine, settings: Settings, source_id: int) -> Optional[SourceResult]:
    """Crawl one source if it is still enabled and due; None when it is gone or switched off.

    A job retried after its worker died finds the source still due and crawls it again:
    the documents stored the first time are known URLs by then, so nothing is stored twice.
    """
    from radar import store
    from radar.spiders.crawl import crawl as crawl_sources

    src = store.get_source(engine, source_id)
    if src is None or not src.enabled:
        return None
    summary = crawl_sources(engine, settings, [src])
    return summary.results[0] if summary.results else None


def extract_documents(engine: Engine, settings: Settings, ids: list[int]) -> ExtractSummary:
    """Extract these documents (those not extracted yet by this version of the rules); stops
    between batches when a stop was requested."""
    from radar.entities import sec
    from radar.extract import extract as extract_some
    from radar.stop import checkpoint

    data = Path(settings.data_dir)
    return extract_some(engine, only=ids, reference=sec.reference_names(data), listed=sec.by_name(data),
                        progress=lambda done, total: checkpoint())


def extract_unread(engine: Engine, settings: Settings, shard: int, shards: int) -> ExtractSummary:
    """Extract every unread document of one shard (ids equal to `shard` modulo `shards`),
    `worker.extract_batch` at a time, until none is left: a worker's extraction job. A
    document that fails stays unread and is counted in `failed`; it is not tried again in this
    call (the job's retry tries it again). Stops between batches when a stop was requested."""
    from radar import store
    from radar.entities import sec
    from radar.extract import ExtractSummary
    from radar.extract import extract as extract_some
    from radar.stop import checkpoint

    data = Path(settings.data_dir)
    reference, listed = sec.reference_names(data), sec.by_name(data)
    total, failed = ExtractSummary(), set[int]()
    batch = settings.worker.extract_batch
    while ids := store.unread_documents(engine, shard, shards, batch, skip=failed):
        checkpoint()
        done = extract_some(engine, only=ids, reference=reference, listed=listed, batch=batch,
                            progress=lambda done, total: checkpoint())
        failed.update(done.failed_ids)
        total.documents += done.documents
        total.signals_new += done.signals_new
        total.mentions_new += done.mentions_new
        total.failed += done.failed
        total.failed_ids += done.failed_ids
        total.touched |= done.touched
    return total


def rank_corrected(engine: Engine, settings: Settings, org_ids: set[int], today: Optional[date] = None) -> None:
    """After `radar orgs set`: the corrected organizations ranked again in today's stored
    ranking of the config's profile and of every stored profile (radar profiles)."""
    from radar import profiles
    from radar.rank.world import rank_again

    for pid in [None, *profiles.ids(engine)]:
        rank_again(engine, settings if pid is None else profiles.settings_for(engine, settings, pid), org_ids, today)


def refresh_rank(engine: Engine, settings: Settings) -> int:
    """Rank every organization for the settings' profile and store the ranking."""
    from radar.rank.world import refresh_rank_cache

    return refresh_rank_cache(engine, settings)


def profile_ids(engine: Engine) -> list[Optional[int]]:
    """Whom the radar ranks and sends digests for: the config's profile (None) and every
    stored one (radar profiles)."""
    from radar import profiles

    return [None, *profiles.ids(engine)]


def profile_settings(engine: Engine, settings: Settings, profile_id: Optional[int]) -> Settings:
    """The settings a profile's ranking and digest use: the config's own profile for None."""
    if profile_id is None:
        return settings
    from radar import profiles

    return profiles.settings_for(engine, settings, profile_id)


def weekly_digest(engine: Engine, settings: Settings) -> DigestOutcome:
    """This ISO week's digest for the settings' profile: rendered, recorded and sent once."""
    from radar.digest.weekly import run_weekly

    return run_weekly(engine, settings)


def export(engine: Engine, settings: Settings, target: str) -> ExportSummary:
    """An incremental export to one target (what changed since its last run)."""
    from radar.clock import today_for
    from radar.export.run import ExportOptions
    from radar.export.run import export as run_export

    return run_export(engine, settings, ExportOptions(target=target, since_last=True), today_for(settings))
