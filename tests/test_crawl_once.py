"""An article listed by several sources is fetched once per crawl: two feeds in the crawl's
threads and a newsroom page in its Scrapy child all list the same stories. On SQLite and
PostgreSQL; the claims are gone when the crawl ends."""
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from radar import store
from radar.models import Document, UrlClaim
from radar.settings import Settings, SourceEntry
from radar.spiders.crawl import crawl
from tests.service_site import reply

STORIES = 6


def _article(n: int) -> str:
    text = f"Acme Robotics number {n} said on Tuesday it plans to hire forty engineers next year. " * 8
    return (f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1><p>{text}</p>"
            "</article></body></html>")


@pytest.fixture
def site() -> Iterator[tuple[str, Counter[str]]]:
    hits: Counter[str] = Counter()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            hits[self.path] += 1
            base = f"http://127.0.0.1:{port}"
            if self.path in ("/a.xml", "/b.xml"):
                items = "".join(f"<item><title>Story {n}</title><link>{base}/news/{n}.html</link></item>"
                                for n in range(STORIES))
                body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
                ctype = "application/rss+xml"
            elif self.path == "/newsroom/":
                body = "<html><body><ul>" + "".join(f'<li><a href="/news/{n}.html">Story {n}</a></li>'
                                                    for n in range(STORIES)) + "</ul></body></html>"
                ctype = "text/html"
            elif self.path.startswith("/news/"):
                body, ctype = _article(int(self.path.split("/")[-1].split(".")[0])), "text/html"
            else:
                self.send_error(404)
                return
            reply(self, body, ctype)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_an_article_two_sources_list_is_fetched_once(engine: Engine, settings: Settings,
                                                     site: tuple[str, Counter[str]]) -> None:
    base, hits = site
    sources = store.sync_sources(engine, [
        SourceEntry(name="wire-a", url=f"{base}/a.xml", kind="rss"),
        SourceEntry(name="wire-b", url=f"{base}/b.xml", kind="rss"),
        SourceEntry(name="newsroom", url=f"{base}/newsroom/", kind="newsroom"),
    ])
    summary = crawl(engine, settings, sources, force=True)
    assert all(r.status == "ok" for r in summary.results), summary.results
    articles = {path: n for path, n in hits.items() if path.startswith("/news/")}
    assert articles == {f"/news/{n}.html": 1 for n in range(STORIES)}, articles
    assert summary.new_documents == STORIES
    with engine.connect() as c:
        assert c.execute(select(func.count()).select_from(Document)).scalar() == STORIES
        assert c.execute(select(func.count()).select_from(UrlClaim)).scalar() == 0


def test_a_claim_of_a_killed_crawl_is_taken_over_and_a_stored_url_is_not_claimed(engine: Engine) -> None:
    import socket
    import subprocess
    import sys

    from radar.spiders.url_claims import UrlClaims

    # A crawl killed with kill -9 whose parent has not reaped it yet (a zombie) holds nothing.
    dead = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    theirs = UrlClaims(engine, f"{socket.gethostname()}:{dead.pid}:abcd1234", ttl=3600.0)
    assert theirs.claim("https://a.example/1")
    ours = UrlClaims(engine, "elsewhere:1:x", ttl=3600.0)
    assert not ours.claim("https://a.example/1")  # its crawl is alive
    dead.kill()
    try:
        import time

        time.sleep(0.2)
        assert ours.claim("https://a.example/1")  # killed: taken over at once, not in an hour
    finally:
        dead.wait()
    (src,) = store.sync_sources(engine, [SourceEntry(name="wire", url="https://a.example/feed")])
    store.save_document(engine, url="https://a.example/2", source_id=src.id, text="Acme raised $5M.", title="Acme",
                        published_at=None)
    assert not ours.claim("https://a.example/2")  # stored already: nothing to fetch
    ours.release_all()
    theirs.release_all()
