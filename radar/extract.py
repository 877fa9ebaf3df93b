"""Extraction stage: stored documents → resolved, deduplicated signals with mentions."""
import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable, Optional

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar.entities.normalize import normalize_name
from radar.entities.resolve import Resolver
from radar.models import Document, Organization, Signal, SignalMention
from radar.nlp.candidates import Candidate

logger = logging.getLogger(__name__)

# The attribute that tells two events of one type at one organization apart.
DISTINCT_BY = {
    "funding": "round", "leadership_change": "person", "search_mandate": "role",
    "expansion": "location", "acquisition": None, "product_launch": "product", "partnership": "partner",
}
# Without a distinguishing attribute, reports within this many days are one event.
BUCKET_DAYS = 45


@dataclass
class ExtractSummary:
    documents: int = 0
    signals_new: int = 0
    mentions_new: int = 0


def event_key(org_id: int, cand: Candidate, when: date) -> str:
    """Stable identity of one real-world event, so five reports make one signal."""
    attr = DISTINCT_BY.get(cand.type)
    if cand.type == "acquisition":
        other = cand.attributes.get("target") or cand.attributes.get("acquirer") or ""
        distinct = normalize_name(str(other))
    elif attr and cand.attributes.get(attr):
        distinct = normalize_name(str(cand.attributes[attr]))
    else:
        distinct = f"b{when.toordinal() // BUCKET_DAYS}"
    raw = f"{org_id}|{cand.type}|{cand.subtype or ''}|{distinct}"
    return hashlib.sha1(raw.encode()).hexdigest()[:20]


def pending_documents(session: Session, version: str, everything: bool) -> list[int]:
    q = select(Document.id).order_by(Document.id)
    if not everything:
        q = q.where(or_(Document.extractor_version.is_(None), Document.extractor_version != version))  # type: ignore[union-attr]
    return list(session.exec(q))


def store_candidates(session: Session, resolver: Resolver, doc: Document, cands: list[Candidate]) -> tuple[int, int]:
    """Upsert signals and mentions for one document; returns (new signals, new mentions)."""
    when = (doc.published_at or doc.fetched_at or datetime.now(timezone.utc)).date()
    new_signals = new_mentions = 0
    for cand in cands:
        org = resolver.resolve(cand.org)
        key = event_key(org.id, cand, when)  # type: ignore[arg-type]
        sig = session.exec(select(Signal).where(Signal.key == key)).first()
        if sig is None:
            sig = Signal(key=key, organization_id=org.id, type=cand.type, subtype=cand.subtype,  # type: ignore[arg-type]
                         event_date=when, confidence=cand.confidence, evidence=cand.evidence,
                         attributes=cand.attributes, document_id=doc.id, url=doc.url, title=doc.title)
            session.add(sig)
            session.flush()
            new_signals += 1
        mention = session.exec(select(SignalMention).where(SignalMention.signal_id == sig.id, SignalMention.document_id == doc.id)).first()
        if mention is None:
            session.add(SignalMention(signal_id=sig.id, document_id=doc.id, evidence=cand.evidence, confidence=cand.confidence))  # type: ignore[arg-type]
            new_mentions += 1
            if sig.document_id != doc.id:
                sig.mentions += 1
                # The earliest report dates the event; the most confident keeps the evidence.
                sig.event_date = min(sig.event_date, when)
                if cand.confidence > sig.confidence:
                    sig.confidence, sig.evidence = cand.confidence, cand.evidence
                session.add(sig)
        else:
            mention.evidence, mention.confidence = cand.evidence, cand.confidence
            session.add(mention)
    return new_signals, new_mentions


def extract(engine: Engine, *, everything: bool = False, detector=None,  # type: ignore[no-untyped-def]
            progress: Optional[Callable[[int, int], None]] = None, batch: int = 32) -> ExtractSummary:
    """Run the detector over new documents (or all), one short transaction per document."""
    from radar.nlp.detect import VERSION, Detector

    summary = ExtractSummary()
    with Session(engine) as s:
        ids = pending_documents(s, VERSION, everything)
        known = [o.name for o in s.exec(select(Organization))]
    if not ids:
        return summary
    detector = detector or Detector(known_orgs=known)
    for start in range(0, len(ids), batch):
        chunk = ids[start: start + batch]
        with Session(engine) as s:
            docs = [s.get(Document, i) for i in chunk]
            results = list(detector.detect((d.text, d.title) for d in docs if d))
        for doc, cands in zip([d for d in docs if d], results):
            with Session(engine) as s:
                resolver = Resolver(s)
                n_sig, n_men = store_candidates(s, resolver, doc, cands)
                row = s.get(Document, doc.id)
                assert row is not None
                row.extracted_at, row.extractor_version = datetime.now(timezone.utc), VERSION
                s.add(row)
                s.commit()
            summary.documents += 1
            summary.signals_new += n_sig
            summary.mentions_new += n_men
            if progress:
                progress(summary.documents, len(ids))
    return summary
