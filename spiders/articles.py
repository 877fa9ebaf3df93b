"""Article pages to clean text, title, publication date and canonical URL (trafilatura, htmldate)."""
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Optional
from urllib.parse import urlsplit

import trafilatura
from dateutil import parser as dateparser
from htmldate import find_date

from radar.text import without_controls

logger = logging.getLogger(__name__)


@dataclass
class Article:
    text: str
    title: Optional[str]
    published: Optional[datetime]
    canonical_url: Optional[str]
    language: Optional[str]


def clean_text(value: Optional[str], limit: int = 2_000_000) -> str:
    """Text safe to store: no control characters, bounded length."""
    return without_controls(value or "")[:limit].strip()


def parse_date(value: Optional[str]) -> Optional[datetime]:
    """A timezone-aware datetime, or None for missing, unreadable or far-future dates."""
    if not value:
        return None
    try:
        d = dateparser.parse(value)
    except (ValueError, OverflowError, TypeError):
        return None
    d = d if d.tzinfo else d.replace(tzinfo=UTC)
    return plausible(d)


def plausible(d: Optional[datetime]) -> Optional[datetime]:
    """Drop dates a hostile or broken page sets in the future or before the web."""
    if d is None:
        return None
    if d > datetime.now(UTC) + timedelta(days=1) or d.year < 1990:
        return None
    return d


def same_site(a: str, b: str) -> bool:
    def host(u: str) -> str:
        return (urlsplit(u).hostname or "").removeprefix("www.")
    return bool(host(a)) and host(a) == host(b)


def extract_article(html: str | bytes, url: str) -> Optional[Article]:
    """The main text without navigation, boilerplate or comments; None if nothing found."""
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, include_comments=False, include_tables=False, with_metadata=True,
            favor_precision=True,
        )
    except Exception as e:  # noqa: BLE001 - a hostile page must not stop the crawl
        logger.info("%s: extraction failed (%s: %s)", url, type(e).__name__, e)
        return None
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = clean_text(data.get("text"))
    if not text:
        return None
    canonical = str(data.get("url") or "")
    # A page may name any URL as canonical; only a same-site one is believed, or a hostile
    # page could claim another publisher's URL and make radar skip the real story.
    canonical_ok = canonical.startswith(("http://", "https://")) and same_site(canonical, url)
    return Article(
        text=text,
        title=clean_text(data.get("title"), 1000) or None,
        published=parse_date(data.get("date")) or _htmldate(html),
        canonical_url=canonical if canonical_ok else None,
        language=data.get("language"),
    )


def _htmldate(html: str | bytes) -> Optional[datetime]:
    try:
        found = find_date(html, original_date=True, extensive_search=False)
    except Exception:  # noqa: BLE001 - htmldate on hostile markup
        return None
    return parse_date(found) if found else None
