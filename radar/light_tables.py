"""The tables radar's read-only listing queries name, as SQLAlchemy Core clauses.

`radar signals` starts in a new process for every call: the SQLModel table classes
(radar.models) import SQLModel, the ORM and pydantic, about half of the command's start-up,
to build SQL that these lightweight clauses build alike. They name only the columns the
queries read, with the same types (tests/test_light_tables.py holds them to radar.models);
the schema itself is defined once, in radar.models and its migrations.
"""
from sqlalchemy import JSON, Date, Float, Integer, String, column, table

SIGNAL = table(
    "signal", column("id", Integer), column("event_date", Date), column("organization_id", Integer),
    column("type", String), column("subtype", String), column("confidence", Float), column("evidence", String),
    column("title", String), column("url", String), column("mentions", Integer), column("attributes", JSON),
    column("document_id", Integer))
ORGANIZATION = table(
    "organization", column("id", Integer), column("name", String), column("normalized", String),
    column("industries", JSON))
ORG_ALIAS = table("org_alias", column("organization_id", Integer), column("normalized", String))
SIGNAL_MENTION = table("signal_mention", column("id", Integer), column("signal_id", Integer),
                       column("document_id", Integer))
DOCUMENT = table("document", column("id", Integer), column("source_id", Integer))
SOURCE = table("source", column("id", Integer), column("name", String))

TABLES = (SIGNAL, ORGANIZATION, ORG_ALIAS, SIGNAL_MENTION, DOCUMENT, SOURCE)
