"""Feed parsing: feedparser reads the body that radar's own HTTP client fetched."""
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

import feedparser

logger = logging.getLogger(__name__)


@dataclass
class FeedEntry:
    title: str
    link: str
    summary: str
    published: Optional[datetime]
    guid: Optional[str]


class FeedParseError(Exception):
    pass


def _when(entry: "feedparser.FeedParserDict") -> Optional[datetime]:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            try:
                return datetime(*t[:6], tzinfo=timezone.utc)
            except (TypeError, ValueError):
                continue
    return None


def parse_feed(body: bytes, url: str = "", content_type: Optional[str] = None) -> list[FeedEntry]:
    """Entries with a link; raises FeedParseError when the body is not a feed at all."""
    # Some publishers put a blank line before the XML declaration, which strict XML
    # parsers reject; feedparser then falls back to its lax parser and loses entries.
    body = body.lstrip()
    headers = {"content-type": content_type} if content_type else None
    parsed = feedparser.parse(body, response_headers=headers)
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        if parsed.version == "" or reason is not None:
            raise FeedParseError(f"{url or 'feed'}: not a readable RSS/Atom feed ({reason or 'no entries'})")
        return []
    if parsed.bozo:
        logger.info("%s: feed is malformed (%s); kept %d entries", url, parsed.bozo_exception, len(parsed.entries))
    out = []
    for e in parsed.entries:
        link = e.get("link") or ""
        if not link:
            for alt in e.get("links", []):
                if alt.get("href"):
                    link = alt["href"]
                    break
        if not link:
            continue
        out.append(FeedEntry(
            title=(e.get("title") or "").strip(),
            link=link.strip(),
            summary=(e.get("summary") or "").strip(),
            published=_when(e),
            guid=e.get("id"),
        ))
    return out
