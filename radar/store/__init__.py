"""Store functions: the only place the stages read and write rows.

Each write is a short transaction so a crash loses nothing already committed and the CLI
can read while `radar serve` writes. One module per family of tables:

- sources: sources, their HTTP validators, health and schedule
- documents: documents and their URLs, what extraction reads and marks
- signals: organizations, signals and their mentions
- people: contacts and stored profiles
- digests, exports, service: the runs of the digest, the exports and the scheduler
- world, rank_cache: what ranking reads, and the stored rankings (Core only, see below)
- leases, workers: host leases and URL claims of the crawls; the worker cluster's queue

`transaction` is the one way a stage holds a session itself: for work that must commit
together across several store calls and the entity resolver, which reads and creates
organizations in the caller's session (extraction's batches, a contacts import, a
correction of an organization's facts). Store functions that take a `session` run inside it.
`reading` gives one connection to a read made of several store calls (a ranking's world,
the search of `radar signals --sort score`); `job_transaction`, the transaction procrastinate
writes a job in. No module outside radar/store, radar/db.py and the migrations opens a
connection or a session (tests/test_layers.py holds them to it).

Only `world`, `rank_cache` and `transaction` are imported with the package: `radar signals`
and `radar orgs top` start in a new process each time and read through them alone, and the
other modules import SQLModel and the table classes (radar.light_tables says why that
matters). The rest are imported on first use of one of their names (`__getattr__` below);
the TYPE_CHECKING block names them for mypy and for readers.
"""
import importlib
from typing import TYPE_CHECKING, Any

from radar.db import session_scope as transaction
from radar.store.rank_cache import (
    PARTIAL,
    RankEntry,
    clear_rankings,
    data_version,
    only_added,
    ranked_count,
    read_ranked,
    read_ranking,
    replace_ranked,
    save_ranking,
    stored_relevance,
)
from radar.store.world import (
    alias_rows,
    contact_rows,
    document_rows,
    document_texts,
    mention_rows,
    organization_rows,
    reading,
    seen_in_rows,
    signal_rows,
    source_industries,
)

if TYPE_CHECKING:
    from radar.store.digests import claim_digest, finish_digest, insert_digest, latest_digest, previous_digest
    from radar.store.documents import (
        NewDocumentHook,
        content_hash,
        count,
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
        shard_of_new_document,
        unread_documents,
    )
    from radar.store.exports import finish_export, mark_sent, sent_items, start_export
    from radar.store.leases import claim_url, create_lease, free_lease, release_claims, release_lease, take_lease
    from radar.store.people import (
        DEFAULT_PROFILE,
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
    from radar.store.service import (
        delete_lock,
        insert_lock,
        job_finished,
        job_runs,
        job_started,
        move_lock,
        next_runs,
        read_lock,
    )
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
    from radar.store.workers import due_source_ids, extraction_waits, has_job_queue, job_transaction, queue_rows

# The names of the modules imported on first use, by module.
_LAZY = {
    "digests": ("claim_digest", "finish_digest", "insert_digest", "latest_digest", "previous_digest"),
    "documents": ("NewDocumentHook", "content_hash", "count", "documents", "extracted_documents", "known_url",
                  "known_urls", "mark_extracted", "on_new_document", "pending_documents", "save_document",
                  "save_documents", "serialize_extraction", "shard_of_new_document", "unread_documents"),
    "exports": ("finish_export", "mark_sent", "sent_items", "start_export"),
    "leases": ("claim_url", "create_lease", "free_lease", "release_claims", "release_lease", "take_lease"),
    "people": ("DEFAULT_PROFILE", "add_profile", "contacts_by_key", "contacts_of", "contacts_with_organizations",
               "get_profile", "profile_ids", "profiles", "remove_profile", "save_contacts"),
    "service": ("delete_lock", "insert_lock", "job_finished", "job_runs", "job_started", "move_lock", "next_runs",
                "read_lock"),
    "signals": ("add_organizations", "count_mentions", "document", "organization", "organization_names",
                "organizations_containing", "remove_stale_mentions", "save_mention", "signal_for_update",
                "signal_titles", "signals_of_document"),
    "sources": ("get_source", "list_sources", "record_fetch", "remove_source", "set_next_fetch", "sync_sources"),
    "workers": ("due_source_ids", "extraction_waits", "has_job_queue", "job_transaction", "queue_rows"),
}
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'radar.store' has no attribute {name!r}")
    loaded = importlib.import_module(f"radar.store.{module}")
    # All of the module's names at once: later uses find them without this function, and the
    # function `documents` replaces the submodule of that name, which the import set here.
    globals().update((n, getattr(loaded, n)) for n in _LAZY[module])
    return globals()[name]


__all__ = [
    "DEFAULT_PROFILE", "NewDocumentHook", "PARTIAL", "RankEntry", "add_organizations", "add_profile", "alias_rows",
    "claim_digest",
    "claim_url", "clear_rankings", "contact_rows", "contacts_by_key", "contacts_of", "contacts_with_organizations",
    "content_hash", "count", "count_mentions", "create_lease", "data_version", "delete_lock", "document",
    "document_rows", "document_texts", "documents", "due_source_ids", "extraction_waits", "extracted_documents",
    "finish_digest",
    "finish_export", "free_lease", "get_profile", "get_source", "has_job_queue", "insert_digest", "insert_lock",
    "job_finished", "job_runs", "job_started", "job_transaction", "known_url", "known_urls", "latest_digest",
    "list_sources", "mark_extracted", "mark_sent", "mention_rows", "move_lock", "next_runs", "on_new_document",
    "only_added", "organization", "organization_names", "organization_rows", "organizations_containing",
    "pending_documents", "previous_digest", "profile_ids", "profiles", "queue_rows", "ranked_count", "read_lock",
    "read_ranked", "read_ranking", "reading", "record_fetch", "release_claims", "release_lease", "remove_profile",
    "remove_source", "remove_stale_mentions", "replace_ranked", "save_contacts", "save_document", "save_documents",
    "save_mention", "save_ranking", "seen_in_rows", "sent_items", "serialize_extraction", "set_next_fetch",
    "signal_for_update", "signal_rows", "signal_titles", "signals_of_document", "source_industries", "start_export",
    "stored_relevance", "sync_sources", "take_lease", "transaction",
    "shard_of_new_document", "unread_documents",
]
