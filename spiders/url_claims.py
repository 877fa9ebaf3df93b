"""Each article URL fetched once per crawl, however many of the crawl's sources list it.

Two feeds of one publisher, or a company's feed and its newsroom page, list the same
articles; their sources run at once (feed threads beside the Scrapy child), so checking the
stored URLs first still let both fetch a new article. Before fetching an article a source
claims its URL in the url_claim table: the first claim wins, the other sources skip it (the
winner stores it, or keeps its source due after a transient failure). A claim lasts as long
as one article's fetch and storing may take, and the claims are deleted when the crawl
ends; those of a crawl that died are taken over at once when its process ran on this
machine, else when they expire.
"""
import os
import socket
import time
import uuid

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine

from radar.db import insert_new
from radar.models import DocumentUrl, UrlClaim, table_of
from radar.spiders.lease import process_gone


def new_crawl_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class UrlClaims:
    """The claims of one crawl (the Scrapy child makes its own with the parent's crawl id)."""

    def __init__(self, engine: Engine, crawl: str, ttl: float):
        self.engine = engine
        self.crawl = crawl
        # How long a claim holds without its crawl: the longest an article's fetch and storing
        # may take. A URL stored meanwhile is not claimed again (claim() looks), so the claim
        # need not outlast that.
        self.ttl = ttl

    def claim(self, url: str) -> bool:
        """True when this crawl should fetch `url` now; False when a source of this crawl, or
        another crawl running beside it, already has."""
        t = table_of(UrlClaim)
        now = time.time()
        with self.engine.begin() as conn:
            urls = table_of(DocumentUrl)
            if conn.execute(select(urls.c.id).where(urls.c.url == url)).first() is not None:
                return False  # stored since the source read its list: nothing to fetch
            if insert_new(conn, t, {"url": url, "crawl": self.crawl, "expires_at": now + self.ttl}, key="url"):
                return True
            row = conn.execute(select(t.c.crawl, t.c.expires_at).where(t.c.url == url)).first()
            if row is None or row.crawl == self.crawl or (row.expires_at >= now and not process_gone(row.crawl)):
                return False
            # A claim left by a crawl that died (kill -9: at once on this machine, else when it
            # expires) or that gave up on the URL: take it over, unless another process just did.
            return conn.execute(update(t).where(t.c.url == url, t.c.crawl == row.crawl)
                                .values(crawl=self.crawl, expires_at=now + self.ttl).returning(t.c.url)
                                ).scalar() is not None

    def release_all(self) -> None:
        """The crawl is over: its URLs are stored, or left due by their sources."""
        t = table_of(UrlClaim)
        with self.engine.begin() as conn:
            conn.execute(delete(t).where(t.c.crawl == self.crawl))
