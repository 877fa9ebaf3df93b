"""People: the user's contacts, and the profiles of the other people a radar runs for."""
from collections.abc import Iterable
from typing import Optional

from sqlalchemy import or_
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from radar.models import Contact, Organization, StoredProfile

DEFAULT_PROFILE = "default"  # the config's [profile] (Settings.profile_key)


def contacts_by_key(session: Session, profile: str = DEFAULT_PROFILE) -> dict[str, Contact]:
    """The profile's stored contacts by key, in the caller's transaction (an import updates them)."""
    return {c.key: c for c in session.exec(select(Contact).where(Contact.profile == profile))}


def save_contacts(session: Session, rows: Iterable[Contact]) -> None:
    """Add new and changed contacts to the caller's transaction."""
    session.add_all(list(rows))


def contacts_with_organizations(engine: Engine, profile: str = DEFAULT_PROFILE) -> list[tuple[Contact, Optional[str]]]:
    """The profile's contacts by name, with the name of the organization each is linked to."""
    with Session(engine) as s:
        names = {o.id: o.name for o in s.exec(select(Organization))}
        return [(c, names.get(c.organization_id))
                for c in s.exec(select(Contact).where(Contact.profile == profile).order_by(Contact.full_name))]


def contacts_of(engine: Engine, organization_ids: list[int], contact_ids: list[Optional[int]],
                profile: str = DEFAULT_PROFILE) -> dict[Optional[int], Contact]:
    """The profile's contacts at these organizations and these contacts of it, by id."""
    with Session(engine) as s:
        q = select(Contact).where(Contact.profile == profile,
                                  or_(col(Contact.organization_id).in_(organization_ids),
                                      col(Contact.id).in_(contact_ids)))
        return {c.id: c for c in s.exec(q)}


def add_profile(engine: Engine, row: StoredProfile) -> bool:
    """Store a profile; False when its name is taken."""
    try:
        with Session(engine, expire_on_commit=False) as s:
            s.add(row)
            s.commit()
    except IntegrityError:
        return False
    return True


def remove_profile(engine: Engine, name: str) -> bool:
    """Delete the profile called `name` and its contacts; False when there is none."""
    with Session(engine) as s:
        row = s.exec(select(StoredProfile).where(StoredProfile.name == name)).first()
        if row is None:
            return False
        for contact in s.exec(select(Contact).where(Contact.profile == f"profile:{name}")):
            s.delete(contact)  # its contacts go with it: a profile added again under this name starts afresh
        s.delete(row)
        s.commit()
    return True


def profiles(engine: Engine) -> list[StoredProfile]:
    """Every stored profile by name."""
    with Session(engine) as s:
        return list(s.exec(select(StoredProfile).order_by(col(StoredProfile.name))))


def profile_ids(engine: Engine) -> list[int]:
    with Session(engine) as s:
        return [i for i in s.exec(select(StoredProfile.id).order_by(col(StoredProfile.id))) if i is not None]


def get_profile(engine: Engine, profile_id: int) -> Optional[StoredProfile]:
    with Session(engine) as s:
        return s.get(StoredProfile, profile_id)

