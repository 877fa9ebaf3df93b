"""Warm paths (friends refer friends): the user's contacts at an organization or at its investors."""
from dataclasses import dataclass
from typing import Any, Optional

from radar.entities.normalize import normalize_name
from radar.rank.score import OrgView


@dataclass
class ContactView:
    id: int
    name: str
    position: Optional[str] = None
    company: Optional[str] = None
    organization_id: Optional[int] = None
    org_names: tuple[str, ...] = ()  # the linked organization's name and aliases


class ContactIndex:
    """Contacts by organization id and by normalized company name."""

    def __init__(self, contacts: list[ContactView]):
        self.by_org: dict[int, list[ContactView]] = {}
        self.by_name: dict[str, list[ContactView]] = {}
        for c in contacts:
            if c.organization_id is not None:
                self.by_org.setdefault(c.organization_id, []).append(c)
            for key in {normalize_name(n) for n in (c.company or "", *c.org_names)} - {""}:
                self.by_name.setdefault(key, []).append(c)

    def at(self, org: OrgView) -> list[ContactView]:
        found = {c.id: c for c in self.by_org.get(org.id, [])}
        for name in (org.name, *org.aliases):
            found.update({c.id: c for c in self.by_name.get(normalize_name(name), [])})
        return sorted(found.values(), key=lambda c: c.name)

    def named(self, company: str) -> list[ContactView]:
        return sorted(self.by_name.get(normalize_name(company), []), key=lambda c: c.name)


def investors_of(org: OrgView) -> list[str]:
    """Investors named in the organization's funding signals, lead first, each once."""
    seen: dict[str, str] = {}
    for s in sorted(org.signals, key=lambda s: s.event_date, reverse=True):
        if s.type != "funding":
            continue
        names = [s.attributes.get("lead_investor"), *(s.attributes.get("investors") or [])]
        for n in names:
            if isinstance(n, str) and normalize_name(n) and normalize_name(n) not in seen:
                seen[normalize_name(n)] = n.strip()
    return list(seen.values())


def warm_paths(org: OrgView, index: ContactIndex) -> tuple[list[dict[str, Any]], int, int]:
    """(paths, contacts there, contacts at its investors); a contact is listed once."""
    if not index.by_org and not index.by_name:  # no contacts (most users): no names to normalize
        return [], 0, 0
    direct = index.at(org)
    paths = [{"name": c.name, "position": c.position, "company": c.company, "via": "works there", "contact_id": c.id}
             for c in direct]
    seen = {c.id for c in direct}
    via_investors = 0
    for investor in investors_of(org):
        if normalize_name(investor) in {normalize_name(n) for n in (org.name, *org.aliases)}:
            continue
        for c in index.named(investor):
            if c.id not in seen:
                seen.add(c.id)
                via_investors += 1
                paths.append({"name": c.name, "position": c.position, "company": c.company,
                              "via": f"investor {investor}", "contact_id": c.id})
    return paths, len(direct), via_investors
