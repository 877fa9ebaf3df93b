"""Feed parsing: feedparser reads the body that radar's own HTTP client fetched."""
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Optional

import feedparser

from radar.spiders.articles import clean_text, plausible

logger = logging.getLogger(__name__)


@dataclass
class FeedEntry:
    title: str
    link: str
    summary: str
    published: Optional[datetime]
    guid: Optional[str]
    tags: tuple[str, ...] = ()


class FeedParseError(Exception):
    pass


def _when(entry: "feedparser.FeedParserDict") -> Optional[datetime]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return plausible(datetime(*t[:6]).replace(tzinfo=UTC))
            except (TypeError, ValueError):
                continue
    return None


def _link(e: "feedparser.FeedParserDict") -> str:
    link = e.get("link") or ""
    if not link:
        for alt in e.get("links", []):
            if alt.get("href"):
                return str(alt["href"])
    return str(link)


def parse(body: bytes, url: str = "", content_type: Optional[str] = None) -> "feedparser.FeedParserDict":
    """feedparser on bytes (never a str: feedparser would fetch a string that looks like a URL)."""
    # Some publishers put a blank line before the XML declaration, which strict XML
    # parsers reject; feedparser then falls back to its lax parser and loses entries.
    body = bytes(body).lstrip()
    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    return feedparser.parse(body, response_headers=headers or None, sanitize_html=True)


def parse_feed(body: bytes, url: str = "", content_type: Optional[str] = None) -> list[FeedEntry]:
    """Entries with an http(s) link; raises FeedParseError when the body is not a feed at all."""
    if not bytes(body).strip():
        raise FeedParseError(f"{url or 'feed'}: the response was empty, not an RSS/Atom feed")
    parsed = parse(body, url, content_type)
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        if parsed.version == "" or reason is not None:
            raise FeedParseError(f"{url or 'feed'}: not a readable RSS/Atom feed ({reason or 'no entries'})")
        return []
    if parsed.bozo:
        logger.info("%s: feed is malformed (%s); kept %d entries", url, parsed.bozo_exception, len(parsed.entries))
    out = []
    for e in parsed.entries:
        link = _link(e).strip()
        if not link.startswith(("http://", "https://")):
            continue
        out.append(FeedEntry(
            title=clean_text(e.get("title"), 1000),
            link=link,
            summary=clean_text(e.get("summary")),
            published=_when(e),
            guid=e.get("id"),
            tags=tuple(str(t.get("term")) for t in e.get("tags", []) if t.get("term")),
        ))
    if parsed.bozo and not out:
        raise FeedParseError(f"{url or 'feed'}: not a readable RSS/Atom feed "
                             f"(malformed: {parsed.bozo_exception}; no entry with a link)")
    return out
