"""What a URL is: a feed, a page that links a feed, a sitemap, a newsroom page or an EDGAR
feed. Used by `radar sources add` and `radar sources check`."""
import logging
import re
from dataclasses import dataclass
from typing import Optional
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

from radar.spiders.feeds import parse as parse_feed_body
from radar.spiders.http import Fetcher, FetchError, Response
from radar.spiders.newsroom import article_links, parse_sitemap
from radar.text import one_line

logger = logging.getLogger(__name__)

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rdf+xml")
MIN_NEWSROOM_LINKS = 3


@dataclass
class Probe:
    kind: Optional[str]  # rss, atom, sitemap, newsroom, edgar; None when not usable
    url: str  # the URL to crawl (a linked feed's, for a page that links one)
    title: str = ""
    items: int = 0  # entries, sitemap URLs or article links found
    status: Optional[int] = None
    note: str = ""


def is_edgar_url(url: str) -> bool:
    parts = urlsplit(url)
    return (parts.hostname or "").endswith("sec.gov") and "browse-edgar" in parts.path


def classify(resp: Response) -> Probe:
    """The kind of a fetched body, without following links."""
    body = resp.body
    head = body[:4000].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf", b"<urlset", b"<sitemapindex")) \
            or b"xml" in resp.content_type.encode():
        sitemap = parse_sitemap(body, len(body) + 1)
        if sitemap.kind:
            return Probe("sitemap", resp.url, items=len(sitemap.entries), status=resp.status,
                         note=f"sitemap ({sitemap.kind})")
    parsed = parse_feed_body(body, resp.url, resp.content_type)
    if parsed.get("version") and parsed.entries:
        kind = "atom" if str(parsed.version).startswith("atom") else "rss"
        if is_edgar_url(resp.url):
            kind = "edgar"
        return Probe(kind, resp.url, title=str(parsed.feed.get("title", ""))[:200], items=len(parsed.entries),
                     status=resp.status, note=f"{parsed.version} feed")
    return _classify_html(resp)


def _classify_html(resp: Response) -> Probe:
    if "html" not in resp.content_type and b"<html" not in resp.body[:4000].lower():
        return Probe(None, resp.url, status=resp.status,
                     note=f"not a feed, sitemap or web page ({resp.content_type or 'no content type'})")
    links = article_links(resp.body, resp.url)
    title = _title(resp.body)
    if len(links) >= MIN_NEWSROOM_LINKS:
        return Probe("newsroom", resp.url, title=title, items=len(links), status=resp.status,
                     note=f"newsroom page with {len(links)} article links")
    return Probe(None, resp.url, title=title, items=len(links), status=resp.status,
                 note="a web page with no feed link and too few article links to crawl")


def linked_feeds(html: bytes, base: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml">."""
    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return []
    out = []
    for link in tree.xpath("//link[@href]"):
        rel = (link.get("rel") or "").lower()
        ctype = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and ctype in FEED_TYPES:
            out.append(urljoin(base, link.get("href").strip()))
    return list(dict.fromkeys(out))


def _title(html: bytes) -> str:
    m = re.search(rb"<title[^>]*>(.*?)</title>", html[:20000], re.I | re.S)
    return one_line(m.group(1).decode("utf-8", "replace"))[:200] if m else ""


def probe(fetcher: Fetcher, url: str, user_agent: Optional[str] = None) -> Probe:
    """Fetch a URL and say what it is; a page that links a feed yields the feed."""
    try:
        resp = fetcher.get(url, accept="application/rss+xml, application/atom+xml, text/html;q=0.9, */*;q=0.5",
                           user_agent=user_agent)
    except FetchError as e:
        return Probe(None, url, status=e.status, note=str(e))
    found = classify(resp)
    if found.kind in (None, "newsroom"):
        for feed_url in linked_feeds(resp.body, resp.url):
            try:
                feed = classify(fetcher.get(feed_url, accept="application/rss+xml, application/atom+xml, */*;q=0.5"))
            except FetchError as e:
                logger.info("linked feed %s not usable: %s", feed_url, e)
                continue
            if feed.kind in ("rss", "atom"):
                feed.note = f"{feed.note}, linked from {resp.url}"
                return feed
    return found
