"""SEC EDGAR: the latest-filings Atom feeds for 8-K and Form D, and the filings they point to.

SEC's fair-access rules: every request names the requester with an email address in its
User-Agent, and a client stays under 10 requests per second. radar refuses EDGAR sources
until `[edgar] user_agent` is set, and spaces its EDGAR requests by
1 / `[edgar] max_requests_per_second` (4 by default).
"""
import logging
import re
from typing import Any, Optional

from sqlalchemy.engine import Engine
from w3lib.url import add_or_replace_parameter, url_query_parameter

from radar import store
from radar.errors import ConfigError
from radar.models import Source
from radar.settings import Settings
from radar.spiders import edgar_parse as ep
from radar.spiders.http import Fetcher, FetchError
from radar.spiders.results import Outcome, SourceResult
from radar.spiders.urls import canonical_url
from radar.stop import checkpoint

logger = logging.getLogger(__name__)

_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}")


def identity_problem(settings: Settings) -> Optional[str]:
    """Why EDGAR may not be crawled yet, or None when the configured identity will do."""
    ua = settings.edgar.user_agent.strip()
    name = _EMAIL.sub("", ua).strip()
    if not _EMAIL.search(ua) or not re.search(r"[A-Za-z]{2,}", name):
        return ("EDGAR is not crawled until [edgar] user_agent names you and your email, "
                "e.g. user_agent = \"Jane Doe jane@example.com\" (SEC's fair-access rule)")
    return None


def require_identity(settings: Settings) -> str:
    """The EDGAR User-Agent; ConfigError when the config does not provide one."""
    problem = identity_problem(settings)
    if problem:
        raise ConfigError(problem)
    return settings.edgar.user_agent.strip()


def crawl_edgar(engine: Engine, settings: Settings, fetcher: Fetcher, src: Source) -> Outcome:
    """Read the feed, then each new 8-K or Form D it lists; other forms are ignored."""
    ua = require_identity(settings)
    resp = fetcher.get(src.url, etag=src.etag, last_modified=src.last_modified,
                       accept="application/atom+xml, application/xml;q=0.9, */*;q=0.5", user_agent=ua)
    if resp.not_modified:
        return Outcome(SourceResult(src.name, "not_modified", http_status=304), src.etag, src.last_modified)
    refs = _relevant(ep.parse_latest_filings(resp.body, resp.url))
    if not refs and b"<feed" not in resp.body[:2000]:
        raise FetchError(f"{src.url}: not an EDGAR Atom feed (check the URL ends with output=atom)", resp.status)
    known = store.known_urls(engine, (canonical_url(r.index_url) for r in refs))
    refs += _older_pages(engine, fetcher, src, ua, refs, known)
    known |= store.known_urls(engine, (canonical_url(r.index_url) for r in refs))
    budget = settings.crawl.max_articles_per_source or len(refs)
    new, complete, failed, last_error = 0, True, 0, ""
    throttled: Optional[FetchError] = None
    for ref in refs:
        checkpoint()  # stop between filings on SIGTERM (radar serve)
        if canonical_url(ref.index_url) in known:
            continue
        if budget <= 0:
            complete = False
            break
        budget -= 1
        saved, error = _save_filing(engine, fetcher, src, ref, ua)
        new += saved
        if error is not None:
            # Not stored: the filing stays due. The feed's validators are not kept either, or
            # the next poll's 304 would hide it for good.
            complete, failed, last_error = False, failed + 1, str(error)
            if error.status in THROTTLED:
                throttled = error
                break  # the SEC says slow down: no more requests this poll
    result = SourceResult(src.name, "ok", new_documents=new, http_status=resp.status)
    if throttled is not None:
        result.status, result.http_status = "failed", throttled.status
        result.error = (f"SEC answered HTTP {throttled.status} to a filing: it throttles clients over its rate "
                        "or without a name and email in [edgar] user_agent; the filings not fetched stay due "
                        "and are retried after a back-off")
    elif failed:
        result.status = "failed"
        result.error = (f"{failed} filing{'s' if failed > 1 else ''} not fetched; they stay due and are retried "
                        f"after a back-off (last: {last_error})")
    return Outcome(result, resp.etag, resp.last_modified, complete)


# How the SEC answers a client over its fair-access rate (403 with a "Request Rate Threshold
# Exceeded" page; 429 elsewhere).
THROTTLED = (403, 429)
MAX_EXTRA_PAGES = 4


def _relevant(refs: list[ep.FilingRef]) -> list[ep.FilingRef]:
    return [r for r in refs if r.form in ep.EIGHT_K_FORMS + ep.FORM_D_FORMS]


def _older_pages(engine: Engine, fetcher: Fetcher, src: Source, ua: str, refs: list[ep.FilingRef],
                 known: set[str]) -> list[ep.FilingRef]:
    """When a poll finds nothing it has seen, filings may have scrolled past between polls
    (a late-afternoon burst): page on with start= until a known filing shows up. A
    source's first poll does not backfill."""
    extra: list[ep.FilingRef] = []
    page = refs
    start = int(url_query_parameter(src.url, "start") or 0)
    for _ in range(MAX_EXTRA_PAGES):
        if src.last_fetched_at is None or not page or "getcurrent" not in src.url:
            break
        if any(canonical_url(r.index_url) in known for r in page):
            break
        start += int(url_query_parameter(src.url, "count") or 40)
        resp = fetcher.get(add_or_replace_parameter(src.url, "start", str(start)), user_agent=ua,
                           accept="application/atom+xml, application/xml;q=0.9, */*;q=0.5")
        page = _relevant(ep.parse_latest_filings(resp.body, resp.url))
        known |= store.known_urls(engine, (canonical_url(r.index_url) for r in page))
        extra += page
    return extra


def _save_filing(engine: Engine, fetcher: Fetcher, src: Source, ref: ep.FilingRef,
                 ua: str) -> tuple[bool, Optional[FetchError]]:
    """Store one filing; returns (stored a new document, the error that leaves it due)."""
    url = ref.primary_doc_url if ref.form in ep.FORM_D_FORMS else ref.submission_url
    try:
        resp = fetcher.get(url, accept="*/*", user_agent=ua)
    except FetchError as e:
        if e.status == 410:
            logger.info("EDGAR filing %s withdrawn (HTTP 410); skipped", ref.accession)
            return False, None
        # A filing listed in the feed whose text answers 404 is usually not published yet.
        logger.info("EDGAR filing %s not fetched (%s); it stays due", ref.accession, e)
        return False, e
    try:
        doc = form_d_document(ref, resp.body) if ref.form in ep.FORM_D_FORMS else eight_k_document(ref, resp.body)
    except ValueError as e:
        logger.info("EDGAR filing %s unreadable (%s); skipped", ref.accession, e)
        return False, None
    _, is_new = store.save_document(engine, url=canonical_url(ref.index_url), source_id=src.id,
                                    other_urls=[canonical_url(url)], **doc)
    return is_new, None


def eight_k_document(ref: ep.FilingRef, raw: bytes) -> dict[str, Any]:
    """Document fields for an 8-K: its own text, and the items it declares."""
    header = ep.parse_header(raw)
    text = ep.eight_k_text(raw)
    if not text:
        raise ValueError("no 8-K text in the submission")
    items = header.items or ref.items or ep.items_from_text(text)
    company = header.company or ref.company
    filed = header.filed or ref.filed
    meta: dict[str, Any] = {"form": ref.form if ref.form in ep.EIGHT_K_FORMS else "8-K", "items": items,
            "cik": header.cik or ref.cik, "company": company, "sic": header.sic,
            "accession": ref.accession, "filed": filed}
    if header.city:
        meta["business_address"] = {"city": header.city, "state": header.state}
    if site := ep.filer_site(raw):
        meta["xbrl_site"] = site
    return dict(kind="8-K", text=text,
                title=f"{company}: Form {meta['form']} (items {', '.join(items) or 'none declared'})",
                published_at=ep.filed_date(filed), meta=meta)


def form_d_document(ref: ep.FilingRef, raw: bytes) -> dict[str, Any]:
    """Document fields for a Form D: a short summary, and the facts of its XML."""
    facts = ep.form_d_facts(raw)
    company = facts.get("issuer") or ref.company
    meta = {"form": "D", "cik": facts.get("cik") or ref.cik, "company": company, "formd": facts,
            "accession": ref.accession, "filed": ref.filed}
    if facts.get("city"):
        meta["business_address"] = {"city": facts["city"], "state": facts.get("state")}
    text = ep.form_d_summary(company, facts) + f" Accession {ref.accession}."
    return dict(kind="form-D", text=text, title=f"{company}: Form {ref.form} exempt offering",
                published_at=ep.filed_date(ref.filed), meta=meta)
