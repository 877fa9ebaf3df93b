"""contact.profile: each profile's own contacts (its warm paths); a person's key is unique
within a profile, not across profiles

Revision ID: 1204
Revises: 1203
Create Date: 2026-12-02 19:00:00
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes.AutoString)


revision: str = '1204'
down_revision: Union[str, None] = '1203'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Every contact imported so far is the config's profile's (the only one that had contacts).
    op.add_column('contact', sa.Column('profile', sqlmodel.sql.sqltypes.AutoString(), server_default='default',
                                       nullable=False))
    op.drop_index('ix_contact_key', table_name='contact')
    op.create_index('ix_contact_key', 'contact', ['key'], unique=False)
    op.create_index('ix_contact_profile_key', 'contact', ['profile', 'key'], unique=True)


def downgrade() -> None:
    op.execute("DELETE FROM contact WHERE profile <> 'default'")
    op.drop_index('ix_contact_profile_key', table_name='contact')
    op.drop_index('ix_contact_key', table_name='contact')
    op.create_index('ix_contact_key', 'contact', ['key'], unique=True)
    with op.batch_alter_table('contact') as batch:
        batch.drop_column('profile')
