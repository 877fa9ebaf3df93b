"""radar's own HTTP client: polite, bounded and safe against hostile hosts.

Every request radar makes outside Scrapy goes through `Fetcher.get`: only http(s); the
address checked after DNS resolution, at connect time, for every hop of a redirect (no
loopback, private, link-local or other non-global address unless allowed); at most N
redirects; connect and read timeouts; a body cap enforced while streaming and after
decompression; retries with backoff on 429 and 5xx honoring Retry-After; conditional GET;
robots.txt (RFC 9309); one request at a time per host, spaced by a per-host delay.
"""
import ipaddress
import logging
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from protego import Protego

from radar.retry_after import retry_after_seconds
from radar.spiders.lease import Leases, LocalLeases

logger = logging.getLogger(__name__)

REDIRECTS = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """A fetch that failed in a way the web does every day: logged, counted, skipped."""

    def __init__(self, message: str, status: Optional[int] = None, retryable: bool = False,
                 retry_after: Optional[float] = None):
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after


class BlockedAddress(FetchError):
    """A URL radar refuses to fetch: wrong scheme, or an internal address."""


@dataclass
class FetchPolicy:
    user_agent: str = "radar/0.1"
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    total_timeout: float = 60.0  # the whole response: a server trickling bytes cannot hold a crawl
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    retries: int = 2
    per_host_delay: float = 1.0
    allow_private: bool = False
    obey_robots: bool = True
    max_retry_after: float = 120.0  # never sleep longer than this for one Retry-After
    host_delays: dict[str, float] = field(default_factory=dict)  # e.g. EDGAR's rate limit
    # "host:port" pairs exempt from the internal-address check (a test server, an intranet
    # feed) while every other internal address stays refused, redirects included.
    trusted: tuple[str, ...] = ()


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

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the last 32 bits are an IPv4 address


def is_internal(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Loopback, private, link-local (cloud metadata), shared, reserved or multicast; also
    when hidden in an IPv6 form that carries an IPv4 address (mapped, 6to4, NAT64)."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return not ip.is_global or ip.is_multicast


def check_url(url: str) -> None:
    """Refuse anything but http(s) URLs with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise BlockedAddress(f"refused {url[:200]}: only http and https URLs are fetched")
    if not parts.hostname:
        raise BlockedAddress(f"refused {url[:200]}: no host in URL")


def resolve_checked(host: str, port: int, allow_private: bool, trusted: tuple[str, ...] = ()) -> list[str]:
    """The host's addresses, refusing internal ones unless allowed (SSRF guard)."""
    allow_private = allow_private or f"{host}:{port}" in trusted
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise FetchError(f"cannot resolve host {host}: {e.strerror}", retryable=True) from e
    addresses = []
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if not allow_private and is_internal(ip):
            raise BlockedAddress(
                f"refused {host}: it resolves to internal address {ip} "
                "(set crawl.allow_private_addresses = true only for local tests)"
            )
        addresses.append(str(info[4][0]))
    return addresses


def check_address(url: str, allow_private: bool, trusted: tuple[str, ...] = ()) -> None:
    """Refuse non-http(s) URLs and, unless allowed, hosts resolving to internal addresses."""
    check_url(url)
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as e:
        raise BlockedAddress(f"refused {url[:200]}: bad port") from e
    resolve_checked(parts.hostname or "", port, allow_private, trusted)


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses that passed the check, so a DNS answer that changes
    between the check and the connection (DNS rebinding) cannot reach an internal host.
    TLS still names the host (httpcore sends the origin's name as SNI, not the address)."""

    def __init__(self, allow_private: bool, trusted: tuple[str, ...] = ()):
        self.allow_private = allow_private
        self.trusted = trusted

    def connect_tcp(self, host: str, port: int, timeout: Optional[float] = None,
                    local_address: Optional[str] = None,
                    socket_options: Optional[Iterable[httpcore.SOCKET_OPTION]] = None) -> httpcore.NetworkStream:
        last: Optional[httpcore.ConnectError] = None
        for address in resolve_checked(host, port, self.allow_private, self.trusted):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectTimeout:
                raise
            except httpcore.ConnectError as e:  # refused or unreachable: the next address
                last = e
        raise last or httpcore.ConnectError(f"no address for {host}")


def _transport(policy: FetchPolicy) -> httpx.HTTPTransport:
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx 0.28 has no public way to give its transport a network backend (asked for in
    # encode/httpx discussion #3180; pull request #3749, still open, would add one); swapping
    # its pool is the one private step left (a transport of our own would copy httpx's
    # request, response and exception mapping). httpx is pinned to its minor release for it.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0,
        network_backend=GuardedBackend(policy.allow_private, policy.trusted),
    )
    return transport


def _header_bytes(r: httpx.Response) -> int:
    # Bytes of the status line and headers as sent (httpx does not count them).
    return 15 + sum(len(k) + len(v) + 4 for k, v in r.headers.raw)


class Fetcher:
    """One per crawl: the connection pool, robots.txt cache and per-host slots and clocks.

    Thread-safe: a crawl runs sources in a thread pool; each host still sees one request
    at a time, spaced by its delay.
    """

    def __init__(self, policy: FetchPolicy, sleep: Callable[[float], None] = time.sleep,
                 leases: Optional[Leases] = None):
        self.policy = policy
        self._sleep = sleep
        # The database's leases keep every process of the radar to one request per host;
        # without a database (a check before anything is stored), this process's clocks.
        self._leases = leases or LocalLeases(sleep)
        # Whether this crawl should fetch an article URL now (radar.spiders.url_claims): a crawl
        # sets it so an article two of its sources list is fetched once; alone, always yes.
        self.claim_url: Callable[[str], bool] = lambda url: True
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(policy.read_timeout, connect=policy.connect_timeout),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            transport=_transport(policy),
            trust_env=False,
        )
        self._robots: dict[str, Optional[Protego]] = {}
        self._robots_errors: dict[str, str] = {}  # root -> why its robots.txt could not be read
        self._robots_locks: dict[str, threading.Lock] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()
        self.bytes_received = 0
        self.requests = 0
        self.retries = 0
        self._local = threading.local()  # bytes per thread: a source runs in one thread

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def thread_bytes(self) -> int:
        """Bytes received so far by the calling thread."""
        return getattr(self._local, "bytes", 0)

    # -- politeness -------------------------------------------------------------------
    def delay_for(self, host: str) -> float:
        return max(self.policy.per_host_delay, self.policy.host_delays.get(host, 0.0))

    @contextmanager
    def _host_slot(self, netloc: str) -> Iterator[None]:
        """One request at a time per host, at least the host's delay apart: this process's
        threads queue on a lock, then the lease makes other processes wait too."""
        with self._lock:
            lock = self._host_locks.setdefault(netloc, threading.Lock())
        with lock, self._leases.hold(netloc, self.delay_for(urlsplit("//" + netloc).hostname or netloc)):
            yield

    def allowed_by_robots(self, url: str, user_agent: Optional[str] = None) -> bool:
        if not self.policy.obey_robots:
            return True
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            lock = self._robots_locks.setdefault(root, threading.Lock())
        with lock:
            if root not in self._robots:
                self._robots[root] = self._fetch_robots(root)
        rules = self._robots[root]
        return rules is None or rules.can_fetch(url, user_agent or self.policy.user_agent)

    def _fetch_robots(self, root: str) -> Optional[Protego]:
        """RFC 9309: a 4xx means no rules; a 5xx or no answer means stay away for now."""
        try:
            resp = self._get_once(root + "/robots.txt", {"Accept": "text/plain,*/*"}, None, robots=False)
        except FetchError as e:
            if e.status is not None and 400 <= e.status < 500:
                return None
            logger.warning("robots.txt of %s unreachable (%s); not crawling that host this run", root, e)
            self._robots_errors[root] = str(e)
            return Protego.parse("User-agent: *\nDisallow: /")
        return Protego.parse(resp.body.decode("utf-8", "replace"))

    # -- fetching ---------------------------------------------------------------------
    def get(self, url: str, etag: Optional[str] = None, last_modified: Optional[str] = None,
            accept: str = "*/*", user_agent: Optional[str] = None) -> Response:
        """GET with redirects checked hop by hop, retries, and conditional headers."""
        # Before robots.txt: refuse internal hosts outright.
        check_address(url, self.policy.allow_private, self.policy.trusted)
        headers = {"Accept": accept, "Cache-Control": "max-age=0"}
        if user_agent:
            headers["User-Agent"] = user_agent
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if not self.allowed_by_robots(url, user_agent):
            parts = urlsplit(url)
            why = self._robots_errors.get(f"{parts.scheme}://{parts.netloc}")
            if why:  # not a rule: the host did not answer for robots.txt (RFC 9309: stay away)
                raise FetchError(f"{parts.netloc} is unreachable: its robots.txt could not be fetched ({why}); skipped")
            raise FetchError(f"robots.txt of {parts.netloc} disallows {url}; skipped")
        attempt = 0
        while True:
            try:
                return self._get_once(url, headers, user_agent)
            except FetchError as e:
                if not e.retryable or attempt >= self.policy.retries:
                    raise
                delay = e.retry_after if e.retry_after is not None else min(2.0 ** attempt, 30.0)
                if delay > self.policy.max_retry_after:
                    raise FetchError(f"{e}; the server asks to wait {delay:.0f}s, more than the "
                                     f"{self.policy.max_retry_after:.0f}s limit; trying next run", e.status) from e
                attempt += 1
                with self._lock:
                    self.retries += 1
                logger.info("retrying %s in %.1fs (%s)", url, delay, e)
                self._sleep(delay)

    def _get_once(self, url: str, headers: dict[str, str], user_agent: Optional[str],
                  robots: bool = True) -> Response:
        seen: list[str] = []
        current = url
        while True:
            check_address(current, self.policy.allow_private, self.policy.trusted)
            if seen and robots and not self.allowed_by_robots(current, user_agent):
                raise FetchError(f"{url}: redirected to {current}, which robots.txt disallows; skipped")
            resp = self._stream(current, headers)
            if resp.status in REDIRECTS:
                current = self._next_hop(url, current, resp, seen)
                continue
            resp.redirects = seen
            return self._check_status(current, resp)

    def _next_hop(self, url: str, current: str, resp: Response, seen: list[str]) -> str:
        location = resp.headers.get("location")
        if not location:
            raise FetchError(f"{current}: redirect {resp.status} without a Location header", resp.status)
        nxt = urljoin(current, location.strip())
        seen.append(current)
        if nxt in seen:
            raise FetchError(f"{url}: redirect loop ({' -> '.join(seen + [nxt])})", resp.status)
        if len(seen) > self.policy.max_redirects:
            raise FetchError(f"{url}: more than {self.policy.max_redirects} redirects", resp.status)
        check_url(nxt)
        return nxt

    @staticmethod
    def _check_status(url: str, resp: Response) -> Response:
        if resp.status == 304:
            resp.not_modified = True
            return resp
        if resp.status == 429 or resp.status >= 500:
            raise FetchError(f"{url}: HTTP {resp.status}", resp.status, retryable=True,
                             retry_after=retry_after_seconds(resp.headers.get("retry-after")))
        if resp.status == 410:
            raise FetchError(f"{url}: HTTP 410 Gone; the publisher removed it", 410)
        if resp.status >= 400:
            raise FetchError(f"{url}: HTTP {resp.status}", resp.status)
        return resp

    def _stream(self, url: str, headers: dict[str, str]) -> Response:
        netloc = urlsplit(url).netloc
        with self._host_slot(netloc):
            return self._stream_now(url, headers)

    def _stream_now(self, url: str, headers: dict[str, str]) -> Response:
        limit = self.policy.max_bytes
        deadline = time.monotonic() + self.policy.total_timeout
        try:
            with self._client.stream("GET", url, headers=headers) as r:
                try:
                    return self._read(url, r, limit, deadline, self.policy.total_timeout)
                finally:
                    size = r.num_bytes_downloaded + _header_bytes(r)
                    self._local.bytes = self.thread_bytes() + size
                    with self._lock:
                        self.requests += 1
                        self.bytes_received += size
        except httpx.TimeoutException as e:
            raise FetchError(f"{url}: timed out ({type(e).__name__})", retryable=True) from e
        except httpx.DecodingError as e:
            raise FetchError(f"{url}: cannot decode the response body ({e})") from e
        except httpx.HTTPError as e:
            raise FetchError(f"{url}: {type(e).__name__}: {e}", retryable=isinstance(e, httpx.TransportError)) from e

    @staticmethod
    def _read(url: str, r: httpx.Response, limit: int, deadline: float, total: float) -> Response:
        headers = {k.lower(): v for k, v in r.headers.items()}
        if r.status_code >= 300:
            return Response(url=str(r.url), status=r.status_code, headers=headers, body=b"")
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchError(f"{url}: body of {int(declared):,} bytes is over the {limit:,}-byte limit; skipped")
        body = _read_capped(url, r, limit, deadline, total)
        return Response(url=str(r.url), status=r.status_code, headers=headers, body=body)


def _decompressor(url: str, encoding: str) -> Optional["zlib._Decompress"]:
    enc = encoding.strip().lower()
    if enc in ("", "identity"):
        return None
    if enc in ("gzip", "x-gzip", "deflate"):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    raise FetchError(f"{url}: unsupported Content-Encoding '{encoding[:40]}'")


def _read_capped(url: str, r: httpx.Response, limit: int, deadline: float, total: float) -> bytes:
    """The body, decompressed by us a bounded step at a time: a gzip bomb stops at the cap
    instead of inflating a whole network chunk (1,000:1) in memory first. The read timeout
    counts the time between bytes; the deadline bounds the whole body."""
    over = FetchError(f"{url}: body over the {limit:,}-byte limit (after decompression); skipped")
    decoder = _decompressor(url, r.headers.get("content-encoding", ""))
    out = bytearray()
    try:
        for raw in r.iter_raw():
            if time.monotonic() > deadline:
                raise FetchError(f"{url}: the response took longer than {total:g} s in all "
                                 "(crawl.total_timeout); skipped")
            if decoder is None:
                out += raw
            else:
                data = decoder.decompress(raw, limit + 1 - len(out))
                while True:
                    out += data
                    if len(out) > limit or not decoder.unconsumed_tail:
                        break
                    data = decoder.decompress(decoder.unconsumed_tail, limit + 1 - len(out))
            if len(out) > limit:
                raise over
    except zlib.error as e:
        raise FetchError(f"{url}: corrupt compressed body ({e})") from e
    return bytes(out)
