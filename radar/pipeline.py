"""The one pipeline: the only code that chains the stages (crawl → extract → rank → digest).

`radar run`, `radar demo`, `radar extract`, `radar serve` and its jobs call these
functions; each stage reads what the previous one stored, so any of them can run alone.
Heavy stages are imported where they run: the CLI imports this module at start-up.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from radar.extract import ExtractSummary
    from radar.rank.score import Ranked
    from radar.settings import Settings
    from radar.spiders.crawl import CrawlSummary, Progress

logger = logging.getLogger(__name__)


@dataclass
class RunSummary:
    crawl: CrawlSummary
    extract: ExtractSummary
    ranked: list[Ranked]
    digest_path: Path
    digest: str


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
    summary = extract_documents(engine, everything=everything, progress=progress, reference=reference)
    ranked = 0
    if summary.signals_new or summary.mentions_new:
        from radar.rank.world import refresh_rank_cache

        ranked = refresh_rank_cache(engine, settings)
    return summary, ranked


def digest(engine: Engine, settings: Settings) -> tuple[list[Ranked], Path, str]:
    """Rank and write this week's digest file (sending is the service's weekly job)."""
    from radar.digest.weekly import write_digest

    return write_digest(engine, settings)


def run(engine: Engine, settings: Settings, force: bool = False, crawl_progress: Optional[Progress] = None,
        extract_progress: Optional[Callable[[int, int], None]] = None) -> RunSummary:
    """The main job: crawl → extract → rank refresh → digest."""
    crawled = crawl(engine, settings, force=force, progress=crawl_progress)
    extracted, _ = extract(engine, settings, progress=extract_progress)
    ranked, path, text = digest(engine, settings)
    return RunSummary(crawled, extracted, ranked, path, text)
