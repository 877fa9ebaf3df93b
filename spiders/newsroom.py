"""Newsroom listing pages and sitemaps: from a listing to the article pages it links."""
import logging
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
from sqlalchemy.engine import Engine

from radar import store
from radar.models import Source
from radar.settings import Settings
from radar.spiders.http import Fetcher
from radar.spiders.urls import canonical_url

logger = logging.getLogger(__name__)

NON_ARTICLE = re.compile(r"/(about|contact|careers|privacy|terms|login|search|tag|category|author)(/|\.html?$|$)", re.I)


def article_links(html: bytes, base: str) -> list[str]:
    """Same-site links that look like article pages, in page order, without duplicates."""
    tree = lxml.html.fromstring(html)
    host = urlsplit(base).netloc
    seen: dict[str, None] = {}
    for href in tree.xpath("//a/@href"):
        url = canonical_url(urljoin(base, href))
        parts = urlsplit(url)
        if parts.netloc != host or parts.scheme not in ("http", "https"):
            continue
        if url.rstrip("/") == canonical_url(base).rstrip("/") or NON_ARTICLE.search(parts.path):
            continue
        if parts.path.count("/") < 2 and not parts.path.endswith((".html", ".htm")):
            continue
        seen.setdefault(url)
    return list(seen)


def sitemap_links(body: bytes) -> list[str]:
    tree = lxml.etree.fromstring(body.lstrip(), parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    return [loc.text.strip() for loc in tree.iter("{*}loc") if loc.text]


def crawl_newsroom(engine: Engine, settings: Settings, fetcher: Fetcher, src: Source):  # type: ignore[no-untyped-def]
    from radar.spiders.crawl import SourceResult, save_linked_article

    assert src.id is not None
    resp = fetcher.get(src.url, etag=src.etag, last_modified=src.last_modified)
    if resp.not_modified:
        store.record_fetch(engine, src.id, ok=True, status=304, keep_validators=True)
        return SourceResult(src.name, "not_modified")
    links = sitemap_links(resp.body) if src.kind == "sitemap" else article_links(resp.body, resp.url)
    new = 0
    for link in links[: settings.crawl.max_articles_per_source]:
        if store.known_url(engine, link):
            continue
        if save_linked_article(engine, fetcher, src, link, "", "", None):
            new += 1
    store.record_fetch(engine, src.id, ok=True, status=resp.status, etag=resp.etag, last_modified=resp.last_modified)
    return SourceResult(src.name, "ok", new_documents=new)
