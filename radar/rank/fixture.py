"""Worlds and scenarios from files: a whole set of organizations, signals and contacts written by
hand (radar/rank/data/rank_world.toml), and profiles with the top 5 expected of them, for
`radar rank eval`, the tests and the benchmarks. Can also store a world in a database.
The two files ship in the package, so `radar rank eval` runs from any directory."""
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Engine

from radar.catalog_files import read_toml
from radar.errors import ConfigError
from radar.rank.pipeline import World
from radar.rank.score import OrgView, SignalView
from radar.rank.warm import ContactView
from radar.settings import Profile

WORLD_FILE = Path(str(resources.files("radar.rank").joinpath("data/rank_world.toml")))
SCENARIOS_FILE = Path(str(resources.files("radar.rank").joinpath("data/rank_world_scenarios.toml")))


@dataclass
class Scenario:
    name: str
    profile: Profile
    expected: list[str]


def _read(path: Path) -> dict[str, Any]:
    return read_toml(path, "world file", "pass the world file, e.g. radar/rank/data/rank_world.toml")


def _signal(spec: dict[str, Any], sid: int, where: str) -> SignalView:
    try:
        return SignalView(sid, spec["type"], spec.get("subtype"), spec["date"], float(spec.get("confidence", 0.8)),
                          spec.get("evidence", ""), dict(spec.get("attributes", {})), spec.get("url"),
                          int(spec.get("mentions", 1)))
    except (KeyError, TypeError, ValueError) as e:
        raise ConfigError(f"{where}: a signal needs type and date ({e})") from None


def parse_world(raw: dict[str, Any], where: str = "world") -> tuple[World, date]:
    """A world and its `today` from plain data."""
    today = raw.get("today")
    if not isinstance(today, date):
        raise ConfigError(f"{where}: needs `today = YYYY-MM-DD`")
    orgs, sid = [], 0
    for i, spec in enumerate(raw.get("org", []), 1):
        signals = []
        for s in spec.get("signals", []):
            sid += 1
            signals.append(_signal(s, sid, f"{where}: {spec.get('name')}"))
        orgs.append(OrgView(i, spec["name"], list(spec.get("industries", [])), spec.get("location"), spec.get("stage"),
                            spec.get("domain"), signals, size=spec.get("size"),
                            texts=[spec["text"]] if spec.get("text") else []))
    by_name = {o.name: o for o in orgs}
    contacts = [ContactView(i, c["name"], c.get("position"), c.get("company"),
                            by_name[c["company"]].id if c.get("company") in by_name else None)
                for i, c in enumerate(raw.get("contacts", []), 1)]
    return World(orgs, contacts), today


def load_world_file(path: Path) -> tuple[World, date]:
    return parse_world(_read(path), str(path))


def load_scenarios(path: Path) -> list[Scenario]:
    out = []
    for spec in _read(path).get("scenario", []):
        try:
            profile = Profile.model_validate(spec.get("profile", {}))
        except ValidationError as e:
            raise ConfigError(f"{path}: scenario {spec.get('name')}: {e.errors()[0]['msg']}") from None
        out.append(Scenario(spec["name"], profile, list(spec.get("expected", []))))
    if not out:
        raise ConfigError(f"{path}: no [[scenario]] found")
    return out


def store_world(engine: Engine, world: World) -> None:
    """Write a world into a database as organizations, signals and contacts (tests, benchmarks)."""
    from radar import store
    from radar.entities.normalize import normalize_name
    from radar.models import Contact, Organization, Signal

    orgs = [(Organization(name=o.name, normalized=normalize_name(o.name), industries=o.industries,
                          location=o.location, stage=o.stage, size=o.size, domain=o.domain),
             [Signal(key=f"{sig.id}|{sig.type}", organization_id=0,  # both completed by the store
                     type=sig.type, subtype=sig.subtype, event_date=sig.event_date, confidence=sig.confidence,
                     evidence=sig.evidence, attributes=sig.attributes, url=sig.url, mentions=sig.mentions)
              for sig in o.signals])
            for o in world.orgs]
    at = {o.id: n for n, o in enumerate(world.orgs)}
    contacts = [(Contact(key=f"fixture:{c.id}", full_name=c.name, company=c.company, position=c.position,
                         origin="csv"), at.get(c.organization_id) if c.organization_id else None)
                for c in world.contacts]
    store.add_organizations(engine, orgs, contacts)
