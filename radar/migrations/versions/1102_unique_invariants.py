"""the database enforces the invariants: one organization per normalized name, CIK and domain,
one organization per alias, one digest run per profile and ISO week (claimed before sending)

Before this revision two processes resolving the same name at once each created an
organization (two `radar extract` turned 300 organizations into 600). The upgrade first
merges the twins that already exist, then adds the unique indexes:

- organizations sharing a normalized name, a CIK or a domain are one group; the richest
  (most signals, then contacts, then filled fields, then the oldest) is kept, the others'
  signals, facts, contacts and aliases are moved to it and their empty fields fill its gaps;
  documents that mentioned a moved signal are marked for extraction again, so the next
  `radar extract` folds the moved signals into the kept organization's events;
- an alias naming two organizations keeps the one whose own name it is (else the oldest);
- digest runs of one week keep the sent one (else the newest).

Revision ID: 1102
Revises: 1101
Create Date: 2026-12-02 08:00:00
"""
from collections import defaultdict
from typing import Any, Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '1102'
down_revision: Union[str, None] = '1101'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

ORG_FIELDS = ("domain", "cik", "sic", "location", "stage", "size", "ticker", "employees")


class _Groups:
    """Union-find over organization ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


def _merge_organizations(conn: sa.Connection) -> None:
    orgs_table = sa.table("organization", sa.column("id"), sa.column("normalized"), *(sa.column(f) for f in ORG_FIELDS),
                          sa.column("industries", sa.JSON))
    orgs = {r.id: dict(r._mapping) for r in conn.execute(sa.select(orgs_table))}
    groups = _Groups()
    for field in ("normalized", "cik", "domain"):
        first: dict[str, int] = {}
        for org_id, row in orgs.items():
            value = row[field]
            if value:
                groups.union(org_id, first.setdefault(value, org_id))
    members: dict[int, list[int]] = defaultdict(list)
    for org_id in orgs:
        members[groups.find(org_id)].append(org_id)
    twins = [ids for ids in members.values() if len(ids) > 1]
    if not twins:
        return
    signals = dict(conn.execute(sa.text(
        "SELECT organization_id, count(*) FROM signal GROUP BY organization_id")).all())
    contacts = dict(conn.execute(sa.text(
        "SELECT organization_id, count(*) FROM contact WHERE organization_id IS NOT NULL "
        "GROUP BY organization_id")).all())

    def richness(org_id: int) -> tuple[int, int, int, int]:
        filled = sum(orgs[org_id][f] not in (None, "") for f in ORG_FIELDS) + bool(orgs[org_id]["industries"])
        return signals.get(org_id, 0), contacts.get(org_id, 0), filled, -org_id

    for ids in twins:
        keep = max(ids, key=richness)
        gone = [i for i in ids if i != keep]
        fill: dict[str, Any] = {}
        for other in sorted(gone, key=richness, reverse=True):
            for f in ORG_FIELDS:
                if orgs[keep][f] in (None, "") and f not in fill and orgs[other][f] not in (None, ""):
                    fill[f] = orgs[other][f]
        if not orgs[keep]["industries"]:
            richest = next((orgs[o]["industries"] for o in gone if orgs[o]["industries"]), None)
            if richest:
                fill["industries"] = richest
        params = {"keep": keep, "gone": gone}
        expanding = [sa.bindparam("gone", expanding=True)]
        conn.execute(sa.text(
            "UPDATE document SET extractor_version = NULL WHERE id IN (SELECT m.document_id FROM signal_mention m "
            "JOIN signal s ON s.id = m.signal_id WHERE s.organization_id IN :gone)").bindparams(*expanding), params)
        _drop_twin_aliases(conn, keep, ids)
        for table in ("signal", "contact", "org_alias", "org_fact"):
            conn.execute(sa.text(f"UPDATE {table} SET organization_id = :keep WHERE organization_id IN :gone")
                         .bindparams(*expanding), params)
        conn.execute(sa.text("DELETE FROM organization WHERE id IN :gone").bindparams(*expanding), params)
        if fill:
            conn.execute(orgs_table.update().where(orgs_table.c.id == keep).values(**fill))


def _drop_twin_aliases(conn: sa.Connection, keep: int, ids: list[int]) -> None:
    """Aliases the kept organization would hold twice once its twins' aliases move to it."""
    rows = conn.execute(sa.text("SELECT id, organization_id, normalized FROM org_alias WHERE organization_id IN :ids")
                        .bindparams(sa.bindparam("ids", expanding=True)), {"ids": ids}).all()
    seen: set[str] = set()
    drop = []
    for r in sorted(rows, key=lambda r: (r.organization_id != keep, r.id)):
        if r.normalized in seen:
            drop.append(r.id)
        seen.add(r.normalized)
    if drop:
        conn.execute(sa.text("DELETE FROM org_alias WHERE id IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)), {"ids": drop})


def _dedupe_aliases(conn: sa.Connection) -> None:
    """One organization per alias: keep the organization whose own name it is, else the oldest row."""
    rows = conn.execute(sa.text(
        "SELECT a.id, a.normalized, a.organization_id, o.normalized AS own FROM org_alias a "
        "JOIN organization o ON o.id = a.organization_id ORDER BY a.id")).all()
    by_norm: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_norm[r.normalized].append(r)
    drop = []
    for same in by_norm.values():
        if len(same) > 1:
            keep = next((r for r in same if r.own == r.normalized), same[0])
            drop += [r.id for r in same if r.id != keep.id]
    for i in range(0, len(drop), 500):
        conn.execute(sa.text("DELETE FROM org_alias WHERE id IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)), {"ids": drop[i:i + 500]})


def _dedupe_digest_runs(conn: sa.Connection) -> None:
    """One run per week: the sent one if any, else the newest."""
    rows = conn.execute(sa.text(
        "SELECT id, iso_week, status, created_at FROM digest_run ORDER BY iso_week")).all()
    by_week: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        by_week[r.iso_week].append(r)
    drop = []
    for same in by_week.values():
        if len(same) > 1:
            keep = max(same, key=lambda r: (r.status == "sent", str(r.created_at), r.id))
            drop += [r.id for r in same if r.id != keep.id]
    if drop:
        conn.execute(sa.text("DELETE FROM digest_run WHERE id IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)), {"ids": drop})


def upgrade() -> None:
    conn = op.get_bind()
    _merge_organizations(conn)
    _dedupe_aliases(conn)
    _dedupe_digest_runs(conn)
    # Rankings cached before the merge name organizations that no longer exist.
    conn.execute(sa.text("DELETE FROM rank_cache"))
    nonempty = sa.text("normalized <> ''")
    op.drop_index('ix_organization_normalized', table_name='organization')
    op.create_index('ix_organization_normalized', 'organization', ['normalized'], unique=True,
                    sqlite_where=nonempty, postgresql_where=nonempty)
    for column in ("cik", "domain"):
        op.drop_index(f'ix_organization_{column}', table_name='organization')
        op.create_index(f'ix_organization_{column}', 'organization', [column], unique=True)
    op.drop_index('ix_org_alias_normalized', table_name='org_alias')
    op.create_index('ix_org_alias_normalized', 'org_alias', ['normalized'], unique=True)
    with op.batch_alter_table('digest_run') as batch:
        batch.add_column(sa.Column('profile', sa.String(), server_default='default', nullable=False))
        batch.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch.create_unique_constraint('uq_digest_run_profile_week', ['profile', 'iso_week'])


def downgrade() -> None:
    with op.batch_alter_table('digest_run') as batch:
        batch.drop_constraint('uq_digest_run_profile_week', type_='unique')
        batch.drop_column('claimed_at')
        batch.drop_column('profile')
    op.drop_index('ix_org_alias_normalized', table_name='org_alias')
    op.create_index('ix_org_alias_normalized', 'org_alias', ['normalized'])
    for column in ("normalized", "cik", "domain"):
        op.drop_index(f'ix_organization_{column}', table_name='organization')
        op.create_index(f'ix_organization_{column}', 'organization', [column])
