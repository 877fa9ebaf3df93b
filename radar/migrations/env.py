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
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
