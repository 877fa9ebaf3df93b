"""The tables radar's read paths name, as SQLAlchemy Core clauses.

`radar signals` and `radar orgs top` start in a new process for every call: the SQLModel
table classes (radar.models) import SQLModel, the ORM and pydantic models, about half of
such a command's start-up, to build SQL that these lightweight clauses build alike. They
name only the columns the queries, the ranking and its cache read or write, with the same
types (tests/test_light_tables.py holds them to radar.models); the schema itself is defined
once, in radar.models and its migrations.
"""
from collections.abc import Iterator
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, Integer, String, column, table
from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

SIGNAL = table(
    "signal", column("id", Integer), column("event_date", Date), column("organization_id", Integer),
    column("type", String), column("subtype", String), column("confidence", Float), column("evidence", String),
    column("title", String), column("url", String), column("mentions", Integer), column("attributes", JSON),
    column("document_id", Integer))
ORGANIZATION = table(
    "organization", column("id", Integer), column("name", String), column("normalized", String),
    column("industries", JSON), column("location", String), column("stage", String), column("domain", String),
    column("size", String), column("sic", Integer))
ORG_ALIAS = table("org_alias", column("id", Integer), column("organization_id", Integer), column("alias", String),
                  column("normalized", String))
ORG_FACT = table("org_fact", column("id", Integer))
SIGNAL_MENTION = table("signal_mention", column("id", Integer), column("signal_id", Integer),
                       column("document_id", Integer))
DOCUMENT = table("document", column("id", Integer), column("source_id", Integer), column("title", String),
                 column("text", String), column("meta", JSON))
DOCUMENT_URL = table("document_url", column("document_id", Integer), column("source_id", Integer))
SOURCE = table("source", column("id", Integer), column("name", String), column("industries", JSON))
CONTACT = table("contact", column("id", Integer), column("profile", String), column("full_name", String),
                column("position", String), column("company", String), column("organization_id", Integer),
                column("imported_at", DateTime(timezone=True)))
RANK_CACHE = table(
    "rank_cache", column("profile_key", String), column("position", Integer), column("day", Date),
    column("data_version", String), column("organization_id", Integer), column("score", Float),
    column("relevance", Float), column("investor_contacts", Integer), column("industries", JSON),
    column("computed_at", DateTime(timezone=True)))

TABLES = (SIGNAL, ORGANIZATION, ORG_ALIAS, ORG_FACT, SIGNAL_MENTION, DOCUMENT, DOCUMENT_URL, SOURCE, CONTACT,
          RANK_CACHE)


class PlainQuery:
    """A SELECT compiled once per dialect, its rows read with the driver's own cursor, on the
    connection's transaction; run again with new values for its parameters (an expanding IN
    list included).

    For the streams a whole ranking reads (every signal, mention and document of two years):
    SQLAlchemy's result rows cost a Python call and a row object per row, and compiling a
    statement for each chunk of an IN list cost more than running it. Values come as the
    driver gives them, without SQLAlchemy's result processing (SQLite: dates as ISO text, JSON
    as text): select such columns through type_coerce/cast, as radar.store.world does. Bound
    values are processed as SQLAlchemy would. Kept at module level, a query is compiled once
    per process (SQLAlchemy's own statement cache does not serve this path).
    """

    def __init__(self, stmt: Select[Any]):
        self.stmt = stmt
        self._compiled: dict[tuple[str, str, str], tuple[Any, dict[str, Any]]] = {}

    def _compile(self, conn: Connection) -> tuple[Any, dict[str, Any]]:
        dialect = (conn.dialect.name, conn.dialect.driver, conn.dialect.paramstyle)  # what the SQL text depends on
        found = self._compiled.get(dialect)
        if found is None:
            compiled = self.stmt.compile(dialect=conn.dialect)
            process = {}
            for name, bind in compiled.binds.items():
                processor = bind.type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
                if processor is not None:
                    process[name] = processor
            found = self._compiled[dialect] = (compiled, process)
        return found

    def rows(self, conn: Connection, **values: Any) -> Iterator[tuple[Any, ...]]:
        compiled, process = self._compile(conn)
        state = compiled.construct_expanded_state(values)
        params = dict(state.parameters)
        for name, processor in process.items():
            if name in params:
                params[name] = processor(params[name])
        args: Any = tuple(params[k] for k in state.positiontup or ()) if compiled.positional else params
        cursor = conn.connection.cursor()
        try:
            cursor.execute(state.statement, args)
            while batch := cursor.fetchmany(2000):
                yield from batch
        finally:
            cursor.close()

