"""The crawl: for each due source, fetch it, store each new document on its own, record health.

Feed and EDGAR sources run in a thread pool over radar's own fetcher (one request at a
time per host); newsroom and sitemap sources run in Scrapy, in a child process (the
Twisted reactor cannot restart inside a long-running service). Each source's health,
validators, next fetch time and crawl_run row are written in one transaction at its end.
"""
import logging
import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import UTC, datetime, timedelta
from typing import Optional
from urllib.parse import urlsplit

from sqlalchemy.engine import Engine

from radar import store
from radar.errors import ConfigError, RadarError
from radar.models import CrawlRun, Source
from radar.settings import Settings
from radar.spiders.feeds import FeedParseError
from radar.spiders.http import Fetcher, FetchError, FetchPolicy
from radar.spiders.results import NOT_DUE, CrawlSummary, Outcome, Progress, SourceResult
from radar.spiders.url_claims import UrlClaims, new_crawl_id
from radar.stop import Stopped

logger = logging.getLogger(__name__)

__all__ = ["CrawlSummary", "Progress", "SourceResult", "crawl", "crawl_source", "is_due", "next_fetch", "open_fetcher",
           "policy_from"]

FEED_KINDS = ("rss", "atom", "feed")
SCRAPY_KINDS = ("newsroom", "sitemap")
MAX_BACKOFF = timedelta(days=1)
EDGAR_HOSTS = ("www.sec.gov", "sec.gov", "efts.sec.gov")


def policy_from(settings: Settings, edgar_hosts: tuple[str, ...] = ()) -> FetchPolicy:
    c = settings.crawl
    edgar_gap = 1.0 / settings.edgar.max_requests_per_second
    return FetchPolicy(
        user_agent=c.user_agent, connect_timeout=c.connect_timeout, read_timeout=c.read_timeout,
        total_timeout=c.total_timeout,
        max_bytes=c.max_bytes, max_redirects=c.max_redirects, retries=c.retries,
        per_host_delay=c.per_host_delay, allow_private=c.allow_private_addresses, obey_robots=c.obey_robots,
        host_delays={h: edgar_gap for h in (*EDGAR_HOSTS, *edgar_hosts)},
    )


def open_fetcher(settings: Settings, engine: Optional[Engine], edgar_hosts: tuple[str, ...] = ()) -> Fetcher:
    """The fetcher of a crawl, a check or a probe: with a database, its host leases keep every
    process of the radar (`radar serve`, `radar run`, each `radar worker`) to one request per
    host at the host's delay."""
    from radar.spiders.lease import DbLeases

    policy = policy_from(settings, edgar_hosts)
    if engine is None:
        return Fetcher(policy)
    # A holder that dies mid-request frees the host after the longest a request may take.
    ttl = policy.connect_timeout + policy.total_timeout + 5.0
    return Fetcher(policy, leases=DbLeases(engine, ttl))


def is_due(src: Source, now: datetime) -> bool:
    return src.next_fetch_at is None or _aware(src.next_fetch_at) <= now


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def next_fetch(src: Source, now: datetime, ok: bool) -> datetime:
    """Failing sources back off exponentially, capped at a day (or their interval if longer)."""
    base = timedelta(minutes=src.interval_minutes)
    if ok:
        return now + base
    return now + min(base * (2 ** min(src.consecutive_failures, 10)), max(MAX_BACKOFF, base))


def crawl(engine: Engine, settings: Settings, sources: list[Source], *, force: bool = False,
          progress: Optional[Progress] = None) -> CrawlSummary:
    """Crawl the given sources (only the due ones unless force) and store new documents."""
    summary = CrawlSummary()
    lock = threading.Lock()

    def report(result: SourceResult) -> None:
        with lock:
            summary.results.append(result)
            if progress:
                progress(result)

    now = datetime.now(UTC)
    todo = _plan(settings, sources, now, force, report)
    edgar_hosts = tuple(urlsplit(s.url).hostname or "" for s in todo if s.kind == "edgar")
    c = settings.crawl
    # An article's fetch (every attempt) and its text extraction and storing (generous).
    claims = UrlClaims(engine, new_crawl_id(), ttl=(c.retries + 1) * (c.connect_timeout + c.total_timeout) + 60.0)
    try:
        with open_fetcher(settings, engine, edgar_hosts) as fetcher:
            fetcher.claim_url = claims.claim
            _crawl_all(engine, settings, todo, fetcher, claims, report, summary)
    finally:
        claims.release_all()
    return summary


def _crawl_all(engine: Engine, settings: Settings, todo: list[Source], fetcher: Fetcher, claims: UrlClaims,
               report: Progress, summary: CrawlSummary) -> None:
    """Feed and EDGAR sources in the thread pool, newsroom and sitemap sources in the Scrapy child."""
    scrapy_thread = _start_scrapy(engine, settings, [s for s in todo if s.kind in SCRAPY_KINDS], report, summary,
                                  claims)
    http_sources = [s for s in todo if s.kind not in SCRAPY_KINDS]
    with ThreadPoolExecutor(max_workers=settings.crawl.concurrency, thread_name_prefix="crawl") as pool:
        futures = [pool.submit(crawl_source, engine, settings, fetcher, src) for src in http_sources]
        for future in as_completed(futures):
            report(future.result())
    if scrapy_thread is not None:
        scrapy_thread.join()
        if summary.interrupted:
            raise Stopped("stop requested")  # the interrupted newsroom sources stay due
    summary.bytes += fetcher.bytes_received
    summary.requests += fetcher.requests
    summary.retries += fetcher.retries


def _plan(settings: Settings, sources: list[Source], now: datetime, force: bool, report: Progress) -> list[Source]:
    """The sources to fetch now; the others are reported as skipped, with the reason."""
    from radar.spiders.edgar import identity_problem

    edgar_problem = identity_problem(settings)
    todo = []
    for src in sources:
        if not force and not is_due(src, now):
            report(SourceResult(src.name, "skipped", error=NOT_DUE))
        elif src.kind == "edgar" and edgar_problem:
            logger.warning("source %s skipped: %s", src.name, edgar_problem)
            report(SourceResult(src.name, "skipped", error=edgar_problem))
        else:
            todo.append(src)
    return todo


def _start_scrapy(engine: Engine, settings: Settings, sources: list[Source], report: Progress,
                  summary: CrawlSummary, claims: UrlClaims) -> Optional[threading.Thread]:
    if not sources:
        return None
    from radar.spiders.scrapy_run import run_scrapy_sources

    def work() -> None:
        stats = run_scrapy_sources(engine, settings, sources, lambda src, outcome: report(finish(engine, src, outcome)),
                                   claims=(claims.crawl, claims.ttl))
        summary.bytes += stats.get("bytes", 0)
        summary.requests += stats.get("requests", 0)
        summary.interrupted += stats.get("interrupted", 0)

    thread = threading.Thread(target=work, name="scrapy-crawl", daemon=True)
    thread.start()
    return thread


def crawl_source(engine: Engine, settings: Settings, fetcher: Fetcher, src: Source) -> SourceResult:
    """Fetch one source; any failure is recorded in its health and does not stop the crawl."""
    assert src.id is not None
    started = datetime.now(UTC)
    before = fetcher.thread_bytes()
    try:
        outcome = _dispatch(engine, settings, fetcher, src)
    except Stopped:
        # Not a failure: the source keeps its validators and stays due for the next start.
        raise
    except (FetchError, FeedParseError, RadarError) as e:
        logger.info("source %s failed: %s", src.name, e)  # the crawl reports it once, with its reason
        outcome = Outcome(SourceResult(src.name, "failed", error=str(e), http_status=getattr(e, "status", None)))
    except Exception as e:  # a bug on one hostile source must not stop the others
        logger.exception("source %s failed unexpectedly", src.name)
        outcome = Outcome(SourceResult(src.name, "failed", error=f"internal error: {type(e).__name__}: {e}"))
    outcome.result.bytes = fetcher.thread_bytes() - before
    return finish(engine, src, outcome, started)


def _dispatch(engine: Engine, settings: Settings, fetcher: Fetcher, src: Source) -> Outcome:
    from radar.spiders import edgar
    from radar.spiders.feed_crawl import crawl_feed
    if src.kind in FEED_KINDS:
        return crawl_feed(engine, fetcher, src, fetch_articles=src.fetch_articles,
                          max_articles=settings.crawl.max_articles_per_source)
    if src.kind == "edgar":
        return edgar.crawl_edgar(engine, settings, fetcher, src)
    raise ConfigError(f"source {src.name}: unknown kind '{src.kind}'; use rss, atom, feed, newsroom, sitemap or edgar")


def finish(engine: Engine, src: Source, outcome: Outcome, started: Optional[datetime] = None) -> SourceResult:
    """Record the source's health, validators, next fetch and crawl_run in one transaction."""
    assert src.id is not None
    result = outcome.result
    ok = result.status != "failed"
    now = datetime.now(UTC)
    run = CrawlRun(started_at=started or now, status=result.status, http_status=result.http_status,
                   new_documents=result.new_documents, bytes=result.bytes, error=result.error)
    keep = not outcome.complete
    store.record_fetch(
        engine, src.id, ok=ok, status=result.http_status, error=result.error,
        etag=src.etag if keep else outcome.etag, last_modified=src.last_modified if keep else outcome.last_modified,
        keep_validators=False, next_fetch=lambda s: next_fetch(s, now, ok), run=run,
    )
    return result
