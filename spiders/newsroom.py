"""Scrapy spiders for company newsrooms: from a listing page, a sitemap or a news sitemap to
the article pages, with the safety middlewares radar's own fetcher also applies.

Runs inside the child process started by radar.spiders.scrapy_run; every article is
stored by `DocumentPipeline` as soon as it is extracted (committed on its own).
"""
import asyncio
import gzip
import io
import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import scrapy
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from sqlalchemy.engine import Engine

from radar import store
from radar.retry_after import retry_after_seconds
from radar.spiders.articles import extract_article, parse_date
from radar.spiders.http import FetchError, check_url, resolve_checked
from radar.spiders.lease import DbLeases
from radar.spiders.pinned_dns import remember
from radar.spiders.url_claims import UrlClaims
from radar.spiders.urls import canonical_url

logger = logging.getLogger(__name__)

NON_ARTICLE = re.compile(
    r"/(about|contact|careers|jobs|privacy|terms|legal|cookies?|login|signin|search|tags?|category|"
    r"categories|author|authors|subscribe|feed|rss|page/\d+)(/|\.html?$|$)", re.I)
MEDIA = re.compile(r"\.(jpe?g|png|gif|svg|webp|pdf|zip|mp4|mp3|css|js|xml|rss|atom|json|ico)$", re.I)
MAX_CHILD_SITEMAPS = 20


# -- pure helpers --------------------------------------------------------------------------

def article_links(html: bytes, base: str) -> list[str]:
    """Same-site links that look like article pages, in page order, without duplicates."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    host = urlsplit(base).hostname
    home = canonical_url(base).rstrip("/")
    seen: dict[str, None] = {}
    for href in tree.xpath("//a/@href"):
        try:
            url = canonical_url(urljoin(base, str(href).strip()))
        except ValueError:
            continue
        parts = urlsplit(url)
        if parts.hostname != host or parts.scheme not in ("http", "https") or url.rstrip("/") == home:
            continue
        if NON_ARTICLE.search(parts.path) or MEDIA.search(parts.path):
            continue
        if parts.path.strip("/").count("/") < 1 and not parts.path.endswith((".html", ".htm")):
            continue
        seen.setdefault(url)
    return list(seen)


@dataclass
class SitemapEntry:
    loc: str
    when: Optional[str] = None  # news:publication_date or lastmod
    title: Optional[str] = None  # news:title


@dataclass
class Sitemap:
    kind: str  # urlset, sitemapindex, or "" when not a sitemap
    entries: list[SitemapEntry] = field(default_factory=list)


def parse_sitemap(body: bytes, max_bytes: int) -> Sitemap:
    """A sitemap, sitemap index or news sitemap (gzipped or not); newest entries first."""
    if body[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(body)) as f:
                body = f.read(max_bytes + 1)
        except (OSError, EOFError):
            return Sitemap("")
        if len(body) > max_bytes:
            logger.warning("gzipped sitemap inflates past %d bytes; ignored", max_bytes)
            return Sitemap("")
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(body.lstrip(), parser=parser)
    except lxml.etree.XMLSyntaxError:
        return Sitemap("")
    if root is None:
        return Sitemap("")
    kind = lxml.etree.QName(root).localname
    if kind not in ("urlset", "sitemapindex"):
        return Sitemap("")
    entries = [_entry(el) for el in root if isinstance(el.tag, str)]
    entries = [e for e in entries if e.loc.startswith(("http://", "https://"))]
    entries.sort(key=lambda e: e.when or "", reverse=True)
    return Sitemap(kind, entries)


def _entry(el: Any) -> SitemapEntry:
    def find(name: str) -> Optional[str]:
        found = el.xpath(f".//*[local-name()='{name}']/text()")
        return str(found[0]).strip() if found else None

    return SitemapEntry(loc=find("loc") or "", when=find("publication_date") or find("lastmod"), title=find("title"))


# -- middlewares ---------------------------------------------------------------------------

class GuardMiddleware:
    """Only http(s), and no internal addresses (checked after DNS resolution) unless
    allowed; runs for every request, including each redirect hop and robots.txt, and the
    addresses it accepts are the ones connected to (PinnedResolver)."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private

    @classmethod
    def from_crawler(cls, crawler: Any) -> "GuardMiddleware":
        return cls(crawler.settings.getbool("RADAR_ALLOW_PRIVATE"))

    def process_request(self, request: Request) -> None:
        try:
            check_url(request.url)
            parts = urlsplit(request.url)
            host = parts.hostname or ""
            # The connection goes to these very addresses (radar.spiders.pinned_dns): a DNS
            # answer that changes after this check (rebinding) is never asked for.
            remember(host, resolve_checked(host, parts.port or (443 if parts.scheme == "https" else 80),
                                           self.allow_private))
        except (FetchError, ValueError) as e:
            logger.info("refused %s: %s", request.url, e)
            raise IgnoreRequest(str(e)) from e
        return None


_leases: Optional[DbLeases] = None  # the child process's host leases (radar.spiders.scrapy_run)


def use_leases(leases: Optional[DbLeases]) -> None:
    global _leases
    _leases = leases


class LeaseMiddleware:
    """One request at a time per host across every process of the radar: the host's lease
    (radar.spiders.lease) is taken before each request, robots.txt and redirect hops included,
    and given back after it with the crawl's delay. Scrapy's own per-domain slot holds only
    within one spider; two newsroom sources on one host are two spiders."""

    def __init__(self, delay: float):
        self.delay = delay

    @classmethod
    def from_crawler(cls, crawler: Any) -> "LeaseMiddleware":
        return cls(crawler.settings.getfloat("DOWNLOAD_DELAY"))

    async def process_request(self, request: Request) -> None:
        if _leases is not None:
            host = urlsplit(request.url).netloc
            await asyncio.to_thread(_leases.acquire, host)  # waiting blocks a thread, not the reactor
            request.meta["radar_lease"] = host
        return None

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: BaseException) -> None:
        self._release(request)
        return None

    def _release(self, request: Request) -> None:
        host = request.meta.pop("radar_lease", None)
        if host is not None and _leases is not None:
            _leases.release(host, self.delay)


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, waiting as long as a 429/503's Retry-After asks (up to a limit)."""

    async def process_response(self, request: Request,  # type: ignore[override]  # Scrapy awaits this async form
                               response: Response) -> Any:
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        wait = retry_after_seconds((response.headers.get(b"Retry-After") or b"").decode("latin-1"))
        limit = self.crawler.settings.getfloat("RADAR_MAX_RETRY_AFTER", 120.0)
        if wait is not None and wait > limit:
            logger.warning("%s: HTTP %d, server asks to wait %.0fs (over %.0fs); not retried",
                           request.url, response.status, wait, limit)
            return response
        if wait:
            await asyncio.sleep(wait)
        return self._retry(request, f"HTTP {response.status}") or response


# -- the pipeline --------------------------------------------------------------------------

class DocumentPipeline:
    """Stores each article as it comes, committed on its own."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        spider = item.pop("_spider")
        _, is_new = store.save_document(
            spider.engine, url=item["url"], source_id=spider.job["id"], text=item["text"], title=item["title"],
            published_at=item["published"], kind="article", language=item["language"], other_urls=item["other_urls"],
        )
        spider.new_documents += is_new
        return item


# -- the spider ----------------------------------------------------------------------------

class NewsroomSpider(scrapy.Spider):
    """One newsroom source: its listing page or (news) sitemap, then the new articles."""

    name = "newsroom"

    def __init__(self, job: dict[str, Any], engine: Engine, claims: Optional[UrlClaims] = None, **kw: Any):
        super().__init__(name=f"newsroom-{job['id']}", **kw)
        self.job, self.engine = job, engine
        self.claims = claims  # the crawl's: an article another source of it lists is fetched once
        self.budget = job.get("max_articles") or 10_000
        self.new_documents = 0
        self.status: Optional[str] = None  # ok, not_modified, failed
        self.http_status: Optional[int] = None
        self.error: Optional[str] = None
        self.validators: tuple[Optional[str], Optional[str]] = (None, None)
        self.complete = True
        self.sitemaps_seen = 0

    async def start(self) -> AsyncIterator[Request]:
        headers = {}
        if self.job.get("etag"):
            headers["If-None-Match"] = self.job["etag"]
        if self.job.get("last_modified"):
            headers["If-Modified-Since"] = self.job["last_modified"]
        callback = self.parse_sitemap if self.job["kind"] == "sitemap" else self.parse_listing
        yield Request(self.job["url"], callback=callback, errback=self.listing_failed, headers=headers,
                      meta={"handle_httpstatus_list": [304], "listing": True}, dont_filter=True)

    def _listing_seen(self, response: Response) -> bool:
        """Record the listing's status and validators; False when it did not change (304)."""
        self.http_status = response.status
        if response.status == 304:
            self.status = "not_modified"
            self.validators = (self.job.get("etag"), self.job.get("last_modified"))
            return False
        self.status = "ok"
        self.validators = (_header(response, b"ETag"), _header(response, b"Last-Modified"))
        return True

    def parse_listing(self, response: Response) -> Iterator[Request]:
        if not self._listing_seen(response):
            return
        yield from self._article_requests(article_links(response.body, response.url))

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if response.meta.get("listing") and not self._listing_seen(response):
            return
        sitemap = parse_sitemap(response.body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        if sitemap.kind == "sitemapindex":
            for entry in sitemap.entries[: max(0, MAX_CHILD_SITEMAPS - self.sitemaps_seen)]:
                self.sitemaps_seen += 1
                yield Request(entry.loc, callback=self.parse_sitemap, errback=self.article_failed)
        elif sitemap.kind == "urlset":
            yield from self._article_requests([canonical_url(e.loc) for e in sitemap.entries])
        elif response.meta.get("listing"):
            self.status, self.error = "failed", f"{response.url}: not a sitemap (no <urlset> or <sitemapindex>)"

    def _article_requests(self, links: list[str]) -> Iterator[Request]:
        known = store.known_urls(self.engine, links)
        for link in links:
            if link in known:
                continue
            if self.budget <= 0:
                self.complete = False
                return
            if self.claims is not None and not self.claims.claim(link):
                continue  # another source of this crawl fetches it
            self.budget -= 1
            yield Request(link, callback=self.parse_article, errback=self.article_failed)

    def parse_article(self, response: Response) -> Iterator[dict[str, Any]]:
        ctype = _header(response, b"Content-Type") or "text/html"
        article = extract_article(response.body, response.url) if "html" in ctype else None
        if article is None:
            logger.info("%s: no article text found; skipped", response.url)
            return
        first = canonical_url(response.request.url if response.request else response.url)
        url = canonical_url(article.canonical_url) if article.canonical_url else canonical_url(response.url)
        yield {"_spider": self, "url": url, "text": article.text, "title": article.title,
               "published": article.published or parse_date(_header(response, b"Last-Modified")),
               "language": article.language, "other_urls": [first, canonical_url(response.url)]}

    def listing_failed(self, failure: Any) -> None:
        self.status = "failed"
        response = getattr(failure.value, "response", None)
        self.http_status = response.status if response is not None else None
        self.error = f"{self.job['url']}: " + (f"HTTP {response.status}" if response is not None
                                               else _describe(failure))
        logger.info("source %s failed: %s", self.job["name"], self.error)

    def article_failed(self, failure: Any) -> None:
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        transient = (status is None and not isinstance(failure.value, IgnoreRequest)
                     or (status or 0) >= 500 or status == 429)
        self.complete = self.complete and not transient
        logger.info("article %s not fetched: %s", failure.request.url if hasattr(failure, "request") else "?",
                    f"HTTP {status}" if status else _describe(failure))

    def outcome(self) -> dict[str, Any]:
        stats = self.crawler.stats
        return {
            "id": self.job["id"], "status": self.status or "failed", "http_status": self.http_status,
            "new": self.new_documents, "error": self.error or (None if self.status else "listing not fetched"),
            "etag": self.validators[0], "last_modified": self.validators[1], "complete": self.complete,
            "bytes": int(stats.get_value("downloader/response_bytes", 0) or 0),
            "requests": int(stats.get_value("downloader/request_count", 0) or 0),
        }


def _header(response: Response, name: bytes) -> Optional[str]:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _describe(failure: Any) -> str:
    value = failure.value
    return f"{type(value).__name__}: {value}"[:500]
