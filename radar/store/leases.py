"""Host leases and URL claims: the rows through which crawling processes share hosts and
articles (radar.spiders.lease and radar.spiders.url_claims decide when to ask; the rows are
read and written here). Each call is one short Core transaction: a crawl asks before every
request, so no ORM objects are built."""
from typing import Any, Optional

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from radar.db import insert_new
from radar.models import DocumentUrl, HostLease, UrlClaim, table_of
from radar.processes import process_gone


def take_lease(engine: Engine, host: str, holder: str, now: float, ttl: float) -> tuple[bool, Optional[Any]]:
    """Take the host's lease when it is free and its next start has come: (True, None) when
    taken, else (False, the lease's row: holder, expires_at, next_at; None when the host has
    no row yet)."""
    t = table_of(HostLease)
    free = or_(t.c.holder.is_(None), t.c.expires_at < now)
    with engine.begin() as conn:
        took = conn.execute(update(t).where(t.c.host == host, free, t.c.next_at <= now)
                            .values(holder=holder, expires_at=now + ttl)).rowcount
        if took == 1:
            return True, None
        return False, conn.execute(select(t.c.holder, t.c.expires_at, t.c.next_at).where(t.c.host == host)).first()


def create_lease(engine: Engine, host: str, holder: str, now: float, ttl: float) -> bool:
    """The host's first lease, held by `holder`; False when another process created it first."""
    t = table_of(HostLease)
    try:
        with engine.begin() as conn:
            conn.execute(insert(t).values(host=host, holder=holder, expires_at=now + ttl, next_at=now))
        return True
    except IntegrityError:
        return False


def free_lease(engine: Engine, host: str, holder: str) -> None:
    """The host freed from `holder` (whose process died), its next start kept."""
    t = table_of(HostLease)
    with engine.begin() as conn:
        conn.execute(update(t).where(t.c.host == host, t.c.holder == holder).values(holder=None))


def release_lease(engine: Engine, host: str, holder: str, next_at: float) -> None:
    """`holder` gives the host back; the next request starts at `next_at`."""
    t = table_of(HostLease)
    with engine.begin() as conn:
        conn.execute(update(t).where(t.c.host == host, t.c.holder == holder)
                     .values(holder=None, expires_at=None, next_at=next_at))


def claim_url(engine: Engine, url: str, crawl: str, now: float, ttl: float) -> bool:
    """True when `crawl` now holds the claim on `url` (see radar.spiders.url_claims); False when
    the URL is stored already, or another live claim holds it."""
    t = table_of(UrlClaim)
    with engine.begin() as conn:
        urls = table_of(DocumentUrl)
        if conn.execute(select(urls.c.id).where(urls.c.url == url)).first() is not None:
            return False  # stored since the source read its list: nothing to fetch
        if insert_new(conn, t, {"url": url, "crawl": crawl, "expires_at": now + ttl}, key="url"):
            return True
        row = conn.execute(select(t.c.crawl, t.c.expires_at).where(t.c.url == url)).first()
        if row is None or row.crawl == crawl or (row.expires_at >= now and not process_gone(row.crawl)):
            return False
        # A claim left by a crawl that died (kill -9: at once on this machine, else when it
        # expires) or that gave up on the URL: take it over, unless another process just did.
        return conn.execute(update(t).where(t.c.url == url, t.c.crawl == row.crawl)
                            .values(crawl=crawl, expires_at=now + ttl).returning(t.c.url)
                            ).scalar() is not None


def release_claims(engine: Engine, crawl: str) -> None:
    """Every claim of `crawl` deleted: the crawl is over."""
    t = table_of(UrlClaim)
    with engine.begin() as conn:
        conn.execute(delete(t).where(t.c.crawl == crawl))
