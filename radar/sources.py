"""Which sources are on: the config's own, the built-in catalog's, and those added by hand.

- config sources: the [[sources]] of radar.toml; one removed from the file is no longer crawled;
- catalog sources: config/sources/<industry>.toml, switched on per industry by
  `[industries] watch` or `radar industries watch NAME`, off one by one with `sources remove`;
- cli sources: added with `radar sources add URL`, kept in the database.
"""
import re
import tomllib
from collections.abc import Callable
from functools import cache
from typing import Any, Optional
from urllib.parse import urlsplit

from pydantic import ValidationError
from sqlalchemy.engine import Engine

from radar import store
from radar.catalog_files import catalog_path
from radar.errors import ConfigError, RadarError
from radar.models import Source
from radar.settings import Settings, SourceEntry


def catalog_industries() -> list[str]:
    folder = catalog_path("sources")
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def catalog_sources(industry: str) -> list[SourceEntry]:
    """The built-in sources of one industry; ConfigError naming the valid ones if unknown."""
    if industry not in catalog_industries():
        raise ConfigError(f"unknown industry '{industry}'; available: {', '.join(catalog_industries()) or 'none'}")
    return list(_catalog(industry))


@cache
def _catalog(industry: str) -> tuple[SourceEntry, ...]:
    path = catalog_path(f"sources/{industry}.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"built-in catalog {path} is unreadable ({e}); reinstall radar") from e
    out = []
    for raw in data.get("sources", []):
        entry = dict(raw)
        entry.setdefault("industries", [data.get("industry", industry)])
        try:
            out.append(SourceEntry.model_validate(entry))
        except ValidationError as e:
            raise ConfigError(f"built-in catalog {path}: source {raw.get('name')!r}: {e.errors()[0]['msg']}") from e
    return tuple(out)


def all_catalog_entries() -> dict[str, SourceEntry]:
    return {e.name: e for industry in catalog_industries() for e in _catalog(industry)}


def watch_industry(engine: Engine, industry: str) -> list[Source]:
    """Switch on an industry's built-in sources (also those switched off before)."""
    return store.sync_sources(engine, catalog_sources(industry), origin="catalog", reenable=True)


def sync_all(engine: Engine, settings: Settings) -> None:
    """Bring the database's sources in line with the config and the watched industries."""
    store.sync_sources(engine, settings.sources, origin="config")
    for industry in settings.industries.watch:
        store.sync_sources(engine, catalog_sources(industry), origin="catalog", reenable=False)


def is_active(src: Source, configured: set[str], catalog: dict[str, SourceEntry]) -> bool:
    """Enabled, and still declared where it came from (`configured`: the config's source names)."""
    if not src.enabled:
        return False
    if src.origin == "config":
        return src.name in configured
    if src.origin == "catalog":
        return src.name in catalog
    return True


def active_sources(engine: Engine, settings: Settings) -> list[Source]:
    """The sources that are on, as stored (enabled_sources brings the database in line first)."""
    configured, catalog = {e.name for e in settings.sources}, all_catalog_entries()
    return [s for s in store.list_sources(engine) if is_active(s, configured, catalog)]


def enabled_sources(engine: Engine, settings: Settings, names: Optional[list[str]] = None) -> list[Source]:
    sync_all(engine, settings)
    sources = active_sources(engine, settings)
    if names:
        known = {s.name for s in sources}
        missing = [n for n in names if n not in known]
        if missing:
            raise ConfigError(f"unknown source '{missing[0]}'; known: "
                              f"{', '.join(sorted(known)) or 'none (add one with radar sources add URL)'}")
        sources = [s for s in sources if s.name in names]
    return sources


# -- what the `radar sources` and `radar industries` commands call ---------------------------

def list_source_rows(engine: Engine, settings: Settings, everything: bool = False) -> list[dict[str, Any]]:
    sync_all(engine, settings)
    catalog = all_catalog_entries()
    configured = {e.name for e in settings.sources}
    rows = []
    for s in store.list_sources(engine):
        active = is_active(s, configured, catalog)
        if not active and not everything:
            continue
        rows.append({"name": s.name, "kind": s.kind, "url": s.url, "origin": s.origin, "industries": s.industries,
                     "enabled": active, "fetch_articles": s.fetch_articles,
                     "last_status": s.last_status, "failures": s.consecutive_failures,
                     "last_error": s.last_error, "last_fetched_at": s.last_fetched_at, "next_fetch_at": s.next_fetch_at,
                     "next_fetch": s.next_fetch_at.strftime("%Y-%m-%d %H:%M") if s.next_fetch_at else "now"})
    return rows


def slug_for(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": the URL check reports it
        return "source"
    words = re.findall(r"[a-z0-9]+", f"{(parts.hostname or '').removeprefix('www.')} {parts.path}".lower())
    words = [w for w in words if w not in ("html", "htm", "xml", "php", "index")]
    return "-".join(words)[:60].strip("-") or "source"


def add_source(engine: Engine, settings: Settings, url: str, *, name: Optional[str] = None,
               kind: Optional[str] = None, industries: Optional[list[str]] = None,
               fetch_articles: bool = True) -> tuple[Source, str]:
    """Probe a URL (unless the kind is given), then store it as a source of origin 'cli'."""
    from radar.spiders.crawl import open_fetcher
    from radar.spiders.edgar import identity_problem
    from radar.spiders.probe import is_edgar_url, probe

    entry = _entry_or_fail(name or slug_for(url), url, kind or "feed", industries or [], fetch_articles)
    found = ""
    if kind is None and is_edgar_url(url):
        kind, found = "edgar", ("an EDGAR feed, detected from its URL"
                                + (f"; {identity_problem(settings)}" if identity_problem(settings) else ""))
    if kind is None:
        with open_fetcher(settings, engine) as fetcher:
            result = probe(fetcher, url)
        if result.kind is None:
            raise RadarError(f"cannot add {url}: {result.note}; pass --kind to add it anyway")
        kind, url, found = result.kind, result.url, result.note
    entry = _entry_or_fail(name or slug_for(url), url, kind, industries or [], fetch_articles)
    existing = {s.name: s for s in store.list_sources(engine)}
    if entry.name in existing:
        raise ConfigError(f"a source named '{entry.name}' exists already; choose another with --name")
    same_url = [s.name for s in existing.values() if s.url == entry.url]
    if same_url:
        raise ConfigError(f"{entry.url} is already read as source '{same_url[0]}'")
    (src,) = store.sync_sources(engine, [entry], origin="cli")
    return src, found


def _entry_or_fail(name: str, url: str, kind: str, industries: list[str], fetch_articles: bool) -> SourceEntry:
    unknown = [i for i in industries if i not in catalog_industries()]
    if unknown:
        raise ConfigError(f"unknown industry '{unknown[0]}'; available: {', '.join(catalog_industries())}")
    try:
        return SourceEntry.model_validate({"name": name, "url": url, "kind": kind, "industries": industries,
                                           "fetch_articles": fetch_articles})
    except ValidationError as e:
        err = e.errors()[0]
        raise ConfigError(f"bad {'.'.join(str(p) for p in err['loc'])} {err.get('input')!r}: "
                          f"{err['msg'].removeprefix('Value error, ')}") from e


def remove_source(engine: Engine, settings: Settings, name: str) -> str:
    """Stop reading a source; returns the message to show."""
    if any(e.name == name for e in settings.sources):
        raise ConfigError(f"source '{name}' is defined in {settings.path or 'the config file'}; "
                          "delete its [[sources]] entry there")
    done = store.remove_source(engine, name)
    if done == "missing":
        known = ", ".join(s.name for s in store.list_sources(engine)) or "none"
        raise ConfigError(f"unknown source '{name}'; known: {known}")
    if done == "disabled":
        return (f"source {name} switched off "
                "(its documents stay; 'radar industries watch' switches catalog sources back on)")
    return f"source {name} removed"


def check_sources(engine: Engine, settings: Settings, names: Optional[list[str]] = None,
                  progress: Optional[Callable[[str], None]] = None) -> list[dict[str, Any]]:
    """Fetch each source once and say what it is; stores no document and no health."""
    from radar.spiders.crawl import open_fetcher
    from radar.spiders.edgar import identity_problem
    from radar.spiders.probe import probe

    sources = enabled_sources(engine, settings, names)
    rows = []
    edgar_hosts = tuple(urlsplit(s.url).hostname or "" for s in sources if s.kind == "edgar")
    with open_fetcher(settings, engine, edgar_hosts) as fetcher:
        for src in sources:
            if progress:
                progress(src.name)
            problem = identity_problem(settings) if src.kind == "edgar" else None
            if problem:
                rows.append({"name": src.name, "kind": src.kind, "detected": None, "ok": False, "status": None,
                             "items": 0, "note": problem})
                continue
            found = probe(fetcher, src.url,
                          user_agent=settings.edgar.user_agent.strip() if src.kind == "edgar" else None)
            ok = found.kind is not None and _compatible(src.kind, found.kind)
            note = (found.note if ok or found.kind is None
                    else f"configured as {src.kind} but looks like {found.kind}: {found.note}")
            rows.append({"name": src.name, "kind": src.kind, "detected": found.kind, "ok": ok, "status": found.status,
                         "items": found.items, "note": note, "url": src.url})
    return rows


def _compatible(configured: str, detected: str) -> bool:
    feeds = {"rss", "atom", "feed"}
    # EDGAR's latest filings are an Atom feed; off sec.gov (a mirror) it is detected as one.
    return (configured == detected or (configured in feeds and detected in feeds)
            or (configured == "edgar" and detected == "atom"))


def industry_rows(engine: Engine, settings: Settings) -> list[dict[str, Any]]:
    labels = _industry_labels()
    on = {s.name for s in store.list_sources(engine) if s.enabled and s.origin == "catalog"}
    rows = []
    for industry in catalog_industries():
        entries = _catalog(industry)
        watched = industry in settings.industries.watch or any(e.name in on for e in entries)
        rows.append({"industry": industry, "label": labels.get(industry, ""), "sources": len(entries),
                     "watched": watched})
    return rows


def _industry_labels() -> dict[str, str]:
    path = catalog_path("industries.toml")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    return {k: str(v.get("label", "")) for k, v in data.get("industries", {}).items() if isinstance(v, dict)}
