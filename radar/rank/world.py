"""Loading organizations, signals and contacts from the database as plain ranking views."""
from datetime import date
from typing import Optional

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar.models import Contact, Organization, Signal
from radar.rank.needs import load_needs
from radar.rank.score import OrgView, Ranked, SignalView, rank
from radar.settings import Settings


def load_world(engine: Engine, since: Optional[date] = None) -> list[OrgView]:
    with Session(engine) as s:
        orgs = {o.id: OrgView(o.id, o.name, list(o.industries or []), o.location, o.stage, o.domain) for o in s.exec(select(Organization))}  # type: ignore[misc]
        q = select(Signal)
        if since:
            q = q.where(Signal.event_date >= since)
        for sig in s.exec(q):
            org = orgs.get(sig.organization_id)
            if org:
                org.signals.append(SignalView(sig.id, sig.type, sig.subtype, sig.event_date, sig.confidence,  # type: ignore[arg-type]
                                              sig.evidence, dict(sig.attributes or {}), sig.url, sig.mentions))
        for c in s.exec(select(Contact).where(Contact.organization_id.is_not(None))):  # type: ignore[union-attr]
            if c.organization_id in orgs:
                orgs[c.organization_id].contacts.append(c.full_name)
    return [o for o in orgs.values() if o.signals]


def top(engine: Engine, settings: Settings, today: date, limit: int = 20, industry: Optional[str] = None) -> list[Ranked]:
    """The ranked organizations for the configured profile."""
    model = load_needs(settings.ranking.needs_file or None)
    world = load_world(engine)
    for org in world:
        override = settings.industries.overrides.get(org.name)
        if override is not None:
            org.industries = list(override)
    if industry:
        world = [o for o in world if industry in o.industries]
    return rank(world, model, settings.profile, settings.ranking, today)[:limit]
