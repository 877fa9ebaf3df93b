"""Extraction stage: stored documents → resolved, deduplicated signals with mentions.

News is read by the detector; 8-K filings by the detector plus their Item 5.02 reader;
Form D notices straight from their structured fields. One real-world event reported by
several documents is one signal (its `key`) with one mention per document. Re-running
over a document replaces that document's mentions, so `radar extract --all` after a rule
change is idempotent and drops what the new rules no longer find.
"""
import hashlib
import logging
import random
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Optional

from dateutil import parser as dateparser
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from radar import store
from radar.entities.known import KnownOrganizations
from radar.entities.normalize import normalize_name
from radar.entities.resolve import AliasIndex, Resolver
from radar.models import Document
from radar.nlp.candidates import Candidate, merge_attributes

logger = logging.getLogger(__name__)

# The attribute that tells two events of one type at one organization apart across documents
# (stories weeks apart). Not nlp.detect.DISTINCT_BY, which merges the reports within one
# document and keeps only the person: one story reports one round, one office.
EVENT_DISTINCT_BY = {
    "funding": "round", "leadership_change": "person", "search_mandate": "role",
    "expansion": "location", "acquisition": None, "product_launch": "product", "partnership": "partner",
}
# Without a distinguishing attribute, reports within this many days are one event.
BUCKET_DAYS = 45
# What another process writing at the same time can make a transaction meet; all pass on retry.
RACES = (IntegrityError, OperationalError, StaleDataError)
RACE_ATTEMPTS = 5


@dataclass
class ExtractSummary:
    documents: int = 0
    signals_new: int = 0
    mentions_new: int = 0
    failed: int = 0
    failed_ids: list[int] = field(default_factory=list)  # the documents `failed` counts
    # Organizations whose signals this run added, changed or removed: what ranking must redo.
    touched: set[int] = field(default_factory=set)


def event_key(org_id: int, cand: Candidate, when: date) -> str:
    """Stable identity of one real-world event, so five reports make one signal."""
    attr = EVENT_DISTINCT_BY.get(cand.type)
    if cand.type == "acquisition":
        other = cand.attributes.get("target") or cand.attributes.get("acquirer") or ""
        distinct = normalize_name(str(other))
    elif attr and cand.attributes.get(attr) and cand.attributes.get(attr) != "unknown":
        distinct = normalize_name(str(cand.attributes[attr]))
    else:
        distinct = f"b{when.toordinal() // BUCKET_DAYS}"
    raw = f"{org_id}|{cand.type}|{cand.subtype or ''}|{distinct}"
    return hashlib.sha1(raw.encode()).hexdigest()[:20]


def event_date(doc: Document) -> date:
    """The date a document reports: filing dates for filings, else publication or fetch time."""
    meta = doc.meta or {}
    for raw in ((meta.get("formd") or {}).get("date_first_sale"), meta.get("filed")):
        if raw and str(raw)[:1].isdigit():
            try:
                return dateparser.parse(str(raw)).date()
            except (ValueError, OverflowError):
                continue
    return (doc.published_at or doc.fetched_at or datetime.now(UTC)).date()


def _org_keys(doc: Document, cand: Candidate) -> dict[str, Optional[str]]:
    """A filing's CIK identifies its registrant or issuer exactly."""
    meta = doc.meta or {}
    formd = meta.get("formd") or {}
    cik = formd.get("cik") or meta.get("cik")
    named = formd.get("issuer") or meta.get("company")
    if cik and named and normalize_name(str(named)) == normalize_name(cand.org):
        return {"cik": str(cik)}
    return {}


def store_candidates(session: Session, resolver: Resolver, doc: Document, cands: list[Candidate],
                     orgs: Optional[set[int]] = None) -> tuple[int, int]:
    """Upsert signals and mentions for one document; returns (new signals, new mentions).
    The organizations whose signals it adds, changes or removes go into `orgs`.

    Signals and mentions are inserted with ON CONFLICT DO NOTHING on their unique keys, and a
    signal's row is locked (PostgreSQL; SQLite holds the write lock already) before its mentions
    are counted, so several processes extracting at once agree on one signal per event."""
    orgs = orgs if orgs is not None else set()
    when = event_date(doc)
    new_signals = new_mentions = 0
    touched: set[int] = set()
    assert doc.id is not None
    for cand in cands:
        org = resolver.resolve(cand.org, **_org_keys(doc, cand))
        assert org.id is not None
        key = event_key(org.id, cand, when)
        orgs.add(org.id)
        sig, created = store.signal_for_update(session, {
            "key": key, "organization_id": org.id, "type": cand.type, "subtype": cand.subtype, "event_date": when,
            "confidence": cand.confidence, "evidence": cand.evidence, "attributes": cand.attributes,
            "document_id": doc.id, "url": doc.url, "title": doc.title, "mentions": 0,
            "first_seen": datetime.now(UTC)})
        new_signals += created
        assert sig.id is not None
        if sig.id in touched:
            continue
        touched.add(sig.id)
        if store.save_mention(session, sig.id, doc.id, cand.evidence, cand.confidence):
            new_mentions += 1
            sig.event_date = min(sig.event_date, when)  # the earliest report dates the event
        sig.mentions = store.count_mentions(session, sig.id)
        if cand.confidence >= sig.confidence or sig.document_id == doc.id:
            # The most confident report keeps the evidence; its attributes fill the gaps.
            sig.confidence, sig.evidence, sig.document_id, sig.url, sig.title = (
                cand.confidence, cand.evidence, doc.id, doc.url, doc.title)
        sig.attributes = merge_attributes(sig.attributes or {}, cand.attributes)
        session.add(sig)
    store.remove_stale_mentions(session, doc.id, touched, orgs)
    return new_signals, new_mentions


def _records(docs: Iterable[Document]) -> Iterable[tuple[str, Optional[str], dict[str, Any], Optional[date]]]:
    for d in docs:
        # The publication date tells news from history; a document without one is read as news.
        yield (d.text or "", d.title, {"kind": d.kind, **(d.meta or {})},
               d.published_at.date() if d.published_at else None)


def with_targets(cands: list[Candidate]) -> list[Candidate]:
    """The target's side of each acquisition as a signal of its own (an acquired company is
    about to change: for ranking it is a net negative, see NEED-PRIORS.md)."""
    out = list(cands)
    for c in cands:
        target = c.attributes.get("target") if c.type == "acquisition" and c.subtype != "target" else None
        if isinstance(target, str) and target.strip() and normalize_name(target) != normalize_name(c.org):
            if not any(o.subtype == "target" and normalize_name(o.org) == normalize_name(target) for o in out):
                out.append(Candidate("acquisition", target.strip(), "target", c.confidence, c.evidence,
                                     {"acquirer": c.org}))
    return out


def detect_documents(detector: Any, docs: list[Document]) -> list[list[Candidate]]:
    """Candidates per document: Form D from its fields, everything else through the detector."""
    from radar.nlp.filings import form_d_candidate

    out: list[Optional[list[Candidate]]] = [None] * len(docs)
    for i, d in enumerate(docs):
        if d.kind == "form-D":
            cand = form_d_candidate((d.meta or {}).get("formd") or {})
            out[i] = [cand] if cand else []
    rest = [i for i, c in enumerate(out) if c is None]
    for i, cands in zip(rest, detector.detect(_records(docs[i] for i in rest)), strict=True):
        out[i] = with_targets(cands)
    return [c or [] for c in out]


def extract(engine: Engine, *, everything: bool = False, detector: Any = None,
            progress: Optional[Callable[[int, int], None]] = None, batch: int = 64,
            reference: Optional[frozenset[str]] = None, only: Optional[Iterable[int]] = None,
            listed: Optional[dict[str, Any]] = None) -> ExtractSummary:
    """Run extraction over new documents (or all), one transaction per batch of documents.
    `reference`: normalized names of organizations known to exist (the SEC's list); `only`:
    these documents (a worker's job), still skipped when already extracted unless everything;
    `listed`: the SEC's list by normalized name (radar.entities.sec.by_name), for tickers and CIKs.

    A batch that fails is retried one document per transaction, so one bad document is
    logged and stays pending while the others are stored."""
    from radar.nlp.detect import VERSION

    summary = ExtractSummary()
    ids = store.pending_documents(engine, VERSION, everything, only)
    if not ids:
        return summary
    with store.transaction(engine) as s:  # the known organizations, read into the detector
        detector, index = _loaded(engine, s, detector, reference)
    for start in range(0, len(ids), batch):
        docs = store.documents(engine, ids[start: start + batch])
        results = list(zip(docs, detect_documents(detector, docs), strict=True))
        try:
            counts = _store_batch(engine, index, results, VERSION, summary.touched, listed)
        except Exception:  # find the bad document below, one transaction each
            logger.warning("storing a batch of %d documents failed; retrying them one by one", len(results),
                           exc_info=True)
            index = _clean_index(engine)  # the rolled-back batch may have added keys
            counts = []
            for pair in results:
                try:
                    counts += _store_batch(engine, index, [pair], VERSION, summary.touched, listed)
                except Exception:  # one bad document must not stop the run
                    logger.exception("extraction of document %s (%s) failed; it stays pending", pair[0].id, pair[0].url)
                    summary.failed += 1
                    summary.failed_ids.append(pair[0].id)  # type: ignore[arg-type]  # a stored row has an id
                    index = _clean_index(engine)
        for n_sig, n_men in counts:
            summary.documents += 1
            summary.signals_new += n_sig
            summary.mentions_new += n_men
        if progress:
            progress(summary.documents + summary.failed, len(ids))
    return summary


@dataclass
class _Loaded:
    """What extraction keeps between runs in one process (the service's jobs): the known
    organizations and the detector built over them, topped up with what each run added."""
    known: KnownOrganizations
    detector: Any = None
    gazetteer: Any = None  # the detector's, to notice another detector replacing it
    reference: Optional[frozenset[str]] = None


_loaded_by_engine: "weakref.WeakKeyDictionary[Engine, _Loaded]" = weakref.WeakKeyDictionary()
_loading = threading.Lock()  # a worker runs extraction jobs in threads


def _loaded(engine: Engine, session: Session, detector: Any,
            reference: Optional[frozenset[str]]) -> tuple[Any, AliasIndex]:
    """The detector and a copy of the alias index for this engine, built on first use and
    then told only about organizations stored since, so a run costs what its documents cost,
    not what the database holds. A detector passed in is used as it is."""
    from radar.nlp.detect import Detector
    from radar.nlp.model import gazetteer

    with _loading:
        cached = _loaded_by_engine.setdefault(engine, _Loaded(KnownOrganizations()))
        new, reloaded = cached.known.refresh(session)
        if detector is None:
            if (cached.detector is None or reloaded or reference is not cached.reference
                    or gazetteer(cached.detector.nlp) is not cached.gazetteer):
                cached.detector = Detector(known_orgs=cached.known.names, reference=reference)
                cached.reference = reference
            elif new:
                cached.detector.learn(new)
            cached.gazetteer = gazetteer(cached.detector.nlp)
            detector = cached.detector
        return detector, cached.known.index.copy()


def _clean_index(engine: Engine) -> AliasIndex:
    """The alias index as last read from the database (after a rolled-back batch)."""
    with _loading:
        return _loaded_by_engine[engine].known.index.copy()


def refresh_facts(session: Session, resolver: Resolver, doc: Document, cands: list[Candidate],
                  listed: Optional[dict[str, Any]] = None) -> set[int]:
    """The organization facts this document gives (radar.entities.profile), for the organizations
    it names and the filing's own registrant; nothing is fetched again for them. Returns the
    organizations whose facts changed."""
    from radar.entities.facts import Event
    from radar.entities.profile import filer_of, mentioned, record_document, registrant, source_map

    orgs = [o for o in (resolver.find(c.org, **_org_keys(doc, c)) for c in cands) if o is not None]
    filer = filer_of(doc, orgs) or registrant(resolver, doc)
    seen = {o.id for o in orgs}
    orgs += [o for o in (store.organization(session, i) for i in mentioned(doc.text or "", resolver.index.by_norm)
                         if i not in seen) if o is not None]
    if "radar_sources" not in session.info:
        session.info["radar_sources"] = source_map(session)
    sources, news = session.info["radar_sources"]
    events = [Event(c.org, c.type, c.subtype, c.evidence) for c in cands]
    return record_document(session, doc, orgs, events, sources, news, filer=filer, listed=listed,
                           when=event_date(doc))


def _store_batch(engine: Engine, index: AliasIndex, results: list[tuple[Document, list[Candidate]]],
                 version: str, touched: set[int],
                 listed: Optional[dict[str, Any]] = None) -> list[tuple[int, int]]:
    """Store a batch in one transaction; when another process wins a race for a key (or PostgreSQL
    picks this transaction as a deadlock's victim), roll back, read what it committed, try again.
    `index` learns the keys of the attempt that committed, and only those."""
    work = index.copy()
    for attempt in range(RACE_ATTEMPTS):
        try:
            counts = _store_batch_once(engine, work, results, version, touched, listed)
            index.__dict__.update(work.__dict__)
            return counts
        except RACES as e:
            if attempt == RACE_ATTEMPTS - 1:
                raise
            logger.info("storing %d documents met another writer (%s); trying again", len(results),
                        type(e).__name__)
            work = _clean_index(engine)
            with store.transaction(engine) as s:
                work.refresh(s)
            time.sleep(random.uniform(0.05, 0.25) * (attempt + 1))  # jitter, not secrecy
    raise AssertionError("unreachable")


def _store_batch_once(engine: Engine, index: AliasIndex, results: list[tuple[Document, list[Candidate]]],
                      version: str, touched: set[int],
                      listed: Optional[dict[str, Any]] = None) -> list[tuple[int, int]]:
    # Workers on other machines store at the same time. Signals, mentions and facts are upserts
    # on their own keys; organizations and aliases are keys in two tables, which no one index
    # spans, so a transaction about to write one waits for the others doing so
    # (store.serialize_extraction) and resolves against what they committed. Those writes come
    # first, in a short transaction of their own, so that the wait covers them alone: an
    # organization left without signals by a later failure is harmless (it is not ranked) and
    # is found, not created again, by the retry.
    with store.transaction(engine) as s:
        index.refresh(s)
        resolver = Resolver(s, index, before_write=store.serialize_extraction)
        for doc, cands in results:
            for cand in cands:
                resolver.resolve(cand.org, **_org_keys(doc, cand))
    counts = []
    orgs: set[int] = set()
    # One transaction for the rest of the batch: the signals and mentions, the facts and the
    # documents' extraction marks commit together or not at all.
    with store.transaction(engine) as s:
        resolver = Resolver(s, index, before_write=store.serialize_extraction)  # finds what the first one wrote
        for doc, cands in results:
            counts.append(store_candidates(s, resolver, doc, cands, orgs))
            orgs |= refresh_facts(s, resolver, doc, cands, listed)  # a new fact moves its fit
            store.mark_extracted(s, doc.id, version)
    touched |= orgs  # only what was committed
    return counts


def reread_facts(engine: Engine, progress: Optional[Callable[[int, int], None]] = None,
                 listed: Optional[dict[str, Any]] = None) -> int:
    """Read every extracted document's facts again from the stored text and signals, without
    running the detector (after the readers change); returns how many organizations have facts."""
    from radar.entities.facts import Event
    from radar.entities.profile import filer_of, mentioned, record_document, registrant, source_map
    from radar.models import Organization

    ids = store.extracted_documents(engine)
    with store.transaction(engine) as s:
        index = AliasIndex.load(s)
    stored: set[int] = set()
    for start in range(0, len(ids), 200):
        with store.transaction(engine) as s:  # the facts of 200 documents commit together
            sources, news = source_map(s)
            resolver = Resolver(s, index)
            for did in ids[start:start + 200]:
                doc = store.document(s, did)
                if doc is None:
                    continue
                orgs: dict[int, Organization] = {}
                events = []
                for sig, evidence in store.signals_of_document(s, did):
                    o = store.organization(s, sig.organization_id)
                    if o is not None and o.id is not None:
                        orgs[o.id] = o
                        events.append(Event(o.name, sig.type, sig.subtype, evidence))
                for oid in mentioned(doc.text or "", index.by_norm):
                    if oid not in orgs and (o := store.organization(s, oid)) is not None:
                        orgs[oid] = o
                stored |= record_document(s, doc, orgs.values(), events, sources, news,
                                          filer=filer_of(doc, orgs.values()) or registrant(resolver, doc),
                                          listed=listed, when=event_date(doc))
        if progress:
            progress(min(start + 200, len(ids)), len(ids))
    return len(stored)
