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

from sqlalchemy.engine import Engine

from radar import store


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
        return store.claim_url(self.engine, url, self.crawl, time.time(), self.ttl)

    def release_all(self) -> None:
        """The crawl is over: its URLs are stored, or left due by their sources."""
        store.release_claims(self.engine, self.crawl)
