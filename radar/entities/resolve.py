"""Entity resolution: a mention to one organization row, or a new one.

A wrong merge is worse than a missed one: exact keys (CIK, domain, normalized name,
alias) first; fuzzy matching only between long names with the same number of words,
the same first word and the same digits, at a high threshold. "Apple" never becomes
"Apple Hospitality REIT" (different length), "Meta" never "Metalogix" (too short).

The keys live in an `AliasIndex` loaded once per run and kept up to date as
organizations are created, so resolving a mention costs dictionary look-ups, not queries.
The database holds the same keys as unique indexes: another process may have created the
organization since the index was loaded, so a new organization is inserted with ON CONFLICT
DO NOTHING and, when it loses, the row that won is used.
"""
import logging
import re
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Optional

from rapidfuzz import fuzz, process
from sqlalchemy import or_, update
from sqlmodel import Session, col, select

from radar.db import insert_new
from radar.entities.normalize import domain_of, normalize_name
from radar.models import OrgAlias, Organization, table_of

logger = logging.getLogger(__name__)

FUZZY_MIN_LEN = 10
FUZZY_THRESHOLD = 93
# Names made only of these words are too generic to match approximately.
GENERIC_WORDS = frozenset({
    "global", "international", "capital", "partners", "ventures", "technologies", "technology", "systems",
    "solutions", "services", "health", "energy", "bank", "financial", "group", "labs", "digital", "data",
    "software", "network", "networks", "media", "and", "of", "the", "company", "industries", "management",
})


def _digits(s: str) -> str:
    return "".join(re.findall(r"\d", s))


def fuzzy_allowed(na: str, nb: str) -> bool:
    """Whether two different normalized names may be compared approximately at all."""
    wa, wb = na.split(), nb.split()
    if min(len(na), len(nb)) < FUZZY_MIN_LEN or len(wa) != len(wb) or len(wa) < 2:
        return False
    if wa[0] != wb[0] or _digits(na) != _digits(nb):
        return False
    # Only spelling slips inside long words: "IV" vs "VI", "Peak" vs "Point" are other firms.
    if any(x != y and (min(len(x), len(y)) < 5 or fuzz.ratio(x, y) < 85) for x, y in zip(wa, wb, strict=True)):
        return False
    return not (set(wa) <= GENERIC_WORDS or set(wb) <= GENERIC_WORDS)


def same_org(a: str, b: str) -> bool:
    """Whether two names may be merged: equal keys, or near-equal long, specific names."""
    na, nb = normalize_name(a), normalize_name(b)
    if na == nb:
        return bool(na)
    return fuzzy_allowed(na, nb) and fuzz.ratio(na, nb) >= FUZZY_THRESHOLD


class AliasIndex:
    """Normalized names, CIKs and domains of every known organization, in memory."""

    def __init__(self) -> None:
        self.by_norm: dict[str, int] = {}
        self.by_cik: dict[str, int] = {}
        self.by_domain: dict[str, int] = {}
        self._by_first: dict[tuple[str, int], list[str]] = defaultdict(list)
        self._seen = (0, 0)  # the highest organization and alias ids loaded

    @classmethod
    def load(cls, session: Session) -> "AliasIndex":
        idx = cls()
        idx.refresh(session)
        return idx

    def refresh(self, session: Session) -> None:
        """Add the organizations and aliases stored since the last load: another process (a
        `radar worker`) may have created them while this one was reading documents."""
        org_max, alias_max = self._seen
        for org in session.exec(select(Organization).where(col(Organization.id) > org_max)
                                .order_by(col(Organization.id))):
            self.add(org.id, org.normalized,  # type: ignore[arg-type]  # a stored row has an id
                     cik=org.cik, domain=org.domain)
            org_max = max(org_max, org.id or 0)
        for alias in session.exec(select(OrgAlias).where(col(OrgAlias.id) > alias_max).order_by(col(OrgAlias.id))):
            self.add(alias.organization_id, alias.normalized)
            alias_max = max(alias_max, alias.id or 0)
        self._seen = (org_max, alias_max)

    def copy(self) -> "AliasIndex":
        """An index to resolve with in one run: its additions stay out of this one until
        committed and read back (a rolled-back batch leaves no keys behind)."""
        out = AliasIndex()
        out.by_norm, out.by_cik, out.by_domain = dict(self.by_norm), dict(self.by_cik), dict(self.by_domain)
        out._by_first = defaultdict(list, {k: list(v) for k, v in self._by_first.items()})
        out._seen = self._seen
        return out


    def add(self, org_id: int, norm: str, *, cik: Optional[str] = None, domain: Optional[str] = None) -> None:
        if norm and norm not in self.by_norm:
            self.by_norm[norm] = org_id
            words = norm.split()
            self._by_first[(words[0], len(words))].append(norm)
        if cik:
            self.by_cik.setdefault(cik.lstrip("0"), org_id)
        if domain:
            self.by_domain.setdefault(domain_of(domain), org_id)

    def find(self, name: str, *, domain: Optional[str] = None, cik: Optional[str] = None) -> Optional[int]:
        if cik and cik.lstrip("0") in self.by_cik:
            return self.by_cik[cik.lstrip("0")]
        if domain and domain_of(domain) in self.by_domain:
            return self.by_domain[domain_of(domain)]
        norm = normalize_name(name)
        if not norm:
            return None
        if norm in self.by_norm:
            return self.by_norm[norm]
        words = norm.split()
        pool = [k for k in self._by_first.get((words[0], len(words)), []) if fuzzy_allowed(norm, k)]
        hit = process.extractOne(norm, pool, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD) if pool else None
        return self.by_norm[hit[0]] if hit else None


class Resolver:
    """Resolves names within one session against a shared index (loaded from it if not given)."""

    def __init__(self, session: Session, index: Optional[AliasIndex] = None,
                 before_write: Optional[Callable[[Session], bool]] = None):
        self.session = session
        self.index = index if index is not None else AliasIndex.load(session)
        # Called once, before the session's first write of an organization, alias or CIK: True
        # when it waited for other writers (store.serialize_extraction), whose rows are then read.
        self._before_write = before_write

    def find(self, name: str, *, domain: Optional[str] = None, cik: Optional[str] = None) -> Optional[Organization]:
        org_id = self.index.find(name, domain=domain, cik=cik)
        return self.session.get(Organization, org_id) if org_id is not None else None

    def resolve(self, name: str, *, domain: Optional[str] = None, cik: Optional[str] = None) -> Organization:
        """The organization this name refers to, created if unknown; the name is kept as an alias."""
        org = self.find(name, domain=domain, cik=cik)
        norm = normalize_name(name)
        if self._before_write is not None and (org is None or (cik and not org.cik)
                                               or (norm and norm not in self.index.by_norm)):
            wait, self._before_write = self._before_write, None
            if wait(self.session):
                self.index.refresh(self.session)  # what the writers before this one committed
                org = self.find(name, domain=domain, cik=cik)
        cik = cik.lstrip("0") or None if cik else None
        domain = domain_of(domain) if domain else None
        if org is None:
            org = self._create(name.strip(), norm, domain, cik)
        elif cik and not org.cik:
            self._claim_cik(org, cik)
        assert org.id is not None
        if norm and norm not in self.index.by_norm:
            insert_new(self.session, table_of(OrgAlias),
                       {"organization_id": org.id, "alias": name.strip(), "normalized": norm})
        self.index.add(org.id, norm, cik=cik, domain=domain)
        return org

    def _create(self, name: str, norm: str, domain: Optional[str], cik: Optional[str]) -> Organization:
        """A new organization, or the one holding its name, alias, CIK or domain in the database."""
        if norm:
            # Aliases are keys too, kept in their own table: no unique index spans both tables.
            owner = self.session.exec(select(OrgAlias.organization_id).where(OrgAlias.normalized == norm)).first()
            if owner is not None and (org := self.session.get(Organization, owner)) is not None:
                return org
        new_id = insert_new(self.session, table_of(Organization), {
            "name": name, "normalized": norm, "domain": domain, "cik": cik, "industries": [],
            "created_at": datetime.now(UTC)})
        if new_id is not None:
            org = self.session.get(Organization, new_id)
        else:
            keys = [col(Organization.normalized) == norm] if norm else []
            keys += [col(Organization.cik) == cik] if cik else []
            keys += [col(Organization.domain) == domain] if domain else []
            org = self.session.exec(select(Organization).where(or_(*keys)).order_by(col(Organization.id))).first()
        assert org is not None, f"organization {name!r} neither inserted nor found"
        return org

    def _claim_cik(self, org: Organization, cik: str) -> None:
        """Give a known organization its CIK unless another organization holds it already."""
        taken = select(Organization.id).where(Organization.cik == cik).exists()
        done = self.session.execute(update(table_of(Organization))
                                    .where(table_of(Organization).c.id == org.id,
                                           table_of(Organization).c.cik.is_(None), ~taken)
                                    .values(cik=cik))
        if done.rowcount:  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            self.session.refresh(org)
