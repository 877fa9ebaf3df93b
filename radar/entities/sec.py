"""The SEC's list of public companies (company_tickers.json): names, tickers and CIKs of
organizations that certainly are organizations.

Extraction uses it to ground names ("Meta Platforms, Inc." and "Meta" are one known
company; "Chair" is none), resolution to attach tickers and CIKs. radar reads the file from
its data folder, where `radar sources sec-list` downloads it from the SEC (with the EDGAR
identity); offline (tests, training) the copy in the shared corpus serves.
"""
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from radar.entities.normalize import normalize_name
from radar.shared_corpus import corpus_root

if TYPE_CHECKING:
    from radar.settings import Settings

SEC_URL = "https://www.sec.gov/files/company_tickers.json"
FILE_NAME = "sec_company_tickers.json"


@dataclass(frozen=True)
class SecCompany:
    cik: str
    ticker: str
    name: str


def parse(raw: bytes) -> list[SecCompany]:
    """The SEC file's rows; ValueError when it is not that file."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("not JSON") from None
    rows = data.values() if isinstance(data, dict) else data
    out = []
    for r in rows:
        if not isinstance(r, dict) or "title" not in r:
            raise ValueError("not the SEC's company_tickers.json (rows need cik_str, ticker, title)")
        out.append(SecCompany(str(r.get("cik_str") or ""), str(r.get("ticker") or ""), str(r["title"])))
    return out


def default_path(data_dir: Optional[Path] = None) -> Optional[Path]:
    """RADAR_SEC_TICKERS, else the data folder's copy, else the shared corpus's; None if none is there."""
    env = os.environ.get("RADAR_SEC_TICKERS")
    if env:
        return Path(env)
    if data_dir is not None and (data_dir / FILE_NAME).is_file():
        return data_dir / FILE_NAME
    root = corpus_root()
    return root / "kb" / FILE_NAME if root is not None and (root / "kb" / FILE_NAME).is_file() else None


def load(path: Optional[Path]) -> tuple[SecCompany, ...]:
    """The list at path (read again when the file changes), or () when there is none."""
    if path is None or not path.is_file():
        return ()
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: Path, mtime_ns: int) -> tuple[SecCompany, ...]:
    try:
        return tuple(parse(path.read_bytes()))
    except (OSError, ValueError):
        return ()


def refresh(settings: "Settings", url: str = SEC_URL) -> tuple[Path, int]:
    """Download the SEC's list into the data folder, replacing the old copy only when the new
    one parses; returns where it went and how many companies it holds."""
    from urllib.parse import urlsplit

    from radar.errors import RadarError
    from radar.spiders.crawl import policy_from
    from radar.spiders.edgar import require_identity
    from radar.spiders.http import Fetcher

    ua = require_identity(settings)
    with Fetcher(policy_from(settings, (urlsplit(url).hostname or "",))) as fetcher:
        body = fetcher.get(url, accept="application/json", user_agent=ua).body
    try:
        companies = parse(body)
    except ValueError as e:
        raise RadarError(f"{url} did not return the SEC's company list ({e}); nothing was replaced") from None
    target = Path(settings.data_dir) / FILE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".json.tmp")
    tmp.write_bytes(body)
    tmp.replace(target)
    return target, len(companies)


def reference_names(data_dir: Optional[Path] = None) -> frozenset[str]:
    """Normalized names of the list extraction reads (see default_path), computed once per
    version of the file: every crawl job's extraction asks, and 10,000 names take a while."""
    path = default_path(data_dir)
    if path is None or not path.is_file():
        return frozenset()
    return _reference_names(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _reference_names(path: Path, mtime_ns: int) -> frozenset[str]:
    return known_names(_load(path, mtime_ns))


def known_names(companies: tuple[SecCompany, ...]) -> frozenset[str]:
    """Normalized names of the listed companies ("META PLATFORMS, INC." -> "meta platforms")."""
    return frozenset(n for n in (normalize_name(c.name) for c in companies) if len(n) > 2)


def by_name(data_dir: Optional[Path] = None) -> dict[str, SecCompany]:
    """The listed companies by normalized name (see default_path), for tickers and CIKs of the
    organizations extraction finds; a name two registrants share is left out."""
    path = default_path(data_dir)
    if path is None or not path.is_file():
        return {}
    return _by_name(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _by_name(path: Path, mtime_ns: int) -> dict[str, SecCompany]:
    out: dict[str, SecCompany] = {}
    shared: set[str] = set()
    for c in _load(path, mtime_ns):
        key = normalize_name(c.name)
        if len(key) <= 3:
            continue  # "ATI Inc." (Allegheny) is not every ATI a text names

        if key in out and out[key].cik != c.cik:
            shared.add(key)
        out.setdefault(key, c)  # the file lists a company's main class first
    return {k: v for k, v in out.items() if k not in shared}
