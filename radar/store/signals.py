"""Organizations, their signals, and the signals' mentions (one per reporting document).

Extraction stores a batch of documents in one transaction with the entity resolver (which
may create organizations), so the writes here take the caller's session (store.transaction).
"""
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any, Optional

from sqlalchemy import func, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from radar.db import insert_new
from radar.models import Contact, Document, OrgAlias, Organization, Signal, SignalMention, table_of


def document(session: Session, document_id: Optional[int]) -> Optional[Document]:
    return session.get(Document, document_id)


def organization(session: Session, organization_id: Optional[int]) -> Optional[Organization]:
    return session.get(Organization, organization_id)


def signal_for_update(session: Session, values: dict[str, Any]) -> tuple[Signal, bool]:
    """The signal of `values["key"]`, inserted from `values` unless there, then read and locked
    (PostgreSQL; SQLite holds the write lock already) so several processes extracting at once
    agree on its mentions; and whether this call inserted it."""
    created = insert_new(session, table_of(Signal), values) is not None
    sig = session.exec(select(Signal).where(Signal.key == values["key"]).with_for_update()
                       .execution_options(populate_existing=True)).one()
    return sig, created


def save_mention(session: Session, signal_id: int, document_id: int, evidence: str, confidence: float) -> bool:
    """The document's mention of the signal, inserted or updated; True when it is new."""
    mentions = table_of(SignalMention)
    if insert_new(session, mentions, {"signal_id": signal_id, "document_id": document_id, "evidence": evidence,
                                      "confidence": confidence}) is not None:
        return True
    session.execute(update(mentions).where(mentions.c.signal_id == signal_id, mentions.c.document_id == document_id)
                    .values(evidence=evidence, confidence=confidence))
    return False


def count_mentions(session: Session, signal_id: Optional[int]) -> int:
    return session.exec(select(func.count()).select_from(SignalMention)
                        .where(SignalMention.signal_id == signal_id)).one()


def remove_stale_mentions(session: Session, doc_id: int, keep: set[int], touched: set[int]) -> int:
    """Mentions of this document that the rules no longer find; signals left without any.
    The organizations of the signals changed go into `touched`."""
    removed = 0
    for m in list(session.exec(select(SignalMention).where(SignalMention.document_id == doc_id))):
        if m.signal_id in keep:
            continue
        sig = session.get(Signal, m.signal_id)
        session.delete(m)
        session.flush()
        if sig is None:
            continue
        touched.add(sig.organization_id)
        rest = list(session.exec(select(SignalMention).where(SignalMention.signal_id == sig.id)))
        if not rest:
            session.delete(sig)
            removed += 1
        else:
            best = max(rest, key=lambda r: r.confidence)
            sig.mentions = len(rest)
            sig.document_id, sig.evidence, sig.confidence = best.document_id, best.evidence, best.confidence
            session.add(sig)
    return removed


def signals_of_document(session: Session, document_id: Optional[int]) -> list[tuple[Signal, str]]:
    """The signals a document reports, each with the evidence sentence of its mention there."""
    return list(session.exec(select(Signal, SignalMention.evidence)
                             .join(SignalMention, col(SignalMention.signal_id) == col(Signal.id))
                             .where(SignalMention.document_id == document_id)))


def signal_titles(engine: Engine, ids: list[int]) -> dict[int, tuple[str, Optional[str]]]:
    """Event key and document title of each signal (the ranking view carries neither)."""
    out: dict[int, tuple[str, Optional[str]]] = {}
    with Session(engine) as s:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            q = select(Signal.id, Signal.key, Signal.title).where(col(Signal.id).in_(chunk))
            out.update({i: (k, t) for i, k, t in s.execute(q)})
    return out


def organizations_containing(engine: Engine, key: str) -> set[Optional[int]]:
    """Ids of the organizations whose normalized name or an alias contains `key`."""
    with Session(engine) as s:
        hits: set[Optional[int]] = {a.organization_id for a in s.exec(select(OrgAlias)) if key in a.normalized}
        return hits | {o.id for o in s.exec(select(Organization)) if key in o.normalized}


def organization_names(engine: Engine, ids: Iterable[Optional[int]]) -> list[str]:
    with Session(engine) as s:
        return [o.name for o in s.exec(select(Organization).where(col(Organization.id).in_(list(ids))))]


def add_organizations(engine: Engine, orgs: Sequence[tuple[Organization, Sequence[Signal]]],
                      contacts: Iterable[tuple[Contact, Optional[int]]]) -> None:
    """Store organizations with their signals, and contacts at the n-th of them (or none), in
    one transaction: fixtures for tests and benchmarks. A signal's key is made unique by
    hashing it with its organization's new id."""
    with Session(engine) as s:
        ids = []
        for org, signals in orgs:
            s.add(org)
            s.flush()
            assert org.id is not None
            ids.append(org.id)
            for sig in signals:
                sig.organization_id = org.id
                sig.key = hashlib.sha1(f"{org.id}|{sig.key}".encode()).hexdigest()[:20]
                s.add(sig)
        for contact, at in contacts:
            contact.organization_id = ids[at] if at is not None else None
            s.add(contact)
        s.commit()
