"""Many news sites on 127.0.0.1 for the worker tests and the scale benchmark.

Each host is its own loopback address (127.0.0.2, 127.0.0.3, ...: Linux routes all of
127/8 to the loopback interface), so per-host politeness applies as on the web. Each host
serves feeds of articles about organizations of its own (no two documents share a text),
and the server records, per host, the most requests it ever had in flight at once and,
per URL, how many times it was fetched.
"""
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Optional

from tests.service_site import article, company, reply


@dataclass
class Site:
    feeds: dict[str, str]  # source name -> feed URL
    articles: int  # articles in all
    max_in_flight: dict[str, int] = field(default_factory=dict)  # host -> most requests at once
    fetches: Counter[str] = field(default_factory=Counter)  # host + path -> times fetched
    spans: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # host -> (start, end) per request
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: Counter[str] = field(default_factory=Counter)

    def enter(self, host: str, path: str) -> float:
        with self.lock:
            self.in_flight[host] += 1
            self.max_in_flight[host] = max(self.max_in_flight.get(host, 0), self.in_flight[host])
            self.fetches[host + path] += 1
        return time.monotonic()

    def leave(self, host: str, started: float) -> None:
        with self.lock:
            self.in_flight[host] -= 1
            self.spans.setdefault(host, []).append((started, time.monotonic()))

    def smallest_gap(self) -> float:
        """The shortest time between the end of one request to a host and the start of the next."""
        gaps = [b[0] - a[1] for spans in self.spans.values()
                for a, b in zip(sorted(spans), sorted(spans)[1:], strict=False)]
        return min(gaps, default=float("inf"))

    def refetched(self) -> dict[str, int]:
        """Article URLs fetched more than once."""
        return {u: n for u, n in self.fetches.items() if n > 1 and "/a/" in u}


def _feed(base: str, first: int, count: int) -> str:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><title>{company(n)} raises $20 million</title><link>{base}/a/{n}.html</link>"
        f"<pubDate>{format_datetime(now - timedelta(hours=n % 48))}</pubDate>"
        f"<description>{company(n)} raised money.</description></item>"
        for n in range(first, first + count))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>{base}</link>'
            f'<description>d</description>{items}</channel></rss>')


def _handler(site: Site, feeds_per_host: int, per_feed: int, host_index: int, delay: float) -> type:
    class Handler(BaseHTTPRequestHandler):
        server: ThreadingHTTPServer

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            host, port = str(self.server.server_address[0]), self.server.server_address[1]
            base = f"http://{host}:{port}"
            started = site.enter(host, self.path)
            try:
                body, ctype = self._page(base)
            finally:
                site.leave(host, started)
            if body is None:
                self.send_error(404)
                return
            reply(self, body, ctype)

        def _page(self, base: str) -> tuple[Optional[str], str]:
            time.sleep(delay)
            if self.path == "/robots.txt":
                return "User-agent: *\nAllow: /\n", "text/plain"
            if self.path.startswith(("/feed/", "/news/")):
                f = int(self.path.rsplit("/", 1)[1].split(".")[0])
                first = (host_index * feeds_per_host + f) * per_feed
                if self.path.startswith("/news/"):  # the same articles as a newsroom listing page
                    links = "".join(f'<li><a href="/a/{n}.html">{company(n)}</a></li>'
                                    for n in range(first, first + per_feed))
                    return f"<html><body><ul>{links}</ul></body></html>", "text/html; charset=utf-8"
                return _feed(base, first, per_feed), "application/rss+xml"
            if self.path.startswith("/a/"):
                return article(int(self.path.rsplit("/", 1)[1].split(".")[0])), "text/html; charset=utf-8"
            return None, ""

    return Handler


@contextmanager
def cluster_site(hosts: int, feeds_per_host: int, per_feed: int, delay: float = 0.0) -> Iterator[Site]:
    """`hosts` servers on 127.0.0.2... with `feeds_per_host` feeds of `per_feed` articles each;
    every response waits `delay` seconds (while counted as in flight)."""
    site = Site(feeds={}, articles=hosts * feeds_per_host * per_feed)
    servers = []
    try:
        for h in range(hosts):
            server = ThreadingHTTPServer((f"127.0.0.{h + 2}", 0), _handler(site, feeds_per_host, per_feed, h, delay))
            server.daemon_threads = True
            servers.append(server)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            host, port = str(server.server_address[0]), server.server_address[1]
            for f in range(feeds_per_host):
                site.feeds[f"h{h}f{f}"] = f"http://{host}:{port}/feed/{f}.xml"
        yield site
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def sources_toml(site: Site, interval_minutes: int = 60, kind: str = "rss") -> str:
    """[[sources]] for every feed, or (kind "newsroom") for every feed's listing page."""
    def url(u: str) -> str:
        return u if kind == "rss" else u.replace("/feed/", "/news/").replace(".xml", ".html")

    return "".join(f'\n[[sources]]\nname = "{name}"\nurl = "{url(u)}"\nkind = "{kind}"\n'
                   f'interval_minutes = {interval_minutes}\n' for name, u in site.feeds.items())
