"""Canonical URLs and feed links: one story, one key."""
import pytest

from radar.spiders.feeds import FeedParseError, parse_feed
from radar.spiders.urls import canonical_url


@pytest.mark.parametrize("raw,canonical", [
    ("HTTPS://News.Example.com:443/a/b?utm_source=rss&utm_medium=feed&id=7#comments",
     "https://news.example.com/a/b?id=7"),
    ("http://example.com:80", "http://example.com/"),
    ("http://example.com:8080/x?b=2&a=1&fbclid=abc&gclid=d", "http://example.com:8080/x?a=1&b=2"),
    ("http://[::1]:80/a?mc_cid=1", "http://[::1]/a"),
    ("http://example.com:99999/a#frag", "http://example.com:99999/a"),  # unparseable port: kept, never raises
])
def test_canonical_url(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical
    assert canonical_url(canonical) == canonical


def test_feed_links_resolve_against_the_feed_and_odd_schemes_are_dropped() -> None:
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            b"<item><title>Relative</title><link>/news/1.html</link></item>"
            b"<item><title>Script</title><link>javascript:alert(1)</link></item>"
            b"<item><title>Data</title><link>data:text/html,hi</link></item></channel></rss>")
    entries = parse_feed(body, "https://acme.example/feeds/all.xml", "application/rss+xml")
    assert [(e.title, e.link) for e in entries] == [("Relative", "https://acme.example/news/1.html")]


def test_blank_lines_before_the_xml_declaration_are_tolerated() -> None:
    body = b'\n\n<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>A</title><link>https://a.example/1</link></item></channel></rss>'
    assert [e.title for e in parse_feed(body)] == ["A"]


def test_html_is_not_a_feed() -> None:
    with pytest.raises(FeedParseError, match="not a readable RSS/Atom feed"):
        parse_feed(b"<html><body><p>hello</p></body></html>", "https://a.example/")


@pytest.mark.parametrize("body", [b"", b"  \n\t "])
def test_an_empty_body_is_a_feed_error_not_a_crash(body: bytes) -> None:
    with pytest.raises(FeedParseError, match="the response was empty"):
        parse_feed(body, "https://example.com/feed.xml")
