"""A feed source: fetch the feed, then store each new entry, with its article page unless
the source forbids it. Articles are committed one by one, entries without pages per feed."""
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Optional

import lxml.etree
import lxml.html
from sqlalchemy.engine import Engine

from radar import store
from radar.models import Source
from radar.spiders.articles import clean_text, extract_article
from radar.spiders.feeds import FeedEntry, parse_feed
from radar.spiders.http import Fetcher, FetchError
from radar.spiders.results import Outcome, SourceResult
from radar.spiders.urls import canonical_url
from radar.stop import checkpoint

logger = logging.getLogger(__name__)

FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


@dataclass
class Saved:
    new: bool = False
    retry: bool = False  # a transient failure: try this entry again next run
    error: Optional[str] = None


@dataclass
class Stored:
    new: int = 0
    complete: bool = True  # every entry was dealt with
    attempted: int = 0  # articles fetched or tried
    failed: int = 0  # of those, left for the next run after a transient error
    last_error: Optional[str] = None


def crawl_feed(engine: Engine, fetcher: Fetcher, src: Source, *, fetch_articles: bool,
               max_articles: int) -> Outcome:
    resp = fetcher.get(src.url, etag=src.etag, last_modified=src.last_modified, accept=FEED_ACCEPT)
    if resp.not_modified:
        return Outcome(SourceResult(src.name, "not_modified", http_status=304), src.etag, src.last_modified)
    entries = parse_feed(resp.body, resp.url, resp.content_type)
    done = store_entries(engine, fetcher, src, entries, fetch_articles, max_articles)
    result = SourceResult(src.name, "ok", new_documents=done.new, http_status=resp.status)
    if done.attempted and done.failed == done.attempted:
        # The feed answered but no article did: the source is not healthy, whatever the 200 says.
        result.status = "failed"
        result.error = (f"all {done.failed} articles failed to download and stay due for the next run "
                        f"(last: {done.last_error})")
    return Outcome(result, resp.etag, resp.last_modified, done.complete)


def store_entries(engine: Engine, fetcher: Fetcher, src: Source, entries: list[FeedEntry],
                  fetch_articles: bool, max_articles: int) -> Stored:
    """Store new entries: how many were new, whether every entry was dealt with, and how
    many article fetches failed."""
    known = store.known_urls(engine, (canonical_url(e.link) for e in entries))
    if not fetch_articles:
        return store_feed_entries(engine, src, entries, known)
    budget = max_articles or len(entries)  # 0 means no cap
    done = Stored()
    for entry, link in _new_entries(entries, known):
        if budget <= 0:
            done.complete = False
            continue
        elif not fetcher.claim_url(link):
            continue  # another source of this crawl fetches it (or keeps its source due)
        else:
            budget -= 1
            saved = save_linked_article(engine, fetcher, src, entry, link)
            done.attempted += 1
        done.new += saved.new
        if saved.retry:
            done.complete = False
            done.failed += 1
            done.last_error = saved.error
    if not done.complete:
        logger.info("%s: some entries left for the next run", src.name)
    return done


def _new_entries(entries: list[FeedEntry], known: set[str]) -> Iterator[tuple[FeedEntry, str]]:
    """Each entry whose canonical URL is not stored yet (nor listed twice in the feed), with that URL."""
    for entry in entries:
        # `radar serve` stops between documents on SIGTERM: this raises before the next one,
        # and the feed's validators stay unsaved so the next run picks up the rest.
        checkpoint()
        link = canonical_url(entry.link)
        if link in known:
            continue
        known.add(link)
        yield entry, link


def store_feed_entries(engine: Engine, src: Source, entries: list[FeedEntry], known: set[str]) -> Stored:
    """The new entries themselves (no page fetched), stored in one transaction: nothing is
    fetched between them, and a crash before the commit leaves the feed's validators unsaved,
    so the next run stores them all. Articles (store_entries) are committed one by one
    instead: a page fetch takes longer than a commit, and a kill must not lose fetched pages."""
    documents = []
    for entry, link in _new_entries(entries, known):
        document = entry_document(src, entry, link)
        if document is not None:
            documents.append(document)
    return Stored(new=sum(new for _, new in store.save_documents(engine, documents)))


def entry_document(src: Source, entry: FeedEntry, link: str) -> Optional[dict[str, Any]]:
    """The feed entry as a document (store.save_document's keywords): title and summary."""
    text = strip_tags(entry.summary)
    if not text and not entry.title:
        return None
    return dict(url=link, source_id=src.id, text=text, title=entry.title or None, published_at=entry.published,
                kind="feed_entry", other_urls=[entry.link])


def save_entry(engine: Engine, src: Source, entry: FeedEntry, link: str) -> Saved:
    """The feed entry itself, when its article could not be had."""
    document = entry_document(src, entry, link)
    if document is None:
        return Saved()
    _, is_new = store.save_document(engine, **document)
    return Saved(new=is_new)


def save_linked_article(engine: Engine, fetcher: Fetcher, src: Source, entry: FeedEntry, link: str) -> Saved:
    """Fetch the article a feed entry links to; fall back to the entry's own text when the
    page is gone, refused or unreadable; leave it for next run on a transient error."""
    try:
        page = fetcher.get(link, accept=HTML_ACCEPT)
    except FetchError as e:
        if e.retryable:
            logger.info("article %s not fetched (%s); will try again next run", link, e)
            return Saved(retry=True, error=str(e))
        logger.info("article %s not fetched (%s); keeping the feed entry's summary", link, e)
        return save_entry(engine, src, entry, link)
    article = extract_article(page.body, page.url) if "html" in (page.content_type or "text/html") else None
    if article is None:
        logger.info("article %s: no text found; keeping the feed entry's summary", link)
        return save_entry(engine, src, entry, link)
    url = canonical_url(article.canonical_url) if article.canonical_url else canonical_url(page.url)
    _, is_new = store.save_document(
        engine, url=url, source_id=src.id, text=article.text, title=entry.title or article.title,
        published_at=entry.published or article.published, kind="article", language=article.language,
        other_urls=[link, canonical_url(page.url), entry.link],
    )
    return Saved(new=is_new)


def strip_tags(text: str) -> str:
    """Plain text of a feed summary (feedparser has already sanitized its HTML)."""
    if "<" not in text:
        return clean_text(text)
    try:
        return clean_text(lxml.html.fromstring(text).text_content())
    except (ValueError, lxml.etree.ParserError):
        return clean_text(text)
