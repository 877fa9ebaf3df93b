"""The crawl: for each due source, fetch it, store each new document on its own, record health."""
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable, Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.errors import RadarError
from radar.models import Source
from radar.service.stop import checkpoint
from radar.settings import Settings
from radar.spiders.articles import extract_article
from radar.spiders.feeds import FeedParseError, parse_feed
from radar.spiders.http import FetchError, Fetcher, FetchPolicy
from radar.spiders.urls import canonical_url

logger = logging.getLogger(__name__)

FEED_KINDS = ("rss", "atom", "feed")
MAX_BACKOFF = timedelta(days=1)


@dataclass
class SourceResult:
    source: str
    status: str  # ok, not_modified, failed, skipped
    new_documents: int = 0
    error: Optional[str] = None


@dataclass
class CrawlSummary:
    results: list[SourceResult] = field(default_factory=list)
    bytes: int = 0
    requests: int = 0

    @property
    def new_documents(self) -> int:
        return sum(r.new_documents for r in self.results)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.status == "failed")


Progress = Callable[[SourceResult], None]


def policy_from(settings: Settings) -> FetchPolicy:
    c = settings.crawl
    return FetchPolicy(
        user_agent=c.user_agent, connect_timeout=c.connect_timeout, read_timeout=c.read_timeout,
        max_bytes=c.max_bytes, max_redirects=c.max_redirects, retries=c.retries,
        per_host_delay=c.per_host_delay, allow_private=c.allow_private_addresses, obey_robots=c.obey_robots,
    )


def is_due(src: Source, now: datetime) -> bool:
    return src.next_fetch_at is None or _aware(src.next_fetch_at) <= now


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def next_fetch(src: Source, now: datetime, ok: bool) -> datetime:
    """Failing sources back off exponentially, capped at a day."""
    base = timedelta(minutes=src.interval_minutes)
    if ok:
        return now + base
    return now + min(base * (2 ** min(src.consecutive_failures, 10)), max(MAX_BACKOFF, base))


def crawl(engine: Engine, settings: Settings, sources: list[Source], *, force: bool = False,
          progress: Optional[Progress] = None) -> CrawlSummary:
    """Crawl the given sources (only the due ones unless force) and store new documents."""
    summary = CrawlSummary()
    now = datetime.now(timezone.utc)
    with Fetcher(policy_from(settings)) as fetcher:
        for src in sources:
            if not force and not is_due(src, now):
                result = SourceResult(src.name, "skipped", error="not due yet")
            else:
                result = crawl_source(engine, settings, fetcher, src)
            summary.results.append(result)
            if progress:
                progress(result)
        summary.bytes, summary.requests = fetcher.bytes_received, fetcher.requests
    return summary


def crawl_source(engine: Engine, settings: Settings, fetcher: Fetcher, src: Source) -> SourceResult:
    from radar.spiders import edgar, newsroom  # the other kinds of source

    assert src.id is not None
    try:
        if src.kind in FEED_KINDS:
            result = _crawl_feed(engine, settings, fetcher, src)
        elif src.kind == "edgar":
            result = edgar.crawl_edgar(engine, settings, fetcher, src)
        elif src.kind in ("newsroom", "sitemap"):
            result = newsroom.crawl_newsroom(engine, settings, fetcher, src)
        else:
            raise FetchError(f"unknown source kind '{src.kind}'")
    except (FetchError, FeedParseError, RadarError) as e:
        logger.warning("source %s failed: %s", src.name, e)
        updated = store.record_fetch(engine, src.id, ok=False, status=getattr(e, "status", None), error=str(e))
        store.set_next_fetch(engine, src.id, next_fetch(updated, datetime.now(timezone.utc), ok=False))
        return SourceResult(src.name, "failed", error=str(e))
    store.set_next_fetch(engine, src.id, next_fetch(src, datetime.now(timezone.utc), ok=True))
    return result


def _crawl_feed(engine: Engine, settings: Settings, fetcher: Fetcher, src: Source) -> SourceResult:
    assert src.id is not None
    resp = fetcher.get(src.url, etag=src.etag, last_modified=src.last_modified,
                       accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5")
    if resp.not_modified:
        store.record_fetch(engine, src.id, ok=True, status=304, keep_validators=True)
        return SourceResult(src.name, "not_modified")
    entries = parse_feed(resp.body, src.url, resp.headers.get("content-type"))
    new = 0
    for entry in entries[: max(settings.crawl.max_articles_per_source, 0) or len(entries)]:
        link = canonical_url(entry.link)
        if store.known_url(engine, link):
            continue
        if save_linked_article(engine, fetcher, src, link, entry.title, entry.summary, entry.published):
            new += 1
    # Validators are saved only after every entry is stored: a crash mid-feed means the
    # next run fetches the feed again instead of getting a 304 and skipping the rest.
    store.record_fetch(engine, src.id, ok=True, status=resp.status, etag=resp.etag, last_modified=resp.last_modified)
    return SourceResult(src.name, "ok", new_documents=new)


def save_linked_article(engine: Engine, fetcher: Fetcher, src: Source, link: str, title: str,
                        summary: str, published: Optional[datetime]) -> bool:
    """Fetch the article a feed entry links to; fall back to the entry's own text.

    Returns whether a new document was stored.
    """
    # `radar serve` stops between documents on SIGTERM: this raises before the next fetch.
    checkpoint()
    text, kind, canonical, language = summary, "feed_entry", None, None
    try:
        page = fetcher.get(link, accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
        if "html" in page.headers.get("content-type", "html"):
            article = extract_article(page.body, page.url)
            if article:
                text, kind, language = article.text, "article", article.language
                title = title or article.title or ""
                published = published or article.published
                canonical = canonical_url(article.canonical_url) if article.canonical_url else None
    except FetchError as e:
        logger.info("article %s not fetched (%s); keeping the feed entry's summary", link, e)
    text = _strip_tags(text)
    if not text.strip() and not title:
        return False
    url = canonical or link
    _, is_new = store.save_document(
        engine, url=url, source_id=src.id, text=text, title=title, published_at=published,
        kind=kind, language=language, other_urls=[link],
    )
    return is_new


def _strip_tags(text: str) -> str:
    if "<" not in text:
        return text
    import lxml.html

    try:
        return lxml.html.fromstring(text).text_content()
    except (ValueError, lxml.etree.ParserError):
        return text
