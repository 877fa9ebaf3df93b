"""Running the Scrapy newsroom spiders in a child process, and reading what they report.

The Twisted reactor cannot be restarted, and radar crawls many times in one long-running
`radar serve`: each crawl starts one child (`python -m radar.spiders.scrapy_run`) that
runs every newsroom and sitemap source at once and exits. The job (settings, database URL,
sources) goes in on stdin, so no secret shows in the process list; each finished source
comes back as one JSON line on stdout; Scrapy's log goes to a file read afterwards.

The child keeps the service's stop contract: when the parent is asked to stop it sends the
child SIGTERM, and Scrapy stops after the documents in flight (queued pages are dropped);
a source cut short this way is not recorded, so it stays due. The child never outlives
its parent: it checks twice a second that its parent is still the process that started
it, and stops the same way when it is not (kill -9 of `radar crawl` or `radar serve`).
"""
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from typing import Any, Optional

from sqlalchemy.engine import Engine

from radar import stop
from radar.models import Source
from radar.settings import Settings
from radar.spiders.results import Outcome, SourceResult

logger = logging.getLogger(__name__)

RESULT = "RADAR-RESULT "


def scrapy_settings(settings: Settings) -> dict[str, Any]:
    """Scrapy settings carrying radar's politeness and safety rules."""
    c = settings.crawl
    return {
        "USER_AGENT": c.user_agent,
        "ROBOTSTXT_OBEY": c.obey_robots,
        "DOWNLOAD_DELAY": c.per_host_delay,
        "CONCURRENT_REQUESTS": c.concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        # Scrapy's download timeout is a deadline for the whole response (a server trickling a
        # byte at a time cannot hold it longer); it has no between-bytes timer of its own.
        "DOWNLOAD_TIMEOUT": min(c.total_timeout, c.connect_timeout + c.read_timeout),
        # Connect to the addresses GuardMiddleware checked, never to a second DNS answer.
        "TWISTED_DNS_RESOLVER": "radar.spiders.pinned_dns.PinnedResolver",
        "DOWNLOAD_MAXSIZE": c.max_bytes,  # also caps what a compressed body inflates to
        "DOWNLOAD_WARNSIZE": 0,
        "REDIRECT_MAX_TIMES": c.max_redirects,
        "METAREFRESH_MAXDELAY": 0,
        "RETRY_TIMES": c.retries,
        "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 522, 524, 408],
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # No listening ports in a crawler: neither the telnet console nor remote control.
        "EXTENSIONS": {"scrapy.extensions.remote_control.RemoteControl": None,
                       "scrapy.extensions.telnet.TelnetConsole": None},
        "CLOSESPIDER_TIMEOUT": 1800,
        "DEFAULT_REQUEST_HEADERS": {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5",
                                    "Cache-Control": "max-age=0"},
        "DOWNLOAD_HANDLERS": {"file": None, "s3": None, "ftp": None, "data": None},
        "DOWNLOADER_MIDDLEWARES": {
            "radar.spiders.newsroom.GuardMiddleware": 40,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "radar.spiders.newsroom.RetryAfterMiddleware": 550,
            # Next to the downloader: each attempt and each redirect hop takes the host's lease.
            "radar.spiders.newsroom.LeaseMiddleware": 950,
            "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": None,
        },
        "ITEM_PIPELINES": {"radar.spiders.newsroom.DocumentPipeline": 300},
        "RADAR_ALLOW_PRIVATE": c.allow_private_addresses,
        "RADAR_MAX_RETRY_AFTER": 120.0,
        "LOG_LEVEL": "INFO",
    }


def _job(engine: Engine, settings: Settings, sources: list[Source],
         claims: Optional[tuple[str, float]]) -> dict[str, Any]:
    return {
        "parent_pid": os.getpid(),
        "claims": claims,
        "database_url": engine.url.render_as_string(hide_password=False),
        "scrapy": scrapy_settings(settings),
        "sources": [{"id": s.id, "name": s.name, "url": s.url, "kind": s.kind, "etag": s.etag,
                     "last_modified": s.last_modified, "max_articles": settings.crawl.max_articles_per_source}
                    for s in sources],
    }


def run_scrapy_sources(engine: Engine, settings: Settings, sources: list[Source],
                       on_outcome: Callable[[Source, Outcome], None],
                       claims: Optional[tuple[str, float]] = None) -> dict[str, int]:
    """Crawl newsroom/sitemap sources in a child process; calls on_outcome per source. With a
    crawl's (id, ttl), the child claims each article URL for that crawl (radar.spiders.url_claims)."""
    by_id = {s.id: s for s in sources}
    stats = {"bytes": 0, "requests": 0, "interrupted": 0}
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        child = subprocess.Popen([sys.executable, "-m", "radar.spiders.scrapy_run"], stdin=subprocess.PIPE,
                                 stdout=subprocess.PIPE, stderr=log, text=True, env=_child_env())
        assert child.stdin and child.stdout
        child.stdin.write(json.dumps(_job(engine, settings, sources, claims)))
        child.stdin.close()
        threading.Thread(target=_stop_child_on_request, args=(child,), name="scrapy-stop", daemon=True).start()
        for line in child.stdout:
            if not line.startswith(RESULT):
                continue
            data = json.loads(line[len(RESULT):])
            src = by_id.pop(data["id"], None)
            if src is not None:
                stats["bytes"] += data.get("bytes", 0)
                stats["requests"] += data.get("requests", 0)
                if data.get("interrupted"):
                    logger.info("source %s interrupted by the stop; it stays due", src.name)
                    stats["interrupted"] += 1
                    continue
                on_outcome(src, outcome_from(src, data))
        code = child.wait()
        log.seek(0)
        tail = _relay_log(log.read())
    for src in by_id.values():  # the child died before reporting these
        if stop.stop_requested():
            stats["interrupted"] += 1  # stopped before it began: stays due, nothing to record
            continue
        error = f"newsroom crawler exited with code {code}" + (f": {tail}" if tail else "")
        on_outcome(src, Outcome(SourceResult(src.name, "failed", error=error)))
    return stats


def _stop_child_on_request(child: "subprocess.Popen[str]") -> None:
    """Pass the service's stop on: SIGTERM makes Scrapy finish what is in flight and close."""
    while child.poll() is None:
        if stop.wait(0.5):
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
            return


def outcome_from(src: Source, data: dict[str, Any]) -> Outcome:
    result = SourceResult(src.name, data["status"], new_documents=data.get("new", 0), error=data.get("error"),
                          http_status=data.get("http_status"), bytes=data.get("bytes", 0))
    return Outcome(result, data.get("etag"), data.get("last_modified"), bool(data.get("complete", True)))


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SCRAPY_SETTINGS_MODULE", None)  # radar's settings only
    return env


def _relay_log(text: str) -> str:
    """Pass the child's log on to ours (behind -v: per-page errors would drown the one line per
    failed source the crawl prints); return its last error line, if any."""
    last_error = ""
    for line in text.splitlines():
        if " ERROR" in line or "Traceback" in line or "Error:" in line:
            logger.info("newsroom crawler: %s", line[:500])
            last_error = line.strip()[:300]
        elif " WARNING" in line:
            logger.info("newsroom crawler: %s", line[:500])
        else:
            logger.debug("newsroom crawler: %s", line[:500])
    return last_error


# -- the child -----------------------------------------------------------------------------

def child_main() -> int:
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from twisted.internet import task

    from radar.db import make_engine
    from radar.spiders.lease import DbLeases
    from radar.spiders.newsroom import NewsroomSpider, use_leases
    from radar.spiders.url_claims import UrlClaims

    job = json.loads(sys.stdin.read())
    parent = job.get("parent_pid") or os.getppid()
    if os.getppid() != parent:
        return 0  # the parent died while we started: nothing fetched, nothing to do
    engine = make_engine(job["database_url"])
    # A child killed mid-request frees its host when the lease expires.
    use_leases(DbLeases(engine, ttl=float(job["scrapy"]["DOWNLOAD_TIMEOUT"]) + 5.0))
    process = CrawlerProcess(settings=job["scrapy"], install_root_handler=True)

    def report(spider: NewsroomSpider, reason: str) -> None:
        # "shutdown": SIGTERM (the parent's stop) or the parent's death cut the crawl short.
        outcome = {**spider.outcome(), "interrupted": reason == "shutdown"}
        try:
            sys.stdout.write(RESULT + json.dumps(outcome) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            pass  # the parent is gone; what was stored stays stored

    def parent_alive() -> None:
        if os.getppid() != parent:
            logging.getLogger(__name__).warning("the radar process that started this crawl is gone; stopping")
            watch.stop()
            process.stop()  # as SIGTERM does: the documents in flight are finished, the rest dropped

    claims = UrlClaims(engine, *job["claims"]) if job.get("claims") else None
    for source in job["sources"]:
        crawler = process.create_crawler(NewsroomSpider)
        crawler.signals.connect(report, signal=signals.spider_closed)
        process.crawl(crawler, job=source, engine=engine, claims=claims)
    watch = task.LoopingCall(parent_alive)
    watch.start(0.5, now=False)
    process.start()
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(child_main())
