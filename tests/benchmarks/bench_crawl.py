"""Benchmark: crawling 500 feeds of 50 entries from a local server, then again unchanged.

Prints the first crawl's time and bytes, the second (conditional) crawl's as a share of
the first (must be at most 5 % of each), the peak RSS of the crawling process (must stay
under 300 MB), and feeds per second against feedparser's raw parse speed on the same
bodies. The first crawl runs in rounds of a share of the feeds, each right after
feedparser parsed that share's bodies (interleaved: a baseline measured after the whole
crawl swung the ratio from 0.35 to 0.09 between runs on the shared machine); the ratio is
the median over rounds. Entries are stored as feed entries (fetch_articles =
false): the benchmark measures the feed path, not article extraction.

Run: .venv/bin/python tests/benchmarks/bench_crawl.py [--feeds 500] [--entries 50] [--rounds 5]
"""
import argparse
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MAX_SECOND_SHARE = 0.05
MAX_RSS_MB = 300


def feed_body(i: int, entries: int) -> bytes:
    items = "".join(
        f"<item><title>Company {i}-{j} raises a Series {'ABC'[j % 3]} round to hire engineers</title>"
        f"<link>http://feeds.invalid/{i}/story-{j}.html?utm_source=rss</link><guid>feed-{i}-{j}</guid>"
        f"<description>Company {i}-{j} said on Monday it raised ${j + 1} million from investors led by "
        f"Fund {i % 17} and plans to double its engineering team in Toronto within a year.</description>"
        f"<pubDate>Mon, 02 Nov 2026 10:{j % 60:02d}:00 GMT</pubDate></item>" for j in range(entries))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire {i}</title>'
            f"<link>http://feeds.invalid/{i}/</link><description>Feed {i}</description>"
            f"{items}</channel></rss>").encode()


def serve(port_out: "multiprocessing.Queue[int]", feeds: int, entries: int) -> None:
    """The feed server, in its own process so it does not share the crawler's GIL or RSS."""
    bodies = {f"/feeds/{i}.xml": feed_body(i, entries) for i in range(feeds)}
    stamp = formatdate(usegmt=True)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            body = bodies.get(self.path)
            if body is None:
                self._send(404, b"")
                return
            etag = f'"{hash(body) & 0xffffffff:x}"'
            if self.headers.get("If-None-Match") == etag:
                self._send(304, b"", etag)
                return
            self._send(200, body, etag)

        def _send(self, status: int, body: bytes, etag: str = "") -> None:
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", stamp)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *a: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.put(server.server_address[1])
    server.serve_forever()


def feedparser_baseline(feeds: range, entries: int) -> float:
    """Feeds per second for feedparser alone on the same bodies (sanitizing on, as radar)."""
    import feedparser

    bodies = [feed_body(i, entries) for i in feeds]
    started = time.perf_counter()
    for body in bodies:
        assert len(feedparser.parse(body).entries) == entries
    return len(bodies) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from radar import store
    from radar.db import make_engine, migrate
    from radar.models import Document
    from radar.settings import SourceEntry, load_settings
    from radar.spiders.crawl import crawl

    ports: multiprocessing.Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports, args.feeds, args.entries), daemon=True)
    server.start()
    port = ports.get(timeout=60)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cfg = Path(tmp) / "radar.toml"
            cfg.write_text(f'[general]\ndata_dir = "{tmp}"\n'
                           '[crawl]\nallow_private_addresses = true\nper_host_delay = 0.0\n', encoding="utf-8")
            settings = load_settings(cfg)
            engine = make_engine(settings.database_url())
            migrate(engine)
            store.sync_sources(engine, [SourceEntry(name=f"feed-{i}", url=f"http://127.0.0.1:{port}/feeds/{i}.xml",
                                                    kind="rss", fetch_articles=False) for i in range(args.feeds)])
            sources = sorted(store.list_sources(engine), key=lambda src: int(src.name.split("-")[1]))

            t1, bytes1, requests1, failed1, ratios = 0.0, 0, 0, 0, []
            size = -(-args.feeds // args.rounds)
            for start in range(0, args.feeds, size):
                part = sources[start:start + size]
                baseline = feedparser_baseline(range(start, start + len(part)), args.entries)
                t0 = time.perf_counter()
                first = crawl(engine, settings, part, force=True)
                took = time.perf_counter() - t0
                t1, bytes1, requests1, failed1 = t1 + took, bytes1 + first.bytes, requests1 + first.requests, \
                    failed1 + first.failed
                ratios.append((len(part) / took) / baseline)
            stored = store.count(engine, Document)
            t0 = time.perf_counter()
            second = crawl(engine, settings, store.list_sources(engine), force=True)
            t2 = time.perf_counter() - t0
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        server.terminate()

    ours = args.feeds / t1
    time_share, byte_share = t2 / t1, second.bytes / max(bytes1, 1)
    print(f"bench_crawl: {args.feeds} feeds x {args.entries} entries, SQLite, concurrency {settings.crawl.concurrency}")
    print(f"  first crawl : {t1:7.2f} s, {bytes1:>12,} bytes, {requests1} requests, {stored:,} documents "
          f"stored, {failed1} failed ({len(ratios)} rounds)")
    print(f"  second crawl: {t2:7.2f} s, {second.bytes:>12,} bytes, {second.requests} requests, "
          f"{sum(r.status == 'not_modified' for r in second.results)} not modified, {second.new_documents} new")
    print(f"  second/first: time {time_share:.1%}, bytes {byte_share:.2%} (limit {MAX_SECOND_SHARE:.0%} each)")
    print(f"  peak RSS    : {rss_mb:.0f} MB (limit {MAX_RSS_MB} MB)")
    print(f"  throughput  : {ours:.1f} feeds/s crawled and stored; ratio to feedparser alone on the same bodies, "
          f"interleaved: median {statistics.median(ratios):.2f} (rounds {min(ratios):.2f}-{max(ratios):.2f})")
    ok = (stored == args.feeds * args.entries and failed1 == 0 and second.new_documents == 0
          and time_share <= MAX_SECOND_SHARE and byte_share <= MAX_SECOND_SHARE and rss_mb < MAX_RSS_MB)
    if not ok:
        print("bench_crawl: FAILED a limit above", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
