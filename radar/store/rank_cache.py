"""The rank cache's rows (radar.rank.cache says what a stored ranking is and when it is used):
one header row per profile key (position 0: the day, the data version, PARTIAL when some rows
were ranked alone) and one row per ranked organization. Core statements: `radar orgs top`
reads a few of these rows and nothing of the ORM.

The data version is the newest id of every table ranking reads (radar only ever adds signals,
mentions, documents, organizations and aliases; an event re-dated or re-scored by a later
report arrives with a new mention), the contacts' count and newest import, and the sources'
industries.
"""
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Optional

from sqlalchemy import Text, cast, delete, func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from radar.db import check_before_writing
from radar.light_tables import (
    CONTACT,
    DOCUMENT,
    ORG_ALIAS,
    ORG_FACT,
    ORGANIZATION,
    RANK_CACHE,
    SIGNAL,
    SIGNAL_MENTION,
    SOURCE,
)

logger = logging.getLogger(__name__)

KEEP_DAYS = 7  # rankings of other profiles (or old settings) older than this are dropped on the next store
_T = RANK_CACHE
PARTIAL = "partial"  # in the header row's industries: some rows were ranked without the others
# One ranked organization as stored: (organization id, score, relevance, investor contacts, industries).
RankedRow = tuple[int, float, float, int, list[str]]


@dataclass(frozen=True)
class RankEntry:
    """One cached organization: its place, score and the factors computed over the whole world."""

    position: int
    organization_id: int
    score: float
    relevance: float
    investor_contacts: int
    industries: list[str]


# Tables whose rows ranking reads and that only grow as data arrives (max(id) tells what was added).
_GROWING = (SIGNAL, SIGNAL_MENTION, DOCUMENT, ORGANIZATION, ORG_ALIAS, ORG_FACT)


def _data_version(conn: Connection) -> str:
    parts = [str(conn.execute(select(func.max(t.c.id))).scalar() or 0) for t in _GROWING]
    n, newest = conn.execute(select(func.count(CONTACT.c.id), func.max(CONTACT.c.imported_at))).one()
    parts.append(f"{n}@{newest.isoformat() if newest else '-'}")
    sources = sorted((i, sorted(inds or []))
                     for i, inds in conn.execute(select(SOURCE.c.id, SOURCE.c.industries)))
    parts.append(hashlib.sha1(json.dumps(sources).encode()).hexdigest()[:12])
    return ":".join(parts)


def data_version(engine: Engine) -> str:
    """A cheap fingerprint of the rows ranking reads: max(id) is one index lookup per table."""
    with engine.connect() as conn:
        return _data_version(conn)


def only_added(old: str, new: str) -> bool:
    """Whether the data behind version `new` differs from `old` only by added signals,
    mentions, documents, organizations, aliases and facts (contacts and sources unchanged)."""
    a, b = old.split(":"), new.split(":")
    n = len(_GROWING)
    if len(a) != len(b) or len(a) <= n or a[n:] != b[n:]:
        return False
    return all(x.isdigit() and y.isdigit() and int(y) >= int(x) for x, y in zip(a[:n], b[:n], strict=True))


def _header(conn: Connection, key: str) -> Any:
    return conn.execute(select(_T.c.day, _T.c.data_version, _T.c.industries, _T.c.score)
                        .where(_T.c.profile_key == key, _T.c.position == 0)).first()


def _fresh(conn: Connection, key: str, today: date, complete: bool = False) -> Any:
    """The header row when the ranking stored for `key` is today's and of the current data
    (and, with `complete`, not partly ranked alone); else None."""
    header = _header(conn, key)
    fresh = (header is not None and header.day == today and header.data_version == _data_version(conn)
             and not (complete and PARTIAL in (header.industries or [])))
    return header if fresh else None


def stored_relevance(engine: Engine, key: str, today: date, version: str,
                     org_ids: set[int]) -> Optional[dict[int, float]]:
    """The stored relevance of these organizations (those ranked), when today's ranking for
    `key` can be brought to `version` by ranking them alone; else None."""
    with engine.connect() as conn:
        header = _header(conn, key)
        if header is None or header.day != today or not only_added(header.data_version, version):
            return None
        rows = conn.execute(select(_T.c.organization_id, _T.c.relevance).where(_T.c.profile_key == key,
                                                                                _T.c.position > 0))
        return {oid: rel for oid, rel in rows if oid in org_ids}


def replace_ranked(engine: Engine, key: str, today: date, version: str, org_ids: set[int],
                   new: dict[int, tuple[float, str, float, int, list[str]]]) -> Optional[int]:
    """Replace the rows of `org_ids` with `new` (per organization: score, name, relevance,
    investor contacts, industries; one of `org_ids` no longer ranked drops out) and reorder by
    score, then name; returns how many are ranked, or None if the stored ranking changed
    meanwhile (the caller ranks everything)."""
    check_before_writing(engine)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        header = _header(conn, key)
        if header is None or header.day != today or not only_added(header.data_version, version):
            return None
        q = (select(_T.c.organization_id, _T.c.score, ORGANIZATION.c.name, _T.c.relevance, _T.c.investor_contacts,
                    _T.c.industries)
             .join(ORGANIZATION, ORGANIZATION.c.id == _T.c.organization_id)
             .where(_T.c.profile_key == key, _T.c.position > 0))
        rows = {r[0]: tuple(r[1:]) for r in conn.execute(q) if r[0] not in org_ids}
        rows.update(new)
        order = sorted(rows, key=lambda oid: (-rows[oid][0], rows[oid][1]))  # as radar.rank.score.rank sorts
        conn.execute(delete(_T).where(_T.c.profile_key == key))
        out: list[dict[str, Any]] = [
            {"profile_key": key, "position": 0, "day": today, "data_version": version, "organization_id": None,
             "score": float(len(order)), "relevance": 1.0, "investor_contacts": 0, "industries": [PARTIAL],
             "computed_at": now}]
        out += [{"profile_key": key, "position": i, "day": today, "data_version": version, "organization_id": oid,
                 "score": rows[oid][0], "relevance": rows[oid][2], "investor_contacts": rows[oid][3],
                 "industries": list(rows[oid][4] or []), "computed_at": now} for i, oid in enumerate(order, 1)]
        for start in range(0, len(out), 5000):
            conn.execute(insert(_T), out[start:start + 5000])
    return len(order)


_ENTRY = (_T.c.position, _T.c.organization_id, _T.c.score, _T.c.relevance, _T.c.investor_contacts, _T.c.industries)


def read_ranking(engine: Engine, key: str, today: date, limit: int, industry: Optional[str] = None,
                 complete: bool = False) -> Optional[list[RankEntry]]:
    """The first `limit` cached organizations (in `industry`), or None when no fresh ranking
    is stored (or, with `complete`, when the stored one was partly ranked alone)."""
    with engine.connect() as conn:
        if not _fresh(conn, key, today, complete):
            return None
        q = select(*_ENTRY).where(_T.c.profile_key == key, _T.c.position > 0).order_by(_T.c.position).limit(limit)
        if industry:
            # Industries are a JSON list: its text holds the quoted name (as in radar.queries).
            q = q.where(func.lower(cast(_T.c.industries, Text)).like(f'%{json.dumps(industry.lower())}%'))
        return [RankEntry(r[0], r[1], r[2], r[3], r[4], list(r[5] or [])) for r in conn.execute(q)]


def ranked_count(engine: Engine, key: str, today: date) -> Optional[int]:
    """How many organizations the fresh ranking stored for `key` holds; None when none is fresh."""
    with engine.connect() as conn:
        header = _fresh(conn, key, today)
        return None if header is None else int(header.score or 0)


def read_ranked(engine: Engine, key: str, today: date, organization_id: int) -> Optional[RankEntry]:
    """One organization's cached place, or None when it is not ranked there or nothing fresh is stored."""
    with engine.connect() as conn:
        if not _fresh(conn, key, today):
            return None
        r = conn.execute(select(*_ENTRY).where(_T.c.profile_key == key, _T.c.organization_id == organization_id,
                                               _T.c.position > 0)).first()
        return RankEntry(r[0], r[1], r[2], r[3], r[4], list(r[5] or [])) if r else None


def save_ranking(engine: Engine, key: str, today: date, version: str, ranked: list[RankedRow]) -> None:
    """Replace the stored ranking for `key`; a failure (a read-only database, a concurrent
    store of the same ranking) is logged and leaves ranking itself unaffected. A damaged
    database is refused before anything is written (radar.db.check_before_writing)."""
    check_before_writing(engine)
    now = datetime.now(UTC)
    # Every row names every column: the table's defaults are SQLModel's, which Core inserts skip.
    rows: list[dict[str, Any]] = [{"profile_key": key, "position": 0, "day": today, "data_version": version,
                                   "organization_id": None, "score": float(len(ranked)), "relevance": 1.0,
                                   "investor_contacts": 0, "industries": [], "computed_at": now}]
    rows += [{"profile_key": key, "position": i, "day": today, "data_version": version, "organization_id": oid,
              "score": score, "relevance": relevance, "investor_contacts": investors, "industries": industries,
              "computed_at": now} for i, (oid, score, relevance, investors, industries) in enumerate(ranked, 1)]
    try:
        with engine.begin() as conn:
            conn.execute(delete(_T).where(_T.c.profile_key == key))
            old = select(_T.c.profile_key).where(_T.c.position == 0, _T.c.day < today - timedelta(days=KEEP_DAYS))
            conn.execute(delete(_T).where(_T.c.profile_key.in_(old.scalar_subquery())))
            for start in range(0, len(rows), 5000):
                conn.execute(insert(_T), rows[start:start + 5000])
    except SQLAlchemyError as e:
        logger.warning("could not store the ranking in rank_cache (%s); the next query ranks again",
                       str(e).splitlines()[0])


def clear_rankings(engine: Engine) -> None:
    """Drop every stored ranking (tests, and a user who edited the database by hand)."""
    with engine.begin() as conn:
        conn.execute(delete(_T))
