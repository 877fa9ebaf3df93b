"""SEC EDGAR: the latest-filings Atom feeds for 8-K and Form D, and the filings they point to."""
import logging

from sqlalchemy.engine import Engine

from radar.errors import ConfigError
from radar.models import Source
from radar.settings import Settings
from radar.spiders.http import Fetcher

logger = logging.getLogger(__name__)


def require_identity(settings: Settings) -> str:
    """SEC asks every client for a User-Agent naming the requester with an email address."""
    ua = settings.edgar.user_agent.strip()
    if "@" not in ua or " " not in ua:
        raise ConfigError(
            "EDGAR is not crawled until [edgar] user_agent names you and your email, "
            "e.g. user_agent = \"Jane Doe jane@example.com\" (SEC's fair-access rule)"
        )
    return ua


def crawl_edgar(engine: Engine, settings: Settings, fetcher: Fetcher, src: Source):  # type: ignore[no-untyped-def]
    from radar.spiders.crawl import SourceResult

    require_identity(settings)
    return SourceResult(src.name, "skipped", error="EDGAR filings are read from issue 3 on")
