"""Feed crawls end to end against a local server: incremental, lossless, and unharmed by
the web's bad days. Store-touching tests run on SQLite and PostgreSQL."""
import logging
import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select
from werkzeug import Request, Response

from radar import store
from radar.models import CrawlRun, Document, DocumentUrl, Source
from radar.settings import Settings, SourceEntry, load_settings
from radar.spiders.crawl import crawl


def rss(items: list[dict[str, str]], encoding: str = "utf-8") -> str:
    body = "".join(
        f"<item><title>{i['title']}</title><link>{i['link']}</link><guid>{i['link']}</guid>"
        f"<description>{i.get('summary', 'Summary of ' + i['title'])}</description>"
        f"<pubDate>Mon, 02 Nov 2026 10:00:00 GMT</pubDate></item>" for i in items)
    return f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>Wire</title><link>http://x/</link>{body}</channel></rss>'


def page(title: str, paragraph: str) -> str:
    para = " ".join([paragraph] * 6)
    return (f"<html><head><title>{title}</title></head><body><nav>Home | About</nav><article><h1>{title}</h1>"
            f"<p>{para}</p><p>{para} Second paragraph.</p></article><footer>(c) Wire</footer></body></html>")


def story(n: int) -> str:
    return (f"Company number {n} announced today that it raised a new round of funding from investors "
            f"to expand its engineering team in Toronto and New York, its chief executive said.")


def site(server: HTTPServer, n: int = 3, etag: str = '"v1"') -> str:
    """A feed of n items, each linking an article page; answers 304 to its own ETag."""
    server.no_handler_status_code = 404
    items = [{"title": f"Story {i}", "link": server.url_for(f"/news/{i}.html")} for i in range(n)]
    body = rss(items)

    def feed(req: Request) -> Response:
        if req.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, content_type="application/rss+xml", headers={"ETag": etag})

    server.expect_request("/feed.xml").respond_with_handler(feed)
    for i in range(n):
        server.expect_request(f"/news/{i}.html").respond_with_data(page(f"Story {i}", story(i)),
                                                                   content_type="text/html")
    return server.url_for("/feed.xml")


def settings_for(config_file: Path, **crawl: Any) -> Settings:
    return load_settings(config_file, {f"crawl.{k}": v for k, v in crawl.items()})


def add(engine: Engine, url: str, name: str = "wire", **kw: Any) -> Source:
    (src,) = store.sync_sources(engine, [SourceEntry(name=name, url=url, kind="rss", **kw)])
    return src


def sources(engine: Engine) -> list[Source]:
    return store.list_sources(engine)


def requests_to(server: HTTPServer, prefix: str) -> int:
    return sum(1 for r, _ in server.log if r.path.startswith(prefix))


def docs(engine: Engine) -> list[Document]:
    with Session(engine) as s:
        return list(s.exec(select(Document).order_by(col(Document.id))))


def test_first_crawl_stores_articles_and_an_unchanged_feed_costs_one_304(engine: Engine, httpserver: HTTPServer,
                                                                         settings: Settings) -> None:
    add(engine, site(httpserver))
    first = crawl(engine, settings, sources(engine), force=True)
    assert first.new_documents == 3 and first.failed == 0
    stored = docs(engine)
    assert {d.kind for d in stored} == {"article"} and all("raised a new round" in d.text for d in stored)
    assert all(d.title and d.title.startswith("Story") for d in stored)
    assert sources(engine)[0].etag == '"v1"'
    articles_before = requests_to(httpserver, "/news/")
    second = crawl(engine, settings, sources(engine), force=True)
    assert second.results[0].status == "not_modified" and second.new_documents == 0
    assert requests_to(httpserver, "/news/") == articles_before
    assert len(docs(engine)) == 3
    with Session(engine) as s:
        runs = list(s.exec(select(CrawlRun)))
    assert [r.status for r in runs] == ["ok", "not_modified"] and runs[0].new_documents == 3 and runs[0].bytes > 0


def test_not_due_sources_are_skipped_unless_forced(engine: Engine, httpserver: HTTPServer, settings: Settings) -> None:
    add(engine, site(httpserver, n=1))
    crawl(engine, settings, sources(engine))
    again = crawl(engine, settings, sources(engine))
    assert again.results[0].status == "skipped" and requests_to(httpserver, "/feed.xml") == 1


def test_known_urls_are_skipped_and_syndicated_copies_stored_once(engine: Engine, httpserver: HTTPServer,
                                                                  settings: Settings) -> None:
    httpserver.no_handler_status_code = 404
    same = page("Acme raises $5M", story(1))
    httpserver.expect_request("/a/story.html").respond_with_data(same, content_type="text/html")
    httpserver.expect_request("/b/copy.html").respond_with_data(same, content_type="text/html")
    items = [{"title": "Acme raises $5M",
              "link": httpserver.url_for("/a/story.html") + "?utm_source=rss&utm_medium=feed#top"},
             {"title": "Acme raises $5M", "link": httpserver.url_for("/b/copy.html")}]
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items), content_type="application/rss+xml")
    add(engine, httpserver.url_for("/feed.xml"))
    summary = crawl(engine, settings, sources(engine), force=True)
    assert summary.new_documents == 1
    (doc,) = docs(engine)
    assert doc.url == httpserver.url_for("/a/story.html")  # tracking parameters and fragment removed
    assert store.known_url(engine, httpserver.url_for("/b/copy.html"))
    crawl(engine, settings, sources(engine), force=True)
    assert requests_to(httpserver, "/a/") == 1 and requests_to(httpserver, "/b/") == 1 and len(docs(engine)) == 1


def test_fetch_articles_false_reads_feed_entries_only(engine: Engine, httpserver: HTTPServer,
                                                      settings: Settings) -> None:
    add(engine, site(httpserver), fetch_articles=False)
    summary = crawl(engine, settings, sources(engine), force=True)
    assert summary.new_documents == 3
    assert requests_to(httpserver, "/news/") == 0
    assert {d.kind for d in docs(engine)} == {"feed_entry"}
    assert all(d.text.startswith("Summary of") for d in docs(engine))


def test_feed_entries_are_stored_in_one_transaction_per_feed(engine: Engine, httpserver: HTTPServer,
                                                             settings: Settings) -> None:
    from sqlalchemy import event

    add(engine, site(httpserver, n=6), fetch_articles=False)
    seen: list[str] = []

    def executed(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO DOCUMENT "):
            seen.append("document")

    event.listen(engine, "after_cursor_execute", executed)
    event.listen(engine, "commit", lambda _conn: seen.append("commit"))
    try:
        summary = crawl(engine, settings, sources(engine), force=True)
    finally:
        event.remove(engine, "after_cursor_execute", executed)
    assert summary.new_documents == 6 == len(docs(engine))
    first, last = seen.index("document"), len(seen) - 1 - seen[::-1].index("document")
    assert seen[first:last + 1].count("document") == 6 and "commit" not in seen[first:last + 1]
    assert "commit" in seen[last:]  # and committed


def test_per_run_cap_leaves_the_rest_for_the_next_run(engine: Engine, httpserver: HTTPServer,
                                                      config_file: Path) -> None:
    add(engine, site(httpserver, n=5))
    settings = settings_for(config_file, max_articles_per_source=2)
    counts = []
    for _ in range(4):
        counts.append(crawl(engine, settings, sources(engine), force=True).new_documents)
        assert len({d.url for d in docs(engine)}) == len(docs(engine))
    # The validators are kept until every entry is in, so no 304 hides the rest.
    assert counts == [2, 2, 1, 0] and len(docs(engine)) == 5
    assert sources(engine)[0].etag == '"v1"'


def test_transient_article_error_is_retried_next_run(engine: Engine, httpserver: HTTPServer,
                                                     settings: Settings) -> None:
    httpserver.no_handler_status_code = 404
    state = {"up": False}

    def article(_: Request) -> Response:
        if state["up"]:
            return Response(page("Story", story(7)), content_type="text/html")
        return Response("down", status=503)

    httpserver.expect_request("/news/7.html").respond_with_handler(article)
    items = [{"title": "Story", "link": httpserver.url_for("/news/7.html")}]
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items), content_type="application/rss+xml",
                                                             headers={"ETag": '"e"'})
    add(engine, httpserver.url_for("/feed.xml"))
    first = crawl(engine, settings, sources(engine), force=True)
    assert first.new_documents == 0
    assert sources(engine)[0].etag is None  # not saved: the entry is still to be done
    # The feed said 200 but no article came: the source's health says so, with the reason.
    assert first.failed == 1 and "all 1 articles failed" in (first.results[0].error or "")
    assert sources(engine)[0].consecutive_failures == 1
    state["up"] = True
    assert crawl(engine, settings, sources(engine), force=True).new_documents == 1
    assert docs(engine)[0].kind == "article" and sources(engine)[0].etag == '"e"'


def test_gone_article_keeps_the_feed_entry(engine: Engine, httpserver: HTTPServer, settings: Settings) -> None:
    httpserver.no_handler_status_code = 404
    items = [{"title": "Pulled story", "link": httpserver.url_for("/news/gone.html"), "summary": "Acme hired a CFO."}]
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items), content_type="application/rss+xml")
    httpserver.expect_request("/news/gone.html").respond_with_data("gone", status=410)
    add(engine, httpserver.url_for("/feed.xml"))
    assert crawl(engine, settings, sources(engine), force=True).new_documents == 1
    (doc,) = docs(engine)
    assert doc.kind == "feed_entry" and doc.text == "Acme hired a CFO."


def test_hostile_entry_text_is_stored_as_plain_text(engine: Engine, httpserver: HTTPServer, settings: Settings) -> None:
    httpserver.no_handler_status_code = 404
    evil = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;Acme&lt;/b&gt; raised\x00 =HYPERLINK(1)"
    items = [{"title": "Acme\x01 <raises>", "link": httpserver.url_for("/x/1.html"), "summary": evil}]
    body = rss(items).replace("<raises>", "&lt;raises&gt;")
    httpserver.expect_request("/feed.xml").respond_with_data(body.encode(), content_type="application/rss+xml")
    add(engine, httpserver.url_for("/feed.xml"), fetch_articles=False)
    assert crawl(engine, settings, sources(engine), force=True).failed == 0
    (doc,) = docs(engine)
    assert "<script" not in doc.text and "alert" not in doc.text and "\x00" not in doc.text
    assert "Acme raised" in doc.text


BAD_FEEDS = {
    "not-a-feed": (200, b"<html><body>Hello, no feed here</body></html>", "not a readable RSS/Atom feed"),
    "broken-xml": (200, b"<rss><channel><title>x</title><item><title>unclosed", "not a readable RSS/Atom feed"),
    "404": (404, b"missing", "HTTP 404"),
    "410": (410, b"gone", "HTTP 410 Gone"),
    "500": (500, b"boom", "HTTP 500"),
    "429": (429, b"slow down", "HTTP 429"),
}


@pytest.mark.parametrize("case", sorted(BAD_FEEDS))
def test_bad_feed_fails_cleanly_and_damages_nothing(case: str, engine: Engine, httpserver: HTTPServer,
                                                     settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    add(engine, site(httpserver, n=2))
    crawl(engine, settings, sources(engine), force=True)
    before = [(d.id, d.url, d.text) for d in docs(engine)]
    status, body, message = BAD_FEEDS[case]
    headers = {"Retry-After": "1"} if status == 429 else {}
    httpserver.clear_all_handlers()
    httpserver.expect_request("/feed.xml").respond_with_data(body, status=status, headers=headers,
                                                             content_type="text/html")
    # Logged for the service's log (at INFO: `radar crawl` prints each failed source once itself).
    with caplog.at_level(logging.INFO, logger="radar"):
        summary = crawl(engine, settings, sources(engine), force=True)
    (result,) = summary.results
    assert result.status == "failed" and message in (result.error or "")
    assert "source wire failed: " in caplog.text and message in caplog.text
    assert [(d.id, d.url, d.text) for d in docs(engine)] == before
    (src,) = sources(engine)
    assert src.consecutive_failures == 1 and src.etag == '"v1"' and message in (src.last_error or "")
    assert src.next_fetch_at is not None


def test_malformed_but_recoverable_feed_keeps_its_entries(engine: Engine, httpserver: HTTPServer,
                                                          settings: Settings) -> None:
    httpserver.no_handler_status_code = 404
    items = [{"title": "Caf\u00e9 Robotics raises seed", "link": httpserver.url_for("/n/1.html")}]
    # Declared UTF-8, actually Latin-1, and an undefined entity: feedparser recovers.
    body = rss(items).replace("</channel>", "&nbsp;</channel>").encode("latin-1")
    httpserver.expect_request("/feed.xml").respond_with_data(body, content_type="application/rss+xml; charset=utf-8")
    add(engine, httpserver.url_for("/feed.xml"), fetch_articles=False)
    summary = crawl(engine, settings, sources(engine), force=True)
    assert summary.failed == 0 and summary.new_documents == 1
    assert "Robotics raises seed" in (docs(engine)[0].title or "")


def test_failing_source_backs_off_more_each_time(engine: Engine, httpserver: HTTPServer, settings: Settings) -> None:
    httpserver.no_handler_status_code = 404
    httpserver.expect_request("/feed.xml").respond_with_data("boom", status=500)
    add(engine, httpserver.url_for("/feed.xml"), interval_minutes=60)
    waits = []
    for _ in range(3):
        crawl(engine, settings, sources(engine), force=True)
        src = sources(engine)[0]
        assert src.next_fetch_at is not None
        waits.append((src.next_fetch_at.replace(tzinfo=UTC) - datetime.now(UTC)).total_seconds())
    assert sources(engine)[0].consecutive_failures == 3
    assert waits[0] > 60 * 60 and waits[1] > waits[0] * 1.5 and waits[2] > waits[1] * 1.5


def test_one_failing_source_does_not_stop_the_others(engine: Engine, httpserver: HTTPServer,
                                                     settings: Settings) -> None:
    good = site(httpserver, n=2)
    httpserver.expect_request("/bad.xml").respond_with_data("nope", status=404)
    add(engine, good, name="good")
    add(engine, httpserver.url_for("/bad.xml"), name="bad")
    summary = crawl(engine, settings, sources(engine), force=True)
    assert {r.source: r.status for r in summary.results} == {"good": "ok", "bad": "failed"}
    assert summary.new_documents == 2


def test_kill_mid_crawl_loses_nothing_and_a_rerun_neither_duplicates_nor_skips(
        sqlite_url: str, sqlite_engine: Engine, httpserver: HTTPServer, config_file: Path) -> None:
    httpserver.no_handler_status_code = 404
    release = threading.Event()
    n = 5
    items = [{"title": f"Story {i}", "link": httpserver.url_for(f"/news/{i}.html")} for i in range(n)]
    httpserver.expect_request("/feed.xml").respond_with_data(rss(items), content_type="application/rss+xml",
                                                             headers={"ETag": '"k"'})

    def article(req: Request) -> Response:
        i = int(req.path.split("/")[-1].split(".")[0])
        if i == 3 and not release.is_set():
            release.wait(20)  # the crawl is killed while waiting here
        return Response(page(f"Story {i}", story(i)), content_type="text/html")

    httpserver.expect_request(re.compile(r"/news/\d+\.html")).respond_with_handler(article)
    add(sqlite_engine, httpserver.url_for("/feed.xml"))
    code = ("import sys; from radar.db import make_engine; from radar.settings import load_settings; "
            "from radar import store; from radar.spiders.crawl import crawl; "
            f"from pathlib import Path; e = make_engine({sqlite_url!r}); crawl(e, load_settings(Path(sys.argv[1])), "
            "store.list_sources(e), force=True)")
    child = subprocess.Popen([sys.executable, "-c", code, str(config_file)], env=dict(os.environ))
    try:
        deadline = time.monotonic() + 30
        while len(docs(sqlite_engine)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        child.kill()
        child.wait(10)
    finally:
        release.set()
    assert len(docs(sqlite_engine)) == 3  # committed one by one before the kill
    assert sources(sqlite_engine)[0].etag is None  # the feed was not finished
    summary = crawl(sqlite_engine, load_settings(config_file), sources(sqlite_engine), force=True)
    assert summary.new_documents == 2
    urls = [d.url for d in docs(sqlite_engine)]
    assert len(urls) == n == len(set(urls))
    with Session(sqlite_engine) as s:
        assert len(list(s.exec(select(DocumentUrl)))) == n




SLOW_DONE = threading.Event()


def _slow(_: Request) -> Response:
    time.sleep(1.2)
    SLOW_DONE.set()
    return Response(rss([]), content_type="application/rss+xml")


BAD_DAYS: dict[str, tuple[Any, str]] = {
    # case: (path answering, handler or (body, status, headers), message)
    "slower-than-timeout": (_slow, "timed out"),
    "oversized": ((b"<rss>" + b" " * 300_000 + b"</rss>", 200, {}), "over the 100,000-byte limit"),
    "gzip-bomb": ((__import__("gzip").compress(b"\0" * 20_000_000), 200, {"Content-Encoding": "gzip"}),
                  "after decompression"),
    "redirect-loop": ((b"", 302, {"Location": "/feed.xml"}), "redirect loop"),
    "redirect-to-ftp": ((b"", 301, {"Location": "ftp://files.example/feed.xml"}), "only http and https"),
}


@pytest.mark.parametrize("case", sorted(BAD_DAYS))
def test_bad_day_fails_cleanly_and_damages_nothing(case: str, sqlite_engine: Engine, httpserver: HTTPServer,
                                                   config_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = settings_for(config_file, read_timeout=0.4, max_bytes=100_000, retries=0)
    add(sqlite_engine, site(httpserver, n=2))
    crawl(sqlite_engine, settings, sources(sqlite_engine), force=True)
    before = [(d.id, d.url, d.text) for d in docs(sqlite_engine)]
    answer, message = BAD_DAYS[case]
    httpserver.clear_all_handlers()
    if callable(answer):
        httpserver.expect_request("/feed.xml").respond_with_handler(answer)
    else:
        body, status, headers = answer
        httpserver.expect_request("/feed.xml").respond_with_data(body, status=status, headers=headers)
    with caplog.at_level(logging.INFO, logger="radar"):
        (result,) = crawl(sqlite_engine, settings, sources(sqlite_engine), force=True).results
    assert result.status == "failed" and message in (result.error or ""), result
    assert "source wire failed" in caplog.text and message in caplog.text
    assert [(d.id, d.url, d.text) for d in docs(sqlite_engine)] == before
    assert sources(sqlite_engine)[0].consecutive_failures == 1
    if answer is _slow:  # let the server finish, so its late answer is not logged in the next test
        assert SLOW_DONE.wait(5)


def test_robots_disallow_skips_the_source_and_stores_nothing(sqlite_engine: Engine, httpserver: HTTPServer,
                                                             settings: Settings) -> None:
    feed = site(httpserver, n=2)
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /feed.xml\n")
    add(sqlite_engine, feed)
    (result,) = crawl(sqlite_engine, settings, sources(sqlite_engine), force=True).results
    assert result.status == "failed" and "robots.txt" in (result.error or "") and "disallows" in (result.error or "")
    assert not docs(sqlite_engine) and not any(r.path == "/feed.xml" for r, _ in httpserver.log)
