"""procrastinate's job queue schema (PostgreSQL only), for `radar worker`

Revision ID: 0901
Revises: 0801
Create Date: 2026-12-02 08:00:00

SQLite databases get nothing: `radar worker` refuses them, and the single-machine path never
imports procrastinate. The schema is the pinned procrastinate's own SQL (pyproject.toml); a
later procrastinate release brings SQL migrations of its own, to be carried here as a new
revision (`procrastinate schema --migrations-path` lists them).
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0901'
down_revision: Union[str, None] = '0801'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    from procrastinate.schema import SchemaManager

    # Through the driver: SQLAlchemy's exec_driver_sql reads the `%` in the SQL as placeholders.
    bind.connection.driver_connection.execute(SchemaManager.get_schema())


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    for kind, names in (
        ('TABLE', ('procrastinate_events', 'procrastinate_periodic_defers', 'procrastinate_jobs',
                   'procrastinate_workers')),
        ('TYPE', ('procrastinate_job_to_defer_v1', 'procrastinate_job_event_type', 'procrastinate_job_status')),
    ):
        for name in names:
            op.execute(f'DROP {kind} IF EXISTS {name} CASCADE')
    op.execute("DO $$ DECLARE f record; BEGIN FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p "
               "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname LIKE 'procrastinate%' "
               "AND n.nspname = current_schema() LOOP EXECUTE 'DROP FUNCTION ' || f.sig || ' CASCADE'; "
               "END LOOP; END $$")
