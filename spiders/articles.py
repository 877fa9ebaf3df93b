"""Article pages to clean text, title, publication date and canonical URL (trafilatura)."""
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Optional

import trafilatura
from dateutil import parser as dateparser

logger = logging.getLogger(__name__)


@dataclass
class Article:
    text: str
    title: Optional[str]
    published: Optional[datetime]
    canonical_url: Optional[str]
    language: Optional[str]


def _date(value: Optional[str]) -> Optional[datetime]:
    if not value:
        return None
    try:
        d = dateparser.parse(value)
    except (ValueError, OverflowError):
        return None
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def extract_article(html: str | bytes, url: str) -> Optional[Article]:
    """The main text without navigation, boilerplate or comments; None if nothing found."""
    doc = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=False, with_metadata=True,
        favor_precision=True,
    )
    if doc is None:
        return None
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    if not text:
        return None
    return Article(
        text=text,
        title=data.get("title"),
        published=_date(data.get("date")),
        canonical_url=data.get("url") if data.get("url") and str(data.get("url")).startswith("http") else None,
        language=data.get("language"),
    )
