"""Signal queries: filters parsed from user input into SQLAlchemy expressions with bound parameters.

Nothing here builds SQL from strings: every user value reaches the database as a bound
parameter (LIKE patterns are escaped first), so a hostile filter can only fail to match.
Dates accept ISO dates or relative ages (7d, 4w, 3m, 1y, today, yesterday).
"""
import heapq
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Optional

from dateutil.relativedelta import relativedelta
from sqlalchemy import Text, and_, bindparam, cast, exists, func, not_, or_, select, type_coerce
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from radar import store
from radar.entities.normalize import normalize_name
from radar.errors import UsageError
from radar.light_tables import DOCUMENT, ORG_ALIAS, ORGANIZATION, SIGNAL, SIGNAL_MENTION, SOURCE
from radar.settings import Settings
from radar.vocabulary import SIGNAL_TYPES

SORTS = ("date", "score", "confidence")
_RELATIVE = re.compile(r"^\s*(\d{1,5})\s*([dwmy])\s*$", re.I)
LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class SignalFilter:
    """What `radar signals` asks for; every field optional."""

    types: tuple[str, ...] = ()
    org: Optional[str] = None
    industry: Optional[str] = None
    since: Optional[date] = None
    until: Optional[date] = None
    min_confidence: Optional[float] = None
    source: Optional[str] = None
    text: Optional[str] = None
    limit: int = 50
    sort: str = "date"


@dataclass
class SignalRow:
    id: int
    date: date
    organization: str
    organization_id: int
    type: str
    subtype: Optional[str]
    confidence: float
    evidence: str
    title: Optional[str]
    url: Optional[str]
    mentions: int
    attributes: dict[str, Any] = field(default_factory=dict)
    score: Optional[float] = None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.date, "organization": self.organization,
                "organization_id": self.organization_id,
                "type": self.type, "subtype": self.subtype, "confidence": self.confidence, "score": self.score,
                "evidence": self.evidence, "title": self.title, "url": self.url, "mentions": self.mentions,
                "attributes": self.attributes}


# ---------------------------------------------------------------- parsing user values

def parse_day(value: Optional[str], today: date, option: str) -> Optional[date]:
    """An ISO date, or an age such as 7d, 4w, 3m, 1y counted back from today."""
    if value is None or value.strip() == "":
        return None
    v = value.strip().lower()
    if v == "today":
        return today
    if v == "yesterday":
        return today - timedelta(days=1)
    m = _RELATIVE.match(v)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        delta = {"d": relativedelta(days=n), "w": relativedelta(weeks=n), "m": relativedelta(months=n),
                 "y": relativedelta(years=n)}[unit]
        try:
            return today - delta
        except (ValueError, OverflowError):  # before year 1
            raise UsageError(f"{option} {value!r} reaches back before year 1; "
                             "give a smaller age or a date (YYYY-MM-DD)") from None
    try:
        return date.fromisoformat(v)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date; "
                         "use YYYY-MM-DD or an age such as 7d, 4w, 3m or 1y") from None


def parse_confidence(value: Optional[float]) -> Optional[float]:
    if value is None:
        return None
    if not 0.0 <= value <= 1.0:
        raise UsageError(f"--min-confidence {value} is out of range; use a number from 0 to 1, such as 0.6")
    return value


def parse_types(values: Optional[Sequence[str]]) -> tuple[str, ...]:
    """Signal types, repeatable or comma-separated; unknown names are refused with the list."""
    out: list[str] = []
    for raw in values or ():
        for t in raw.split(","):
            t = t.strip().lower().replace("-", "_")
            if not t:
                continue
            if t not in SIGNAL_TYPES:
                raise UsageError(f"unknown signal type '{t}'; allowed: {', '.join(SIGNAL_TYPES)}")
            if t not in out:
                out.append(t)
    return tuple(out)


def parse_sort(value: str) -> str:
    v = value.strip().lower()
    if v not in SORTS:
        raise UsageError(f"unknown sort '{value}'; allowed: {', '.join(SORTS)}")
    return v


def build_filter(*, types: Optional[Sequence[str]] = None, org: Optional[str] = None, industry: Optional[str] = None,
                 since: Optional[str] = None, until: Optional[str] = None, min_confidence: Optional[float] = None,
                 source: Optional[str] = None, text: Optional[str] = None, limit: int = 50, sort: str = "date",
                 today: date) -> SignalFilter:
    """Validate raw command-line values into a SignalFilter; raises UsageError naming the bad value."""
    f = SignalFilter(parse_types(types), _blank(org), _blank(industry), parse_day(since, today, "--since"),
                     parse_day(until, today, "--until"), parse_confidence(min_confidence), _blank(source),
                     _blank(text), limit, parse_sort(sort))
    if f.since and f.until and f.since > f.until:
        raise UsageError(f"--since {f.since} is after --until {f.until}; swap them")
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    return f


def _blank(v: Optional[str]) -> Optional[str]:
    return v.strip() if v and v.strip() else None


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with the wildcards in `text` taken literally."""
    esc = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"%{esc}%"


# ---------------------------------------------------------------- filters as expressions

def _org_ids(name: str) -> Any:
    """Organizations whose name or alias is `name`, or contains it."""
    norm = normalize_name(name)
    pattern = like_pattern(norm or name.lower())
    by_alias = select(ORG_ALIAS.c.organization_id).where(ORG_ALIAS.c.normalized.like(pattern, escape=LIKE_ESCAPE))
    return select(ORGANIZATION.c.id).where(or_(ORGANIZATION.c.normalized.like(pattern, escape=LIKE_ESCAPE),
                                                  ORGANIZATION.c.id.in_(by_alias)))


def _industry_ids(industry: str, overrides: dict[str, list[str]]) -> Any:
    """Organizations in an industry; the user's overrides (by organization name) win over stored industries."""
    # Industries are a JSON list; matching its text with the quoted value works alike on SQLite and PostgreSQL.
    stored = func.lower(cast(ORGANIZATION.c.industries, Text)).like(like_pattern(json.dumps(industry.lower())),
                                                                  escape=LIKE_ESCAPE)
    names_in = [n for n, inds in overrides.items() if industry in inds]
    names_out = [n for n, inds in overrides.items() if industry not in inds]
    cond = and_(stored, not_(ORGANIZATION.c.name.in_(names_out))) if names_out else stored
    if names_in:
        cond = or_(cond, ORGANIZATION.c.name.in_(names_in))
    return select(ORGANIZATION.c.id).where(cond)


def _from_source(source_id: int) -> ColumnElement[bool]:
    """The signal was reported by a document of this source (any mention counts)."""
    return exists(select(SIGNAL_MENTION.c.id).join(DOCUMENT, DOCUMENT.c.id == SIGNAL_MENTION.c.document_id)
                  .where(SIGNAL_MENTION.c.signal_id == SIGNAL.c.id, DOCUMENT.c.source_id == source_id))


def _no_index(column: Any) -> Any:
    """The column in an expression SQLite cannot use an index for (`+x`-style), so the planner
    walks the date index newest-first and stops after `limit` rows instead of collecting and
    sorting every match of a broad filter. PostgreSQL plans it the same as the bare column."""
    return column + 0 if column.type.python_type is int else column + ""


def conditions(f: SignalFilter, conn: Connection, settings: Optional[Settings] = None) -> list[ColumnElement[bool]]:
    """The WHERE conditions for a filter; every value is a bound parameter."""
    conds: list[ColumnElement[bool]] = []
    if len(f.types) == 1:
        conds.append(SIGNAL.c.type == f.types[0])
    elif f.types:
        # Several types: matches are dense, so the date index wins over merging per-type ranges.
        conds.append(_no_index(SIGNAL.c.type).in_(f.types))
    if f.since:
        conds.append(SIGNAL.c.event_date >= f.since)
    if f.until:
        conds.append(SIGNAL.c.event_date <= f.until)
    if f.min_confidence is not None:
        conds.append(SIGNAL.c.confidence >= f.min_confidence)
    if f.org:
        conds.append(SIGNAL.c.organization_id.in_(_org_ids(f.org)))
    if f.industry:
        overrides = settings.industries.overrides if settings else {}
        # An industry holds thousands of organizations: check membership while walking the date index.
        conds.append(_no_index(SIGNAL.c.organization_id).in_(_industry_ids(f.industry, overrides)))
    if f.source:
        src = conn.execute(select(SOURCE.c.id).where(SOURCE.c.name == f.source)).scalar()
        if src is None:
            known = sorted(conn.execute(select(SOURCE.c.name)).scalars())
            shown = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
            raise UsageError(f"unknown source '{f.source}'; known: {shown or 'none yet (see radar sources list)'}")
        conds.append(_from_source(src))
    if f.text:
        pattern = like_pattern(f.text)
        conds.append(or_(SIGNAL.c.evidence.ilike(pattern, escape=LIKE_ESCAPE),
                         SIGNAL.c.title.ilike(pattern, escape=LIKE_ESCAPE)))
    return conds


_COLUMNS = (SIGNAL.c.id, SIGNAL.c.event_date, SIGNAL.c.organization_id, SIGNAL.c.type, SIGNAL.c.subtype,
            SIGNAL.c.confidence, SIGNAL.c.evidence, SIGNAL.c.title, SIGNAL.c.url, SIGNAL.c.mentions,
            SIGNAL.c.attributes)


def signals_query(f: SignalFilter, conn: Connection, settings: Optional[Settings] = None) -> Any:
    """The SELECT for a filter, sorted by date or confidence, limited (score sorting happens in Python)."""
    conds = conditions(f, conn, settings)
    if f.sort == "score" and settings is not None:
        # Signals the ranking ignores score 0: leave them in the database.
        conds.append(SIGNAL.c.confidence >= settings.ranking.min_confidence)
    # The name comes from a correlated lookup rather than a join, so `signal` is the only table
    # the planner can drive from and its indexes decide the plan.
    name = select(ORGANIZATION.c.name).where(ORGANIZATION.c.id == SIGNAL.c.organization_id).scalar_subquery()
    q = select(*_COLUMNS, name)
    if conds:
        q = q.where(*conds)
    if f.sort == "confidence":
        return q.order_by(SIGNAL.c.confidence.desc(), SIGNAL.c.event_date.desc(),
                          SIGNAL.c.id.desc()).limit(f.limit)
    if f.sort == "date":
        return q.order_by(SIGNAL.c.event_date.desc(), SIGNAL.c.id.desc()).limit(f.limit)
    return q


def _row(r: Any) -> SignalRow:
    return SignalRow(id=r[0], date=r[1], organization_id=r[2], type=r[3], subtype=r[4], confidence=r[5], evidence=r[6],
                     title=r[7], url=r[8], mentions=r[9], attributes=dict(r[10] or {}), organization=r[11])


def find_signals(engine: Engine, f: SignalFilter, settings: Optional[Settings] = None,
                 today: Optional[date] = None) -> list[SignalRow]:
    """Signals matching the filter, newest first, most confident first, or highest ranking contribution first."""
    with store.reading(engine) as s:
        q = signals_query(f, s, settings)
        if f.sort != "score":
            return [_row(r) for r in s.execute(q)]
        if settings is None or today is None:
            raise UsageError("sorting by score needs the profile: pass settings and today")
        scores = score_matches(s, q, settings, today, f.limit)
        if not scores:
            return []
        full = {r[0]: _row(r) for r in s.execute(q.where(SIGNAL.c.id.in_(list(scores))))}
    rows = [full[i] for i in scores if i in full]
    for r in rows:
        r.score = scores[r.id]
    return rows


def score_matches(conn: Connection, q: Any, settings: Settings, today: date, limit: int) -> dict[int, float]:
    """Ids of the `limit` matches with the largest ranking contribution, best first, with their scores.

    The score is the signal's contribution in `radar orgs top` (radar.rank.score), overlap
    damping included, which depends on the organization's other signals. A threshold search,
    so that most matches are never read one by one:

    1. one GROUP BY over ix_signal_score_scan gives the groups of matches sharing date, type,
       subtype, mentions and attributes; within a group a contribution before damping is one
       factor (rule, need, recency, corroboration: computed once) times the confidence;
    2. rows are visited in descending order of that undamped value across all groups (each
       group read by confidence, a page at a time), and scored exactly, with the damping of
       their organization's other signals, until no remaining value can enter the top `limit`
       (damping only ever lowers a positive contribution);
    3. groups that contribute nothing or count against are read only when fewer than `limit`
       positive matches were found.
    """
    from radar.rank.score import PartMemo

    model = _model(settings)
    memo: PartMemo = {}
    where = q.whereclause
    factor = _Factors(model, settings, today)
    groups = []
    attrs = attributes_text(conn.dialect.name)
    for when, typ, sub, mentions, raw, top_conf, _lowest in conn.execute(score_groups_query(where, attrs)):
        groups.append(_Group((when, typ, sub, mentions, raw), *factor(typ, sub, raw, when, mentions), top_conf))
    best: list[tuple[float, int]] = []
    rows = _GroupRows(where, attrs)
    exact: dict[int, dict[int, float]] = {}
    pending: list[tuple[float, int, int]] = []

    def flush() -> None:
        exact.update(_exact(conn, {oid for _, _, oid in pending} - set(exact), model, settings, today, memo))
        for value, sid, oid in pending:
            # A match older than the ranking's horizon keeps its value.
            _keep(best, limit, (exact[oid].get(sid, value), sid))
        pending.clear()

    frontier = [(-g.value(g.top_conf), i) for i, g in enumerate(groups) if g.per_confidence > 0]
    heapq.heapify(frontier)
    while frontier:
        bound, i = -frontier[0][0], frontier[0][1]
        # 1e-4: scores are rounded to four places.
        if len(best) >= limit and bound + 1e-4 < best[0][0]:
            if not pending:
                break
            flush()  # the rows waiting for their organizations may raise the bar
            continue
        heapq.heappop(frontier)
        g = groups[i]
        row = g.next_row(conn, rows)
        if row is None:
            continue
        sid, oid, conf = row
        pending.append((g.value(conf), sid, oid))
        if len(pending) >= PAGE:
            flush()
        upcoming = g.peek_conf(conn, rows)
        if upcoming is not None:
            heapq.heappush(frontier, (-g.value(upcoming), i))
    flush()
    # Zero and negative groups are not damped: the best `limit` rows of each are enough, and
    # none when `limit` positive matches were found (searched first: zeros never end the search).
    if len(best) < limit or best[0][0] <= 0:
        for g in (g for g in groups if g.per_confidence <= 0):
            for sid, _, conf in g.read(conn, rows, _LEAST_CONFIDENT if g.per_confidence < 0 else _NEWEST, limit):
                _keep(best, limit, (g.value(conf), sid))
    return {sid: score for score, sid in sorted(best, reverse=True)}


def attributes_text(dialect: str) -> Any:
    """A signal's attributes as JSON text, written as ix_signal_score_scan indexes them."""
    # SQLite stores JSON as text: the bare column (an index on it covers the query); PostgreSQL casts.
    return type_coerce(SIGNAL.c.attributes, Text) if dialect == "sqlite" else cast(SIGNAL.c.attributes, Text)


def score_groups_query(where: Any, attrs: Any) -> Any:
    """The groups of matches that share everything a contribution depends on but confidence."""
    keys = (SIGNAL.c.event_date, SIGNAL.c.type, SIGNAL.c.subtype, SIGNAL.c.mentions, attrs)
    grouped = select(*keys, func.max(SIGNAL.c.confidence), func.min(SIGNAL.c.confidence)).group_by(*keys)
    return grouped if where is None else grouped.where(where)


class _GroupRows:
    """The statements reading one group's rows, built once per search and run with each
    group's values as parameters (building a statement costs more than running it here)."""

    def __init__(self, where: Any, attrs: Any) -> None:
        def stmt(null_subtype: bool) -> Any:
            q = select(SIGNAL.c.id, SIGNAL.c.organization_id, SIGNAL.c.confidence).where(
                SIGNAL.c.event_date == bindparam("g_date"), SIGNAL.c.type == bindparam("g_type"),
                SIGNAL.c.subtype.is_(None) if null_subtype else SIGNAL.c.subtype == bindparam("g_subtype"),
                SIGNAL.c.mentions == bindparam("g_mentions"), attrs == bindparam("g_attrs", type_=Text))
            return q if where is None else q.where(where)

        self.by_null = {flag: stmt(flag) for flag in (True, False)}
        self.paged: dict[tuple[bool, Any], Any] = {}

    def select(self, key: tuple[Any, ...]) -> tuple[Any, dict[str, Any]]:
        when, typ, sub, mentions, raw = key
        params = {"g_date": when, "g_type": typ, "g_mentions": mentions, "g_attrs": raw}
        if sub is not None:
            params["g_subtype"] = sub
        return self.by_null[sub is None], params

    def page(self, key: tuple[Any, ...], order: Any) -> tuple[Any, dict[str, Any]]:
        """select() in `order`, a page at a time (g_offset, g_limit); each statement built once."""
        stmt, params = self.select(key)
        built = self.paged.get((key[2] is None, order))
        if built is None:
            built = stmt.order_by(*order).offset(bindparam("g_offset")).limit(bindparam("g_limit"))
            self.paged[(key[2] is None, order)] = built
        return built, params


class _Group:
    """One group of matches, read by descending confidence a page at a time."""

    def __init__(self, key: tuple[Any, ...], unit: float, decay: float, corr: float, top_conf: float) -> None:
        from radar.rank.score import signal_value

        self.key, self.unit, self.decay, self.corr, self.top_conf = key, unit, decay, corr, top_conf
        self._value = signal_value
        self.per_confidence = signal_value(unit, decay, 1.0, corr)  # its sign: for or against, or nothing
        self.buffer: list[tuple[int, int, float]] = []
        self.offset, self.done = 0, False

    def value(self, conf: float) -> float:
        return round(self._value(self.unit, self.decay, conf, self.corr), 4)

    def read(self, conn: Any, rows: _GroupRows, order: Any, limit: int,
             offset: int = 0) -> list[tuple[int, int, float]]:
        q, params = rows.page(self.key, order)
        return [tuple(r) for r in conn.execute(q, {**params, "g_offset": offset, "g_limit": limit})]

    def _fill(self, conn: Any, rows: _GroupRows) -> None:
        if self.buffer or self.done:
            return
        page = self.read(conn, rows, _BY_CONFIDENCE, PAGE, self.offset)
        self.offset += len(page)
        self.done = len(page) < PAGE
        self.buffer = page[::-1]  # popped from the end

    def next_row(self, conn: Any, rows: _GroupRows) -> Optional[tuple[int, int, float]]:
        self._fill(conn, rows)
        return self.buffer.pop() if self.buffer else None

    def peek_conf(self, conn: Any, rows: _GroupRows) -> Optional[float]:
        self._fill(conn, rows)
        return self.buffer[-1][2] if self.buffer else None


_BY_CONFIDENCE = (SIGNAL.c.confidence.desc(), SIGNAL.c.id.desc())
_LEAST_CONFIDENT = (SIGNAL.c.confidence.asc(), SIGNAL.c.id.desc())  # a negative group's largest values
_NEWEST = (SIGNAL.c.id.desc(), SIGNAL.c.id.desc())  # a group of zeros


PAGE = 16  # rows read at a time from a group, and organizations loaded at a time, when sorting by score


def _keep(best: list[tuple[float, int]], limit: int, item: tuple[float, int]) -> None:
    """Keep `item` among the `limit` largest in the min-heap `best`."""
    if len(best) < limit:
        heapq.heappush(best, item)
    elif item > best[0]:
        heapq.heapreplace(best, item)


class _Factors:
    """A match's contribution divided by its confidence, before overlap damping: the rule and
    need matching once per (type, subtype, attributes), recency once per date."""

    def __init__(self, model: Any, settings: Settings, today: date) -> None:
        self.model, self.settings, self.today = model, settings, today
        self.parts: dict[tuple[str, Optional[str], str], tuple[float, float, float]] = {}

    def _part(self, typ: str, sub: Optional[str], raw: str) -> tuple[float, float, float]:
        from radar.rank.score import SignalView, unit_factors

        # Dated today, confidence 1, one report: only its type, subtype and attributes count here.
        unit = SignalView(0, typ, sub, self.today, 1.0, "", json.loads(raw), None, 1)
        found = unit_factors(unit, self.model, self.settings.profile, self.settings.ranking)
        return (0.0, 1.0, 0.0) if found is None else found

    def __call__(self, typ: str, sub: Optional[str], raw: Optional[str], when: date,
                 mentions: int) -> tuple[float, float, float]:
        """(the rule's value for the person, recency, corroboration): radar.rank.score.signal_value's
        factors but confidence."""
        from radar.rank.score import corroboration, recency

        key = (typ, sub, raw or "{}")
        if key not in self.parts:
            self.parts[key] = self._part(*key)
        unit, half_life, lead = self.parts[key]
        if not unit:
            return 0.0, 1.0, 1.0
        return unit, recency(when, self.today, half_life, lead), corroboration(mentions)


def _model(settings: Settings) -> Any:
    from radar.rank.world import model_for

    return model_for(settings)


def _exact(conn: Connection, org_ids: set[int], model: Any, settings: Settings, today: date,
           memo: Any) -> dict[int, dict[int, float]]:
    """Per organization, each signal's contribution to its score in the ranking, rounded."""
    from radar.rank.score import signal_contributions
    from radar.rank.world import signals_of

    return {oid: {c.signal.id: round(c.value, 4)
                  for c in signal_contributions(sigs, model, settings.profile, settings.ranking, today, memo)}
            for oid, sigs in signals_of(conn, org_ids, today).items()}


def explain(engine: Engine, f: SignalFilter, settings: Optional[Settings] = None) -> list[str]:
    """The database's plan for a filter (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL);
    for --sort score, the plan of the grouping pass, then of one group's rows."""
    with store.reading(engine) as s:
        q = signals_query(f, s, settings)
        if f.sort == "score":
            attrs = attributes_text(engine.dialect.name)
            stmt, _ = _GroupRows(q.whereclause, attrs).select((None, None, "", None, None))
            return [*_plan(s, engine, score_groups_query(q.whereclause, attrs)), "then per group:",
                    *_plan(s, engine, stmt.order_by(*_BY_CONFIDENCE).limit(PAGE))]
        return _plan(s, engine, q)


def _plan(conn: Connection, engine: Engine, q: Any) -> list[str]:
    compiled = q.compile(dialect=engine.dialect, compile_kwargs={"render_postcompile": True})
    if engine.dialect.name == "sqlite":
        params: Any = tuple(compiled.params[k] for k in (compiled.positiontup or ()))
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + str(compiled), params)
        return [str(r[-1]) for r in rows]
    rows = conn.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
    return [str(r[0]) for r in rows]
