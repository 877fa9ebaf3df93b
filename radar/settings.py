"""Configuration: one TOML file, validated on load, every setting declared once here.

Precedence, printable with `radar config show`: defaults < config file < RADAR_* environment
< command-line options. Secrets never live in the file: it names the environment variable
that holds them (`password_env = "RADAR_SMTP_PASSWORD"`).
"""
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, Optional, get_args
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator

from radar.errors import ConfigError
from radar.vocabulary import SIGNAL_TYPES, Function, Seniority, Size, Stage

DEFAULT_CONFIG = Path("config/radar.toml")

SourceKind = Literal["rss", "atom", "feed", "newsroom", "sitemap", "edgar"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_bool(cls, v: Any, info: ValidationInfo) -> Any:
        # pydantic would read remote = "yes" (or 1) as true; a config file says true or false.
        if info.field_name and cls.model_fields[info.field_name].annotation is bool and not isinstance(v, bool):
            raise ValueError("must be true or false (without quotes)")
        return v


class General(Section):
    data_dir: str = Field("~/.local/share/radar", description="Where the SQLite database, digests and logs live.")
    database_url: Optional[str] = Field(
        None, description="SQLAlchemy URL; overrides the SQLite file in data_dir (env RADAR_DATABASE_URL).")
    timezone: str = Field("UTC", description="IANA timezone for dates shown to you and for the schedule.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Logging level.")

    @field_validator("data_dir")
    @classmethod
    def _data_dir(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must be a folder path such as '~/.local/share/radar'")
        return v

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError("must be an IANA timezone name such as 'Europe/Berlin' or 'UTC'") from e
        return v


class Profile(Section):
    name: str = Field("", description="Your name (used in the digest greeting).")
    roles: list[str] = Field(default_factory=list, description="Target roles, as you would say them.")
    functions: list[Function] = Field(default_factory=list, description="Functions you work in.")
    seniority: list[Seniority] = Field(default_factory=list, description="Seniority levels you aim for.")
    skills: list[str] = Field(default_factory=list, description="Skills and topics you can show.")
    industries: list[str] = Field(
        default_factory=list, description="Industries you prefer (keys of the industry catalog).")
    locations: list[str] = Field(default_factory=list, description="Cities, regions or countries you would work in.")
    remote: bool = Field(True, description="Whether remote roles suit you.")
    stages: list[Stage] = Field(default_factory=list, description="Company stages you prefer.")
    sizes: list[Size] = Field(default_factory=list, description="Company sizes you prefer.")
    exclude: list[str] = Field(default_factory=list, description="Organizations never to show (names or domains).")
    statement: str = Field("", description="Free text: the career path you want.")
    turnaround: bool = Field(
        False, description="You do turnarounds/restructurings: layoffs count for, not against (also on when the "
                           "statement or roles say turnaround or restructuring).")

    @field_validator("industries")
    @classmethod
    def _industries(cls, v: list[str]) -> list[str]:
        from radar.industries import catalog

        unknown = [x for x in v if x not in catalog()]
        if unknown:
            raise ValueError(f"unknown industry '{unknown[0]}'; available: {', '.join(sorted(catalog()))}")
        return v


class SourceEntry(Section):
    name: str = Field(description="Unique name of the source.")
    url: str = Field(description="Feed, newsroom, sitemap or EDGAR URL.")
    kind: SourceKind = Field("feed", description="What the URL is.")
    industries: list[str] = Field(default_factory=list, description="Industries this source covers.")
    interval_minutes: int = Field(60, ge=5, le=60 * 24 * 30, description="Minutes between fetches.")
    fetch_articles: bool = Field(
        True, description="Fetch the article page each feed entry links to; false keeps the feed entry only (for "
                          "publishers whose terms allow no more).")
    notes: str = Field("", description="Free text: why this source, its terms of use.")

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not v.strip() or re.search(r"[\x00-\x1f\x7f]", v):
            raise ValueError("must be a short name such as 'acme-newsroom' (not empty, no control characters)")
        return v.strip()

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        if not re.match(r"^https?://[^\s/]+", v):
            raise ValueError("must be an http:// or https:// URL")
        try:
            parts = urlsplit(v)
            parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
        except ValueError as e:
            raise ValueError(f"must be an http:// or https:// URL ({e})") from None
        if not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host name")
        return v


class Industries(Section):
    watch: list[str] = Field(default_factory=list, description="Industries whose built-in sources are switched on.")
    overrides: dict[str, list[str]] = Field(
        default_factory=dict, description="Correct an organization's industries: {\"Org name\" = [\"fintech\"]}.")


class Crawl(Section):
    user_agent: str = Field("radar/0.1 (+https://github.com/radar-project/radar; self-hosted career radar)",
                            description="User-Agent sent with every request.")
    connect_timeout: float = Field(10.0, gt=0, le=120, description="Seconds to wait for a connection.")
    read_timeout: float = Field(30.0, gt=0, le=600, description="Seconds to wait between bytes of a response.")
    total_timeout: float = Field(60.0, gt=0, le=3600, description="Most seconds one response may take in all "
                                 "(a server trickling bytes cannot hold a crawl); newsroom and sitemap pages "
                                 "stop at this or connect + read timeout, whichever is smaller.")
    max_bytes: int = Field(10_000_000, ge=10_000, description="Largest response body accepted, after decompression.")
    max_redirects: int = Field(5, ge=0, le=10, description="Redirects followed per request.")
    retries: int = Field(2, ge=0, le=10, description="Retries on 429 and 5xx, with backoff.")
    per_host_delay: float = Field(1.0, ge=0, description="Seconds between requests to the same host.")
    concurrency: int = Field(4, ge=1, le=64, description="Requests in flight at once (per host: 1).")
    max_articles_per_source: int = Field(50, ge=0, description="Article pages fetched per source and run.")
    allow_private_addresses: bool = Field(
        False, description="Allow loopback/private/link-local targets (tests and the demo only).")
    obey_robots: bool = Field(True, description="Obey robots.txt.")


class Edgar(Section):
    user_agent: str = Field("", description="SEC requires 'Name email@example.com'; EDGAR is not crawled until set.")
    max_requests_per_second: float = Field(4.0, gt=0, le=10, description="Stay well under SEC's 10 requests/second.")


class Schedule(Section):
    crawl_interval_minutes: int = Field(60, ge=5, description="Default minutes between crawls of a source.")
    digest_weekday: Weekday = Field("mon", description="Weekday the digest goes out.")
    digest_time: str = Field("07:30", description="Local time (HH:MM) the digest goes out.")
    timezone: str = Field("UTC", description="IANA timezone of digest_time.")
    digest_grace_hours: int = Field(
        48, ge=1, le=24 * 6, description="How late a missed digest may still run after a restart.")

    @field_validator("digest_time")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", v):
            raise ValueError("must be a 24-hour time HH:MM such as '07:30'")
        return v

    # The same check as General's: its classmethod's function, registered again for this model.
    _tz = field_validator("timezone")(General._tz.__func__)  # type: ignore[attr-defined]  # a bound method has one


class Digest(Section):
    to: list[str] = Field(default_factory=list, description="Recipients of the weekly email.")
    sender: str = Field("radar@localhost", description="From address.")
    limit: int = Field(15, ge=1, le=200, description="Organizations in the digest.")
    smtp_host: str = Field("", description="SMTP server; empty means write the digest to disk only.")
    smtp_port: int = Field(587, ge=1, le=65535, description="SMTP port.")
    smtp_security: Literal["starttls", "tls", "none"] = Field(
        "starttls", description="STARTTLS, implicit TLS, or none (local servers only).")
    smtp_user: str = Field("", description="SMTP user name.")
    smtp_password_env: str = Field("RADAR_SMTP_PASSWORD", description="Environment variable holding the SMTP password.")
    smtp_cafile: str = Field(
        "", description="CA certificate file to trust for a self-hosted SMTP server (default: the system's).")
    out_dir: str = Field("", description="Where digests are kept on disk (default: data_dir/digests).")

    @field_validator("sender")
    @classmethod
    def _sender(cls, v: str) -> str:
        return _address(v)

    @field_validator("to")
    @classmethod
    def _to(cls, v: list[str]) -> list[str]:
        return [_address(a) for a in v]


def _address(v: str) -> str:
    """One email address (optionally with a display name); a line break would forge headers."""
    from email.utils import parseaddr

    if re.search(r"[\x00-\x1f\x7f]", v) or "@" not in parseaddr(v)[1] or "," in parseaddr(v)[1]:
        raise ValueError("must be one email address such as 'you@example.com', without line breaks")
    return v


class Export(Section):
    out_dir: str = Field("", description="Default folder for export files (default: current directory).")
    twenty_url: str = Field("", description="Base URL of your Twenty CRM (for --push).")
    twenty_token_env: str = Field(
        "RADAR_TWENTY_TOKEN", description="Environment variable holding the Twenty API token.")
    monica_url: str = Field("", description="Base URL of your Monica instance.")
    monica_token_env: str = Field(
        "RADAR_MONICA_TOKEN", description="Environment variable holding the Monica API token.")
    webhook_url: str = Field("", description="URL that receives signed JSON batches.")
    webhook_secret_env: str = Field(
        "RADAR_WEBHOOK_SECRET", description="Environment variable holding the webhook HMAC secret.")
    limit: int = Field(100, ge=1, le=100_000, description="Ranked organizations an export covers (best first).")
    twenty_requests_per_minute: int = Field(
        100, ge=1, le=10_000, description="Request budget for Twenty (its documented limit is 100 a minute).")
    monica_requests_per_minute: int = Field(
        60, ge=1, le=10_000, description="Request budget for Monica (its API throttles at 60 a minute by default).")
    webhook_batch: int = Field(50, ge=1, le=1000, description="Events per webhook POST.")
    retries: int = Field(
        4, ge=0, le=10, description="Retries of a push on 429, 5xx or a dropped connection, with backoff.")


class Worker(Section):
    concurrency: int = Field(
        1, ge=1, le=16,
        description="Jobs one `radar worker` process runs at once; start more processes for more cores.")
    tick_seconds: int = Field(
        10, ge=1, le=59,
        description="Seconds between ticks: one worker, by turns, queues what is due and retries dead workers' jobs.")
    stalled_seconds: int = Field(
        30, ge=3, le=3600, description="A worker silent this long is dead: its jobs are retried by the others.")
    exports: list[str] = Field(
        default_factory=list, description="Export targets the workers run after each digest (e.g. [\"jsonl\"]).")
    extract_shards: int = Field(
        8, ge=1, le=256,
        description="Extraction jobs that can run at once across all workers (each reads the new documents of its "
                    "share of ids); at least the number of workers. The same on every worker.")
    extract_batch: int = Field(
        64, ge=1, le=1000, description="Documents an extraction job reads and stores per transaction.")


class Ranking(Section):
    half_life_days: Optional[float] = Field(None, gt=0, description="Override every signal type's recency half-life.")
    weights: dict[str, float] = Field(
        default_factory=dict, description="Override the weight of a signal type: {funding = 1.2}.")
    warm_path_bonus: float = Field(0.15, ge=0, le=5, description="Score bonus per warm contact (diminishing).")
    min_confidence: float = Field(0.3, ge=0, le=1, description="Signals below this confidence are ignored.")
    needs_file: str = Field("", description="Your own need model file, merged over the built-in one.")
    needs: dict[str, Any] = Field(
        default_factory=dict, description="Inline need-model overrides, shaped like config/needs.toml: "
                                          "[ranking.needs.search_mandate] half_life_days = 90.")

    @field_validator("needs")
    @classmethod
    def _needs(cls, v: dict[str, Any]) -> dict[str, Any]:
        from radar.rank.needs import check_overrides

        check_overrides(v)
        return v

    @field_validator("weights")
    @classmethod
    def _types(cls, v: dict[str, float]) -> dict[str, float]:
        for k in v:
            if k not in SIGNAL_TYPES:
                raise ValueError(f"unknown signal type '{k}'; allowed: {', '.join(SIGNAL_TYPES)}")
        return v


class Settings(Section):
    general: General = Field(default_factory=General)
    profile: Profile = Field(default_factory=Profile)
    sources: list[SourceEntry] = Field(default_factory=list)
    industries: Industries = Field(default_factory=Industries)
    crawl: Crawl = Field(default_factory=Crawl)
    edgar: Edgar = Field(default_factory=Edgar)
    schedule: Schedule = Field(default_factory=Schedule)
    digest: Digest = Field(default_factory=Digest)
    export: Export = Field(default_factory=Export)
    ranking: Ranking = Field(default_factory=Ranking)
    worker: Worker = Field(default_factory=Worker)

    # Where each leaf setting came from: "default", the file path, "env NAME" or "command line".
    _origins: dict[str, str] = PrivateAttr(default_factory=dict)
    _path: Optional[str] = PrivateAttr(None)
    _profile_key: str = PrivateAttr("default")

    @property
    def profile_key(self) -> str:
        """Whose ranking and digest these settings make: "default" for the config's [profile],
        "profile:<name>" for a stored one (radar.profiles)."""
        return self._profile_key

    def for_profile(self, key: str, profile: Profile, to: list[str], out_dir: str) -> "Settings":
        """These settings for another person: their profile, digest address and digest folder."""
        copy = self.model_copy(update={"profile": profile,
                                       "digest": self.digest.model_copy(update={"to": to, "out_dir": out_dir})})
        copy._profile_key = key
        return copy

    @property
    def origins(self) -> dict[str, str]:
        return self._origins

    @property
    def path(self) -> Optional[str]:
        """The config file these settings were read from, if any."""
        return self._path

    @property
    def data_dir(self) -> Path:
        return Path(os.path.expanduser(self.general.data_dir))

    def database_url(self) -> str:
        if self.general.database_url:
            return self.general.database_url
        return f"sqlite:///{self.data_dir / 'radar.db'}"

    def secret(self, env_name: str) -> Optional[str]:
        """Read a secret from the environment variable the config names."""
        return os.environ.get(env_name) or None


ENV_OVERRIDES = {
    "RADAR_DATABASE_URL": ("general", "database_url"),
    "RADAR_DATA_DIR": ("general", "data_dir"),
    "RADAR_LOG_LEVEL": ("general", "log_level"),
}


def _flatten(d: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict) and v and k not in ("weights", "overrides", "needs"):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def _describe(err: Mapping[str, Any], raw: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in err["loc"])
    value = err.get("input")
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = err["loc"][:-1]
        model: Any = Settings
        for part in parent:
            if isinstance(part, int):
                continue
            field = model.model_fields.get(str(part))
            if field is None:
                break
            ann = field.annotation
            model = getattr(ann, "__args__", [ann])[0] if not isinstance(ann, type) else ann
        allowed = ", ".join(getattr(model, "model_fields", {}).keys())
        return f"unknown setting '{loc}'; allowed here: {allowed}"
    msg = err["msg"]
    if kind == "literal_error":
        msg = msg.replace("Input should be", "allowed:")
    msg = msg.removeprefix("Value error, ")
    return f"bad value for '{loc}': {value!r}; {msg}"


def load_settings(path: Optional[Path] = None, overrides: Optional[dict[str, Any]] = None,
                  require_file: bool = False) -> Settings:
    """Load and validate settings; raises ConfigError with one line naming the key and the fix."""
    env_path = os.environ.get("RADAR_CONFIG")
    if path is None and env_path:
        path = Path(env_path)
    explicit = path is not None
    path = path or DEFAULT_CONFIG
    raw: dict[str, Any] = {}
    if path.exists():
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"{path}: not valid TOML ({e}); "
                              "fix the syntax or run 'radar init --force' for a fresh file") from e
        except (OSError, UnicodeDecodeError) as e:
            raise ConfigError(f"{path}: cannot read the config file ({e})") from e
    elif explicit or require_file:
        raise ConfigError(f"config file {path} does not exist; create one with 'radar init --config {path}'")
    for section, value in raw.items():
        if section in Settings.model_fields and section != "sources" and not isinstance(value, dict):
            raise ConfigError(f"{path}: '{section}' must be a section ([{section}] with settings under it), "
                              f"not {value!r}")
    origins = {k: str(path) for k in _flatten(raw)}
    for env, (section, key) in ENV_OVERRIDES.items():
        if os.environ.get(env):
            raw.setdefault(section, {})[key] = os.environ[env]
            origins[f"{section}.{key}"] = f"env {env}"
    for dotted, value in (overrides or {}).items():
        section, key = dotted.split(".", 1)
        raw.setdefault(section, {})[key] = value
        origins[dotted] = "command line"
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        # A bad value from RADAR_LOG_LEVEL is the environment's, not the file's.
        where = origins.get(".".join(str(p) for p in first["loc"][:2]), str(path)).removeprefix("env ")
        raise ConfigError(f"{where}: {_describe(first, raw)}") from e
    names = [s.name for s in settings.sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ConfigError(f"{path}: source name '{dupes[0]}' is used twice in [[sources]]; names must be unique")
    settings._origins = origins
    settings._path = str(path) if path.exists() else None
    return settings


def redact_url(url: str) -> str:
    """The URL with any password replaced: for messages and `radar config show`."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def effective_settings(settings: Settings) -> list[tuple[str, Any, str]]:
    """(key, value, origin) for every setting, for `radar config show` (passwords masked)."""
    flat = _flatten(settings.model_dump(mode="json"))
    if isinstance(flat.get("general.database_url"), str):
        flat["general.database_url"] = redact_url(flat["general.database_url"])
    rows = []
    for key, value in sorted(flat.items()):
        origin = settings._origins.get(key)
        if origin is None and key.startswith("sources"):
            origin = settings._origins.get("sources", "default")
        rows.append((key, value, origin or "default"))
    return rows
