"""radar's own HTTP client: polite, bounded and safe against hostile hosts.

Every request radar makes outside Scrapy goes through `Fetcher.get`: only http(s), the
target address checked after DNS resolution and after each redirect (no loopback,
private or link-local unless allowed), at most N redirects, connect and read timeouts,
a body cap enforced while streaming and after decompression, retries with backoff on
429 and 5xx honoring Retry-After, conditional GET, robots.txt and a per-host delay.
"""
import email.utils
import ipaddress
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego

logger = logging.getLogger(__name__)


class FetchError(Exception):
    """A fetch that failed in a way the web does every day: logged, counted, skipped."""

    def __init__(self, message: str, status: Optional[int] = None, retryable: bool = False):
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class BlockedAddress(FetchError):
    pass


@dataclass
class FetchPolicy:
    user_agent: str = "radar/0.1"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    retries: int = 2
    per_host_delay: float = 1.0
    allow_private: bool = False
    obey_robots: bool = True
    max_retry_after: float = 120.0  # never sleep longer than this for one Retry-After


@dataclass
class Response:
    url: str  # final URL after redirects
    status: int
    headers: dict[str, str]
    body: bytes
    not_modified: bool = False
    redirects: list[str] = field(default_factory=list)

    @property
    def etag(self) -> Optional[str]:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> Optional[str]:
        return self.headers.get("last-modified")


def check_address(url: str, allow_private: bool) -> None:
    """Refuse non-http(s) URLs and, unless allowed, hosts resolving to internal addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedAddress(f"refused {url}: only http and https URLs are fetched")
    host = parts.hostname
    if not host:
        raise BlockedAddress(f"refused {url}: no host in URL")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except socket.gaierror as e:
        raise FetchError(f"cannot resolve host {host}: {e.strerror}")
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
            raise BlockedAddress(
                f"refused {url}: {host} resolves to internal address {ip} "
                "(set crawl.allow_private_addresses = true only for local tests)"
            )


def _retry_after(value: Optional[str], default: float) -> float:
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError):
        return default


class Fetcher:
    """One per crawl: holds the connection pool, robots.txt cache and per-host clocks."""

    def __init__(self, policy: FetchPolicy, sleep: Callable[[float], None] = time.sleep):
        self.policy = policy
        self._sleep = sleep
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )
        self._robots: dict[str, Optional[Protego]] = {}
        self._last_hit: dict[str, float] = {}
        self._lock = threading.Lock()
        self.bytes_received = 0
        self.requests = 0

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness -------------------------------------------------------------------
    def _wait_for_host(self, host: str) -> None:
        with self._lock:
            last = self._last_hit.get(host)
            now = time.monotonic()
            wait = 0.0 if last is None else self.policy.per_host_delay - (now - last)
            self._last_hit[host] = now + max(wait, 0.0)
        if wait > 0:
            self._sleep(wait)

    def allowed_by_robots(self, url: str) -> bool:
        if not self.policy.obey_robots:
            return True
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            self._robots[root] = None
            try:
                resp = self._get_once(root + "/robots.txt", {}, robots=False)
                if resp.status == 200:
                    self._robots[root] = Protego.parse(resp.body.decode("utf-8", "replace"))
            except FetchError as e:
                logger.debug("no robots.txt for %s: %s", root, e)
        rules = self._robots[root]
        return rules is None or rules.can_fetch(url, self.policy.user_agent)

    # -- fetching ---------------------------------------------------------------------
    def get(self, url: str, etag: Optional[str] = None, last_modified: Optional[str] = None,
            accept: str = "*/*") -> Response:
        """GET with redirects checked hop by hop, retries, and conditional headers."""
        headers = {"Accept": accept, "Cache-Control": "max-age=0"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if not self.allowed_by_robots(url):
            raise FetchError(f"robots.txt of {urlsplit(url).netloc} disallows {url}; skipped", status=None)
        attempt = 0
        while True:
            try:
                return self._get_once(url, headers)
            except FetchError as e:
                if not e.retryable or attempt >= self.policy.retries:
                    raise
                delay = getattr(e, "retry_after", None) or min(2.0 ** attempt, 30.0)
                if delay > self.policy.max_retry_after:
                    raise FetchError(f"{e}; server asks to wait {delay:.0f}s, more than the {self.policy.max_retry_after:.0f}s limit", e.status)
                attempt += 1
                logger.info("retrying %s in %.1fs (%s)", url, delay, e)
                self._sleep(delay)

    def _get_once(self, url: str, headers: dict[str, str], robots: bool = True) -> Response:
        seen: list[str] = []
        current = url
        while True:
            check_address(current, self.policy.allow_private)
            self._wait_for_host(urlsplit(current).netloc)
            resp = self._stream(current, headers)
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.headers.get("location")
                if not location:
                    raise FetchError(f"{current}: redirect {resp.status} without a Location header", resp.status)
                nxt = urljoin(current, location)
                seen.append(current)
                if nxt in seen:
                    raise FetchError(f"{url}: redirect loop ({' -> '.join(seen + [nxt])})", resp.status)
                if len(seen) > self.policy.max_redirects:
                    raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects", resp.status)
                current = nxt
                continue
            resp.redirects = seen
            if resp.status == 304:
                resp.not_modified = True
                return resp
            if resp.status == 429 or resp.status >= 500:
                err = FetchError(f"{current}: HTTP {resp.status}", resp.status, retryable=True)
                err.retry_after = _retry_after(resp.headers.get("retry-after"), 0.0) or None  # type: ignore[attr-defined]
                raise err
            if resp.status >= 400:
                raise FetchError(f"{current}: HTTP {resp.status}", resp.status)
            return resp

    def _stream(self, url: str, headers: dict[str, str]) -> Response:
        limit = self.policy.max_bytes
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                self.requests += 1
                declared = r.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > limit and r.status_code < 300:
                    raise FetchError(f"{url}: body of {int(declared):,} bytes is over the {limit:,}-byte limit")
                chunks: list[bytes] = []
                size = 0
                # iter_bytes decompresses: the cap applies to what a gzip bomb inflates to.
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"{url}: body over the {limit:,}-byte limit (after decompression); skipped")
                    chunks.append(chunk)
                self.bytes_received += r.num_bytes_downloaded
                return Response(url=str(r.url), status=r.status_code,
                                headers={k.lower(): v for k, v in r.headers.items()}, body=b"".join(chunks))
        except httpx.TimeoutException as e:
            raise FetchError(f"{url}: timed out ({type(e).__name__})", retryable=True)
        except httpx.DecodingError as e:
            raise FetchError(f"{url}: cannot decode the response body ({e})")
        except httpx.HTTPError as e:
            raise FetchError(f"{url}: {type(e).__name__}: {e}", retryable=isinstance(e, httpx.TransportError))
