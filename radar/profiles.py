"""Many profiles, one crawl: other people's profiles stored in the database.

The config's [profile] is the radar's own and stays as it is. A coach or an outplacement
firm adds the people it runs radars for with `radar profiles add`: each has its watched
industries, its functions and seniority, and its digest address. Sources and documents are
crawled and extracted once for all of them; each is ranked and gets its digest on its own,
with the warm paths of its own contacts (`radar contacts import FILE --profile NAME`).
"""
from pathlib import Path
from typing import Any, Optional

from pydantic import ValidationError
from sqlalchemy.engine import Engine

from radar import store
from radar.errors import ConfigError, UsageError
from radar.models import StoredProfile
from radar.settings import Digest, Profile, Settings

NAME = r"[a-z0-9][a-z0-9_.-]{0,62}"


def _profile(fields: dict[str, Any]) -> Profile:
    try:
        return Profile.model_validate(fields)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise UsageError(f"profile {where}: {err['msg']}") from None


def add(engine: Engine, name: str, email: str, fields: dict[str, Any]) -> StoredProfile:
    """Store a profile; UsageError on a bad name, address or field, or a name taken."""
    import re

    if not re.fullmatch(NAME, name):
        raise UsageError(f"bad profile name {name!r}: use lower-case letters, digits, '-', '_' or '.' "
                         "(up to 63), starting with a letter or digit")
    try:
        Digest(to=[email])
    except ValidationError:
        raise UsageError(f"bad digest address {email!r}: give one email address such as you@example.com") from None
    profile = _profile(fields)
    row = StoredProfile(name=name, email=email, settings=profile.model_dump(mode="json", exclude_defaults=True))
    if not store.add_profile(engine, row):
        raise UsageError(f"a profile named {name} exists already; remove it first (radar profiles remove {name})")
    return row


def remove(engine: Engine, name: str) -> bool:
    return store.remove_profile(engine, name)


def listing(engine: Engine) -> list[dict[str, Any]]:
    """What `radar profiles list` shows."""
    out = []
    for r in store.profiles(engine):
        p = _profile(r.settings)
        out.append({"name": r.name, "email": r.email, "industries": p.industries, "functions": list(p.functions),
                    "seniority": list(p.seniority), "roles": p.roles, "locations": p.locations,
                    "created_at": r.created_at})
    return out


def key(name: str) -> str:
    """A stored profile's Settings.profile_key: what its digest runs and contacts are filed under."""
    return f"profile:{name}"


def key_of(engine: Engine, name: Optional[str]) -> str:
    """The profile key `--profile NAME` means: the config's own profile without a name;
    UsageError, listing the profiles, for a name no profile has."""
    if name is None:
        return store.DEFAULT_PROFILE
    names = [r.name for r in store.profiles(engine)]
    if name not in names:
        raise UsageError(f"no profile named {name!r}; the profiles are: "
                         + (", ".join(names) or "none yet (add one with radar profiles add NAME --email ADDRESS)"))
    return key(name)


def ids(engine: Engine) -> list[int]:
    return store.profile_ids(engine)


def settings_for(engine: Engine, settings: Settings, profile_id: int) -> Settings:
    """The settings that rank and send for one stored profile: its profile, its address, and
    a digest folder of its own (two people's digests of one week never share a file)."""
    from radar.digest.weekly import digest_folder

    row = store.get_profile(engine, profile_id)
    if row is None:
        raise ConfigError(f"profile {profile_id} is gone (removed meanwhile)")
    out_dir = Path(digest_folder(settings)) / "profiles" / row.name
    return settings.for_profile(key(row.name), _profile(row.settings), [row.email], str(out_dir))
