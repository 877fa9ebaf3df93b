"""The main job and its stages, as plain functions the CLI and the scheduler both call."""
import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.db import open_database
from radar.digest.weekly import write_digest  # noqa: F401  (the digest lives in radar.digest)
from radar.extract import ExtractSummary, extract
from radar.rank.score import Ranked
from radar.settings import Settings
from radar.spiders.crawl import CrawlSummary, Progress, crawl

logger = logging.getLogger(__name__)


@dataclass
class RunSummary:
    crawl: CrawlSummary
    extract: ExtractSummary
    ranked: list[Ranked]
    digest_path: Path
    digest: str


def engine_for(settings: Settings) -> Engine:
    return open_database(settings.database_url())


def crawl_configured(engine: Engine, settings: Settings, names: Optional[list[str]] = None,
                     force: bool = False, progress: Optional[Progress] = None) -> CrawlSummary:
    from radar.sources import enabled_sources

    store.sync_sources(engine, settings.sources)
    sources = enabled_sources(engine, settings, names)
    return crawl(engine, settings, sources, force=force, progress=progress)


def today_for(settings: Settings) -> date:
    from zoneinfo import ZoneInfo

    return datetime.now(timezone.utc).astimezone(ZoneInfo(settings.general.timezone)).date()


def run(settings: Settings, force: bool = False, progress: Optional[Progress] = None,
        extract_progress=None) -> RunSummary:  # type: ignore[no-untyped-def]
    """Crawl → extract → rank → digest, each stage reading what the previous one stored."""
    engine = engine_for(settings)
    crawled = crawl_configured(engine, settings, force=force, progress=progress)
    extracted = extract(engine, progress=extract_progress)
    ranked, path, text = write_digest(engine, settings)
    return RunSummary(crawled, extracted, ranked, path, text)
