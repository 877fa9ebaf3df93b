"""Which sources are on: the config's own, plus the built-in catalog of watched industries."""
import tomllib
from typing import Optional

from sqlalchemy.engine import Engine

from radar import store
from radar.catalog_files import catalog_path
from radar.errors import ConfigError
from radar.models import Source
from radar.settings import Settings, SourceEntry


def catalog_industries() -> list[str]:
    folder = catalog_path("sources")
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def catalog_sources(industry: str) -> list[SourceEntry]:
    path = catalog_path(f"sources/{industry}.toml")
    if not path.is_file():
        raise ConfigError(f"unknown industry '{industry}'; available: {', '.join(catalog_industries()) or 'none'}")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    out = []
    for s in data.get("sources", []):
        out.append(SourceEntry(name=s["name"], url=s["url"], kind=s.get("kind", "feed"),
                               industries=s.get("industries", [data.get("industry", industry)]),
                               interval_minutes=s.get("interval_minutes", 60)))
    return out


def enabled_sources(engine: Engine, settings: Settings, names: Optional[list[str]] = None) -> list[Source]:
    for industry in settings.industries.watch:
        store.sync_sources(engine, catalog_sources(industry), origin="catalog")
    sources = [s for s in store.list_sources(engine) if s.enabled]
    if names:
        known = {s.name for s in sources}
        missing = [n for n in names if n not in known]
        if missing:
            raise ConfigError(f"unknown source '{missing[0]}'; known: {', '.join(sorted(known)) or 'none (add one with radar sources add URL)'}")
        sources = [s for s in sources if s.name in names]
    return sources
