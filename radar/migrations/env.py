"""Alembic environment: radar passes its engine in `config.attributes["engine"]`."""
from alembic import context
from sqlmodel import SQLModel

import radar.models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata
engine = context.config.attributes["engine"]


def include_name(name: object, type_: str, _parent: object) -> bool:
    # procrastinate's tables (PostgreSQL, revision 0901) are its own: autogenerate must not
    # propose dropping them.
    return not (type_ == "table" and isinstance(name, str) and name.startswith("procrastinate_"))


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        # SQLite's DDL is transactional too; Alembic assumes not and commits after each revision,
        # which would let a second process see (and redo) half an upgrade.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        # Two processes starting on one new database both find it behind: the first to take this
        # lock migrates, the other waits for it and then finds the schema at head (Alembic reads
        # the current revision inside run_migrations, after the lock).
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # the write lock; busy_timeout makes the other wait
        elif connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(7261746172)")  # "radar" as digits
        context.run_migrations()
    connection.commit()
