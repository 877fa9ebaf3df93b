"""Newsroom and sitemap sources through the Scrapy spiders (in their child process)."""
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request as ScrapyRequest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from werkzeug import Request, Response

from radar import store
from radar.models import Document, Source
from radar.settings import Settings, SourceEntry, SourceKind, load_settings
from radar.spiders.crawl import crawl
from radar.spiders.newsroom import GuardMiddleware, article_links, parse_sitemap


def article(title: str, n: int) -> str:
    text = (f"Acme Robotics number {n} announced a partnership with a regional utility to deploy its inspection "
            f"drones, the company said on Tuesday, and plans to hire forty engineers next year. ") * 5
    return (f'<html><head><title>{title}</title><link rel="canonical" href="/news/{n}.html"></head>'
            "<body><nav><a href='/about'>About</a></nav>"
            f"<article><h1>{title}</h1><p>{text}</p><p>{text}</p></article></body></html>")


LISTING = """<html><head><title>Acme newsroom</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About</a> <a href="/careers/">Careers</a>
<a href="/privacy">Privacy</a></nav>
<ul><li><a href="/news/1.html?utm_source=newsroom">One</a></li><li><a href="/news/2.html">Two</a></li>
<li><a href="/news/3.html#comments">Three</a></li><li><a href="/news/secret.html">Secret</a></li>
<li><a href="https://elsewhere.example/news/9.html">Elsewhere</a></li><li><a href="/media/logo.png">Logo</a></li></ul>
</body></html>"""


def newsroom_site(server: HTTPServer) -> None:
    server.no_handler_status_code = 404
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /news/secret.html\n")

    def listing(req: Request) -> Response:
        if req.headers.get("If-None-Match") == '"L1"':
            return Response(status=304)
        return Response(LISTING, content_type="text/html", headers={"ETag": '"L1"'})

    server.expect_request("/newsroom/").respond_with_handler(listing)
    for n in (1, 2, 3, "secret"):
        server.expect_request(f"/news/{n}.html").respond_with_data(article(f"Acme news {n}", hash(n) % 1000),
                                                                   content_type="text/html")


def add(engine: Engine, url: str, kind: SourceKind) -> list[Source]:
    store.sync_sources(engine, [SourceEntry(name="acme", url=url, kind=kind)])
    return store.list_sources(engine)


def docs(engine: Engine) -> list[Document]:
    with Session(engine) as s:
        return list(s.exec(select(Document).order_by(Document.url)))


def test_newsroom_listing_to_articles_then_304(engine: Engine, httpserver: HTTPServer, settings: Settings) -> None:
    newsroom_site(httpserver)
    first = crawl(engine, settings, add(engine, httpserver.url_for("/newsroom/"), "newsroom"), force=True)
    (result,) = first.results
    assert result.status == "ok" and result.new_documents == 3, result
    assert [d.url for d in docs(engine)] == [httpserver.url_for(f"/news/{n}.html") for n in (1, 2, 3)]
    assert all(d.kind == "article" and "inspection drones" in d.text for d in docs(engine))
    paths = [r.path for r, _ in httpserver.log]
    # robots.txt, not articles:
    assert "/news/secret.html" not in paths and "/about" not in paths and "/careers/" not in paths
    assert store.list_sources(engine)[0].etag == '"L1"'
    before = len(httpserver.log)
    second = crawl(engine, settings, store.list_sources(engine), force=True)
    assert second.results[0].status == "not_modified" and second.new_documents == 0
    assert [r.path for r, _ in httpserver.log[before:] if r.path != "/robots.txt"] == ["/newsroom/"]


def news_sitemap(server: HTTPServer, n: int) -> None:
    server.no_handler_status_code = 404
    urls = "".join(
        f"<url><loc>{server.url_for(f'/news/{i}.html')}</loc><news:news><news:publication><news:name>Acme</news:name>"
        f"<news:language>en</news:language></news:publication>"
        f"<news:publication_date>2026-11-{10 + i:02d}</news:publication_date>"
        f"<news:title>Acme news {i}</news:title></news:news></url>" for i in range(n))
    child = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')
    index = ('<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{server.url_for('/sitemap-news.xml')}</loc></sitemap></sitemapindex>")
    server.expect_request("/sitemap.xml").respond_with_data(index, content_type="application/xml")
    server.expect_request("/sitemap-news.xml").respond_with_data(child, content_type="application/xml")
    for i in range(n):
        server.expect_request(f"/news/{i}.html").respond_with_data(article(f"Acme news {i}", i),
                                                                   content_type="text/html")


def test_news_sitemap_newest_first_under_the_cap_then_the_rest(sqlite_engine: Engine, httpserver: HTTPServer,
                                                               config_file: Path) -> None:
    news_sitemap(httpserver, 4)
    settings = load_settings(config_file, {"crawl.max_articles_per_source": 2})
    first = crawl(sqlite_engine, settings,
                  add(sqlite_engine, httpserver.url_for("/sitemap.xml"), "sitemap"), force=True)
    assert first.new_documents == 2
    assert {d.url for d in docs(sqlite_engine)} == {httpserver.url_for("/news/3.html"),
                                                    httpserver.url_for("/news/2.html")}
    second = crawl(sqlite_engine, settings, store.list_sources(sqlite_engine), force=True)
    assert second.new_documents == 2 and len(docs(sqlite_engine)) == 4


def test_missing_listing_fails_with_its_status(sqlite_engine: Engine, httpserver: HTTPServer,
                                               settings: Settings) -> None:
    httpserver.no_handler_status_code = 404
    summary = crawl(sqlite_engine, settings,
                    add(sqlite_engine, httpserver.url_for("/newsroom/"), "newsroom"), force=True)
    (result,) = summary.results
    assert result.status == "failed" and "HTTP 404" in (result.error or "")
    src = store.list_sources(sqlite_engine)[0]
    assert src.consecutive_failures == 1 and src.last_status == 404


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/admin",
                                 "file:///etc/passwd", "http://[::1]/"])
def test_guard_middleware_refuses_internal_and_non_http_requests(url: str) -> None:
    with pytest.raises(IgnoreRequest):
        GuardMiddleware(allow_private=False).process_request(ScrapyRequest(url))


def test_article_links_keep_same_site_article_pages_only() -> None:
    links = article_links(LISTING.encode(), "https://acme.example/newsroom/")
    assert links == [f"https://acme.example/news/{n}.html" for n in (1, 2, 3, "secret")]


def test_sitemap_parser_refuses_entities_and_bombs() -> None:
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>https://a.example/&e;</loc></url></urlset>'
    parsed = parse_sitemap(xxe, 10_000)
    assert all("root:" not in e.loc for e in parsed.entries)
    import gzip

    assert parse_sitemap(gzip.compress(b"<urlset>" + b" " * 2_000_000 + b"</urlset>"), 100_000).kind == ""


def test_a_trickling_listing_is_cut_at_the_total_deadline(sqlite_engine: Engine, httpserver: HTTPServer,
                                                          config_file: Path) -> None:
    """crawl.total_timeout holds in the Scrapy child too: a byte every 0.1 s arrives well within
    the read timeout, and the listing still fails at the total deadline with that reason."""
    def trickle(_: Request) -> Response:
        def body() -> Iterator[bytes]:
            for _ in range(300):
                time.sleep(0.1)
                yield b" "
        return Response(body(), content_type="text/html")

    httpserver.no_handler_status_code = 404
    httpserver.expect_request("/newsroom/").respond_with_handler(trickle)
    settings = load_settings(config_file, {"crawl.total_timeout": 1.0, "crawl.read_timeout": 20.0})
    summary = crawl(sqlite_engine, settings, add(sqlite_engine, httpserver.url_for("/newsroom/"), "newsroom"),
                    force=True)
    (result,) = summary.results
    assert result.status == "failed" and "took longer than 1.0 seconds" in (result.error or ""), result
