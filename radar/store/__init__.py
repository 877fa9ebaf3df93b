"""Store functions: the only place the stages read and write rows.

Each write is a short transaction so a crash loses nothing already committed and the CLI
can read while `radar serve` writes. One module per family of tables:

- sources: sources, their HTTP validators, health and schedule
- documents: documents and their URLs, what extraction reads and marks
- signals: organizations, signals and their mentions
- people: contacts and stored profiles
- digests, exports, service: the runs of the digest, the exports and the scheduler

`transaction` is the one way a stage holds a session itself: for work that must commit
together across several store calls and the entity resolver, which reads and creates
organizations in the caller's session (extraction's batches, a contacts import, a
correction of an organization's facts). Store functions that take a `session` run inside it.
"""
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar.db import session_scope as transaction
from radar.store.digests import claim_digest, finish_digest, insert_digest, latest_digest, previous_digest
from radar.store.documents import (
    NewDocumentHook,
    content_hash,
    documents,
    extracted_documents,
    known_url,
    known_urls,
    mark_extracted,
    on_new_document,
    pending_documents,
    save_document,
    save_documents,
    serialize_extraction,
)
from radar.store.exports import finish_export, mark_sent, sent_items, start_export
from radar.store.people import (
    add_profile,
    contacts_by_key,
    contacts_of,
    contacts_with_organizations,
    get_profile,
    profile_ids,
    profiles,
    remove_profile,
    save_contacts,
)
from radar.store.service import delete_lock, insert_lock, job_finished, job_runs, job_started, move_lock, read_lock
from radar.store.signals import (
    add_organizations,
    count_mentions,
    document,
    organization,
    organization_names,
    organizations_containing,
    remove_stale_mentions,
    save_mention,
    signal_for_update,
    signal_titles,
    signals_of_document,
)
from radar.store.sources import get_source, list_sources, record_fetch, remove_source, set_next_fetch, sync_sources


def count(engine: Engine, model: Any) -> int:
    """How many rows a table holds."""
    with Session(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


__all__ = [
    "NewDocumentHook", "add_organizations", "add_profile", "claim_digest", "contacts_by_key", "contacts_of",
    "contacts_with_organizations", "content_hash", "count", "count_mentions", "delete_lock", "document", "documents",
    "extracted_documents", "finish_digest", "finish_export", "get_profile", "get_source", "insert_digest",
    "insert_lock", "job_finished", "job_runs", "job_started", "known_url", "known_urls", "latest_digest",
    "list_sources", "mark_extracted", "mark_sent", "move_lock", "on_new_document", "organization",
    "organization_names", "organizations_containing", "pending_documents", "previous_digest", "profile_ids",
    "profiles", "read_lock", "record_fetch", "remove_profile", "remove_source", "remove_stale_mentions",
    "save_contacts", "save_document", "save_documents", "save_mention", "sent_items", "serialize_extraction",
    "set_next_fetch", "signal_for_update", "signal_titles", "signals_of_document", "start_export", "sync_sources",
    "transaction",
]
