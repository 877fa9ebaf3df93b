"""What ranking reads (radar.rank.world builds its views from these rows): organizations and
their aliases, signals since a date, the documents that reported them, the sources'
industries, and the user's contacts.

Rows come through the driver's cursor (light_tables.PlainQuery) or as plain Core rows: not
ORM objects, nor SQLAlchemy result rows where there are many (a million signals on a large
database; building ORM instances was most of the time of `radar orgs top`, result rows a tenth
of a cold ranking). A world is read in one connection (`reading`), so its parts agree.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, Optional

from sqlalchemy import String, Text, bindparam, cast, type_coerce
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import BindParameter

from radar.light_tables import (
    CONTACT,
    DOCUMENT,
    DOCUMENT_URL,
    ORG_ALIAS,
    ORGANIZATION,
    SIGNAL,
    SIGNAL_MENTION,
    SOURCE,
    PlainQuery,
)

# Columns read per signal. Attributes are read as JSON text, for the caller to decode (most are
# "{}", decoded once). The date is read as the driver gives it (SQLite: ISO text; SQLAlchemy's
# SQLite date processor runs a regex per row).
_SIGNAL_COLUMNS = (SIGNAL.c.id, SIGNAL.c.organization_id, SIGNAL.c.type, SIGNAL.c.subtype,
                   type_coerce(SIGNAL.c.event_date, String), SIGNAL.c.confidence, SIGNAL.c.evidence,
                   cast(SIGNAL.c.attributes, Text), SIGNAL.c.url, SIGNAL.c.mentions, SIGNAL.c.title,
                   SIGNAL.c.document_id)
# The streams ranking reads, compiled once per process; `ids` is an expanding IN list, given a
# chunk at a time (SQLite binds at most 999 values).
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
_SIGNALS_SINCE = (sa_select(*_SIGNAL_COLUMNS).where(SIGNAL.c.event_date >= bindparam("since"))
                  .order_by(SIGNAL.c.event_date, SIGNAL.c.id))
_Q_SIGNALS = PlainQuery(_SIGNALS_SINCE)
_Q_SIGNALS_OF = PlainQuery(_SIGNALS_SINCE.where(SIGNAL.c.organization_id.in_(_IDS)))
_Q_MENTIONS = PlainQuery(sa_select(SIGNAL_MENTION.c.signal_id, SIGNAL_MENTION.c.document_id))
_Q_MENTIONS_OF = PlainQuery(sa_select(SIGNAL_MENTION.c.signal_id, SIGNAL_MENTION.c.document_id)
                            .where(SIGNAL_MENTION.c.signal_id.in_(_IDS)))
_Q_DOCUMENTS = PlainQuery(sa_select(DOCUMENT.c.id, DOCUMENT.c.source_id, cast(DOCUMENT.c.meta, Text))
                          .where(DOCUMENT.c.id.in_(_IDS)))
_Q_SEEN_IN = PlainQuery(sa_select(DOCUMENT_URL.c.document_id, DOCUMENT_URL.c.source_id)
                        .where(DOCUMENT_URL.c.document_id.in_(_IDS)))
_Q_TEXTS = PlainQuery(sa_select(DOCUMENT.c.id, DOCUMENT.c.title, DOCUMENT.c.text).where(DOCUMENT.c.id.in_(_IDS)))


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """One connection for a read made of several statements (a ranking's world, the search of
    `radar signals --sort score`): the store functions that take `conn` run in it."""
    with engine.connect() as conn:
        yield conn


def chunks(ids: list[int], size: int = 900) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _rows_in(conn: Connection, query: PlainQuery, ids: list[int], **values: Any) -> Iterator[tuple[Any, ...]]:
    """The rows of a query for `ids`, a chunk at a time."""
    for chunk in chunks(ids):
        yield from query.rows(conn, ids=chunk, **values)


def organization_rows(conn: Connection, wanted: Optional[list[int]]) -> dict[int, Any]:
    """Every organization (or those `wanted`) by id: id, name, location, stage, domain, size, sic, industries."""
    oq = sa_select(ORGANIZATION.c.id, ORGANIZATION.c.name, ORGANIZATION.c.location,
                   ORGANIZATION.c.stage, ORGANIZATION.c.domain, ORGANIZATION.c.size, ORGANIZATION.c.sic,
                   ORGANIZATION.c.industries).order_by(ORGANIZATION.c.id)
    rows: dict[int, Any] = {}
    for chunk in chunks(wanted) if wanted is not None else [None]:
        rows.update((r[0], r) for r in conn.execute(oq if chunk is None else oq.where(ORGANIZATION.c.id.in_(chunk))))
    return rows


def alias_rows(conn: Connection, wanted: Optional[list[int]]) -> Iterator[Any]:
    """(organization id, alias) of every organization (or those `wanted`), oldest alias first."""
    aq = sa_select(ORG_ALIAS.c.organization_id, ORG_ALIAS.c.alias).order_by(ORG_ALIAS.c.id)
    for chunk in chunks(wanted) if wanted is not None else [None]:
        yield from conn.execute(aq if chunk is None else aq.where(ORG_ALIAS.c.organization_id.in_(chunk)))


def signal_rows(conn: Connection, since: date, org_ids: Optional[list[int]]) -> Iterator[tuple[Any, ...]]:
    """Signals since `since` (of `org_ids`, or all), oldest first as the event_date index reads
    them: id, organization id, type, subtype, date (as the driver gives it), confidence,
    evidence, attributes as JSON text, url, mentions, title, document id."""
    if org_ids is None:
        return _Q_SIGNALS.rows(conn, since=since)
    return _rows_in(conn, _Q_SIGNALS_OF, org_ids, since=since)


def mention_rows(conn: Connection, signal_ids: Optional[list[int]]) -> Iterator[tuple[Any, ...]]:
    """(signal id, document id) of these signals' mentions; with None, of every mention (when most
    signals are wanted, one pass over the (signal_id, document_id) index beats a million-id IN list)."""
    if signal_ids is None:
        return _Q_MENTIONS.rows(conn)
    return _rows_in(conn, _Q_MENTIONS_OF, signal_ids)


def source_industries(conn: Connection) -> dict[int, list[str]]:
    """Each source's industries, by source id."""
    return {sid: list(inds or []) for sid, inds in conn.execute(sa_select(SOURCE.c.id, SOURCE.c.industries))}


def document_rows(conn: Connection, ids: list[int]) -> Iterator[tuple[Any, ...]]:
    """(id, source id, metadata as JSON text) of these documents."""
    return _rows_in(conn, _Q_DOCUMENTS, ids)


def seen_in_rows(conn: Connection, ids: list[int]) -> Iterator[tuple[Any, ...]]:
    """(document id, source id) of every source these documents were seen in."""
    return _rows_in(conn, _Q_SEEN_IN, ids)


def document_texts(conn: Connection, ids: list[int]) -> Iterator[tuple[Any, ...]]:
    """(id, title, text) of these documents."""
    return _rows_in(conn, _Q_TEXTS, ids)


def contact_rows(conn: Connection, profile: str) -> tuple[dict[int, list[str]], list[Any]]:
    """The names (name, then aliases) of each organization a contact of the profile
    (Settings.profile_key) is linked to, and its every contact: id, full name, position,
    company, linked organization id."""
    names: dict[int, list[str]] = {}
    with_contacts = sa_select(CONTACT.c.organization_id).where(CONTACT.c.profile == profile)
    linked = sa_select(ORGANIZATION.c.id, ORGANIZATION.c.name).where(ORGANIZATION.c.id.in_(with_contacts))
    for oid, name in conn.execute(linked):
        names[oid] = [name]
    aliases = (sa_select(ORG_ALIAS.c.organization_id, ORG_ALIAS.c.alias)
               .where(ORG_ALIAS.c.organization_id.in_(with_contacts)))
    for oid, alias in conn.execute(aliases.order_by(ORG_ALIAS.c.id)):
        if alias != names[oid][0]:
            names[oid].append(alias)
    contacts = list(conn.execute(sa_select(CONTACT.c.id, CONTACT.c.full_name, CONTACT.c.position, CONTACT.c.company,
                                           CONTACT.c.organization_id).where(CONTACT.c.profile == profile)
                                .order_by(CONTACT.c.id)))
    return names, contacts
