"""Entity resolution: a mention to one organization row, or a new one.

A wrong merge is worse than a missed one: exact keys (CIK, domain, normalized name, alias)
first; fuzzy matching only for long, specific names and only at a high threshold.
"""
import logging
from typing import Optional

from rapidfuzz import fuzz, process
from sqlmodel import Session, select

from radar.entities.normalize import domain_of, normalize_name
from radar.models import Organization, OrgAlias

logger = logging.getLogger(__name__)

FUZZY_MIN_LEN = 8
FUZZY_THRESHOLD = 94


def same_org(a: str, b: str) -> bool:
    """Whether two names may be merged: equal keys, or near-equal long names of equal length in words."""
    na, nb = normalize_name(a), normalize_name(b)
    if na == nb:
        return True
    if min(len(na), len(nb)) < FUZZY_MIN_LEN or len(na.split()) != len(nb.split()):
        return False
    return fuzz.ratio(na, nb) >= FUZZY_THRESHOLD


class Resolver:
    """Resolves names within one session; keeps a cache of normalized names to ids."""

    def __init__(self, session: Session):
        self.session = session
        self._by_norm: dict[str, int] = {}
        for alias in session.exec(select(OrgAlias)):
            self._by_norm.setdefault(alias.normalized, alias.organization_id)
        for org in session.exec(select(Organization)):
            self._by_norm.setdefault(org.normalized, org.id)  # type: ignore[arg-type]

    def find(self, name: str, *, domain: Optional[str] = None, cik: Optional[str] = None) -> Optional[Organization]:
        s = self.session
        if cik:
            org = s.exec(select(Organization).where(Organization.cik == cik.lstrip("0"))).first()
            if org:
                return org
        if domain:
            org = s.exec(select(Organization).where(Organization.domain == domain_of(domain))).first()
            if org:
                return org
        norm = normalize_name(name)
        if not norm:
            return None
        if norm in self._by_norm:
            return s.get(Organization, self._by_norm[norm])
        if len(norm) >= FUZZY_MIN_LEN:
            candidates = [k for k in self._by_norm if len(k.split()) == len(norm.split())]
            hit = process.extractOne(norm, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
            if hit:
                return s.get(Organization, self._by_norm[hit[0]])
        return None

    def resolve(self, name: str, *, domain: Optional[str] = None, cik: Optional[str] = None) -> Organization:
        """The organization this name refers to, created if unknown; the name is kept as an alias."""
        org = self.find(name, domain=domain, cik=cik)
        norm = normalize_name(name)
        if org is None:
            org = Organization(name=name.strip(), normalized=norm, domain=domain_of(domain) if domain else None,
                               cik=cik.lstrip("0") if cik else None)
            self.session.add(org)
            self.session.flush()
        elif cik and not org.cik:
            org.cik = cik.lstrip("0")
        if norm and norm not in self._by_norm:
            self.session.add(OrgAlias(organization_id=org.id, alias=name.strip(), normalized=norm))  # type: ignore[arg-type]
            self._by_norm[norm] = org.id  # type: ignore[assignment]
        return org
