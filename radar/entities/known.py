"""Known organizations in memory, loaded once per process and topped up with what was added.

Extraction needs every stored name (to ground and tag names the model misses) and the
alias index (to resolve mentions). Loading them whole on every crawl job made a job's cost
follow the database's size; here a job reads only the rows added since the last one.
Organizations and aliases are only ever added (resolution creates them, nothing renames
or deletes them), so a count that does not add up means the table changed in some other
way (or ids were committed out of order), and everything is read again.
"""
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from radar.entities.resolve import AliasIndex
from radar.models import Organization


@dataclass
class KnownOrganizations:
    index: AliasIndex = field(default_factory=AliasIndex)
    names: list[str] = field(default_factory=list)
    count: int = 0  # organizations read
    last_org: int = 0  # the highest id read

    def reset(self) -> None:
        """Forget everything: the next refresh reads every organization and alias."""
        self.index, self.names, self.count, self.last_org = AliasIndex(), [], 0, 0

    def refresh(self, session: Session) -> tuple[list[str], bool]:
        """Read what was added since the last call: (the new organizations' names, whether
        everything was read again, so `names` is whole rather than extended)."""
        total = session.exec(select(func.count()).select_from(Organization)).one()
        rows = _names_after(session, self.last_org)
        reloaded = total > self.count + len(rows) or total < self.count
        if reloaded:
            self.reset()
            rows = _names_after(session, 0)
        self.index.refresh(session)
        new = [name for _, name in rows if name]
        self.names += new
        self.count += len(rows)
        self.last_org = max((oid for oid, _ in rows), default=self.last_org)
        return new, reloaded


def _names_after(session: Session, last: int) -> list[tuple[int, str]]:
    q = select(Organization.id, Organization.name).where(col(Organization.id) > last).order_by(col(Organization.id))
    return [(oid or 0, name) for oid, name in session.exec(q)]
