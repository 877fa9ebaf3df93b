"""The main job and its stages, as plain functions the CLI and the scheduler both call.

The stages are imported where they run: every CLI command imports this module for
`today_for`, and importing the crawler and the NLP stack here cost ~3 s at each start.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from radar.extract import ExtractSummary
    from radar.rank.score import Ranked
    from radar.settings import Settings
    from radar.spiders.crawl import CrawlSummary, Progress

logger = logging.getLogger(__name__)


def __getattr__(name: str) -> Any:
    # `from radar.jobs import write_digest` keeps working (the digest lives in radar.digest).
    if name == "write_digest":
        from radar.digest.weekly import write_digest

        return write_digest
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass
class RunSummary:
    crawl: CrawlSummary
    extract: ExtractSummary
    ranked: list[Ranked]
    digest_path: Path
    digest: str


def engine_for(settings: Settings) -> Engine:
    from radar.db import open_database

    return open_database(settings.database_url())


def crawl_configured(engine: Engine, settings: Settings, names: Optional[list[str]] = None,
                     force: bool = False, progress: Optional[Progress] = None) -> CrawlSummary:
    from radar import store
    from radar.sources import enabled_sources
    from radar.spiders.crawl import crawl

    store.sync_sources(engine, settings.sources)
    sources = enabled_sources(engine, settings, names)
    return crawl(engine, settings, sources, force=force, progress=progress)


def today_for(settings: Settings) -> date:
    from zoneinfo import ZoneInfo

    return datetime.now(timezone.utc).astimezone(ZoneInfo(settings.general.timezone)).date()


def run(settings: Settings, force: bool = False, progress: Optional[Progress] = None,
        extract_progress=None) -> RunSummary:  # type: ignore[no-untyped-def]
    """Crawl → extract → rank → digest, each stage reading what the previous one stored."""
    from radar.digest.weekly import write_digest
    from radar.extract import extract

    engine = engine_for(settings)
    crawled = crawl_configured(engine, settings, force=force, progress=progress)
    extracted = extract(engine, progress=extract_progress)
    ranked, path, text = write_digest(engine, settings)
    return RunSummary(crawled, extracted, ranked, path, text)
