"""SQLModel tables: sources, documents, organizations, signals, contacts and run records.

No `from __future__ import annotations` here: it breaks SQLModel's relationship mapping.
Datetimes are timezone-aware UTC (SQLModel 0.0.50 refuses naive ones at flush).
"""
from datetime import UTC, date, datetime
from typing import Any, Optional
from typing import cast as typing_cast

from sqlalchemy import JSON, Column, DateTime, Index, Table, Text, UniqueConstraint, cast, text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped
from sqlmodel import Field, SQLModel, col


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Core table, for Core statements."""
    return model.__table__  # type: ignore[attr-defined]  # SQLModel does not declare __table__


def id_col(column: Optional[int]) -> Mapped[int]:
    """A table's `id` column in a Core select. SQLModel types `id` Optional, since an object
    has none until it is flushed; a stored row always has one."""
    return typing_cast(Mapped[int], col(column))


def _ts(**kw: Any) -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), **kw))


class Source(SQLModel, table=True):
    """A place radar reads: a feed, a newsroom page, a sitemap or an EDGAR feed."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    url: str
    kind: str = "rss"  # rss, atom, feed, newsroom, sitemap, edgar
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    interval_minutes: int = 60
    enabled: bool = True
    origin: str = "config"  # config, catalog, cli
    # False for publishers whose terms allow reading feed entries only (no article pages).
    fetch_articles: bool = Field(default=True, sa_column_kwargs={"server_default": sa_true()})
    # HTTP validators for conditional GET.
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    # Health.
    last_status: Optional[int] = None
    last_error: Optional[str] = Field(default=None, sa_column=Column(Text))
    consecutive_failures: int = 0
    last_fetched_at: Optional[datetime] = _ts(nullable=True)
    next_fetch_at: Optional[datetime] = _ts(nullable=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class Document(SQLModel, table=True):
    """One fetched article, feed entry or filing, stored once however many URLs carry it."""

    id: Optional[int] = Field(default=None, primary_key=True)
    url: str = Field(index=True, unique=True)  # canonical URL
    source_id: Optional[int] = Field(default=None, foreign_key="source.id", index=True)
    kind: str = "article"  # article, feed_entry, 8-K, form-D
    title: Optional[str] = Field(default=None, sa_column=Column(Text))
    published_at: Optional[datetime] = _ts(nullable=True, index=True)
    fetched_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    language: Optional[str] = None
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    content_hash: str = Field(index=True)
    meta: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Extraction bookkeeping: `radar extract` picks documents whose version is behind.
    extracted_at: Optional[datetime] = _ts(nullable=True)
    extractor_version: Optional[str] = None


class DocumentUrl(SQLModel, table=True):
    """Every URL a document was seen at (syndication), so known URLs are skipped."""

    __tablename__ = "document_url"
    id: Optional[int] = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    url: str = Field(unique=True, index=True)
    source_id: Optional[int] = Field(default=None, foreign_key="source.id")
    seen_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class Organization(SQLModel, table=True):
    """One organization per resolution key: its normalized name, CIK and domain are each unique in
    the database, so any number of processes resolving the same name agree (radar.entities.resolve
    inserts with ON CONFLICT DO NOTHING and reads the winner). An empty normalized name is no key."""

    __table_args__ = (
        Index("ix_organization_normalized", "normalized", unique=True,
              sqlite_where=text("normalized <> ''"), postgresql_where=text("normalized <> ''")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str
    normalized: str
    domain: Optional[str] = Field(default=None, index=True, unique=True)
    cik: Optional[str] = Field(default=None, index=True, unique=True)
    sic: Optional[int] = None
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    location: Optional[str] = None
    stage: Optional[str] = None
    size: Optional[str] = None
    # Resolved from org_fact rows (radar.entities.profile); the columns are what readers use.
    ticker: Optional[str] = None
    employees: Optional[int] = None
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class OrgFact(SQLModel, table=True):
    """One piece of evidence about an organization: a field's value, where it was read and how sure.

    Crawled facts belong to the document they were read from (re-extracting the document
    replaces them); user facts (`radar orgs set`) have no document and win over any crawled one.
    The organization's columns hold the winning value of each field (radar.entities.profile).
    """

    __tablename__ = "org_fact"
    __table_args__ = (Index("ix_org_fact_org_field", "organization_id", "field"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    field: str  # domain, location, employees, industry, stage, ticker, cik, sic
    value: str
    confidence: float = 0.5
    origin: str = "crawled"  # crawled, user
    method: str = ""  # how it was read, e.g. "About boilerplate link", "EDGAR business address"
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False))
    document_id: Optional[int] = Field(default=None, foreign_key="document.id", index=True)
    url: Optional[str] = Field(default=None, sa_column=Column(Text))
    observed_on: Optional[date] = None  # the document's date: recency breaks ties between sources
    recorded_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class OrgAlias(SQLModel, table=True):
    """Another name of an organization; a normalized alias names one organization only."""

    __tablename__ = "org_alias"
    __table_args__ = (UniqueConstraint("normalized", "organization_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    alias: str
    normalized: str = Field(index=True, unique=True)


class Signal(SQLModel, table=True):
    """One typed, dated fact about one organization; `key` makes re-extraction idempotent."""

    __table_args__ = (
        Index("ix_signal_type_date", "type", "event_date"),
        Index("ix_signal_org_date", "organization_id", "event_date"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    organization_id: int = Field(foreign_key="organization.id")
    type: str
    subtype: Optional[str] = None
    event_date: date = Field(index=True)
    confidence: float = 0.5
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False))
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    document_id: Optional[int] = Field(default=None, foreign_key="document.id")
    url: Optional[str] = None
    title: Optional[str] = Field(default=None, sa_column=Column(Text))
    mentions: int = 1
    first_seen: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


# `radar signals --sort score`: reads each (date, type, subtype, mentions, attributes) group of
# the matches, then its best rows by confidence, from this index alone instead of every matching
# row from the table (radar.queries.score_matches). SQLite indexes the attributes as stored (JSON
# text; SQLite 3.40 reads an indexed CAST expression back from the table, not from the index);
# PostgreSQL has no btree operator class for json, so it indexes the text cast.
_S = table_of(Signal).c
Index("ix_signal_score_scan", _S.event_date, _S.type, _S.subtype, _S.mentions, _S.attributes, _S.confidence,
      _S.organization_id).ddl_if(dialect="sqlite")
Index("ix_signal_score_scan", _S.event_date, _S.type, _S.subtype, _S.mentions, cast(_S.attributes, Text), _S.confidence,
      _S.organization_id).ddl_if(dialect="postgresql")


class SignalMention(SQLModel, table=True):
    """Each document that reported a signal: five outlets, one signal, five mentions."""

    __tablename__ = "signal_mention"
    __table_args__ = (UniqueConstraint("signal_id", "document_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    signal_id: int = Field(foreign_key="signal.id", index=True)
    document_id: int = Field(foreign_key="document.id", index=True)
    evidence: str = Field(default="", sa_column=Column(Text, nullable=False))
    confidence: float = 0.5


class Contact(SQLModel, table=True):
    """A person one profile knows (`radar contacts import`), for that profile's warm paths."""

    __table_args__ = (Index("ix_contact_profile_key", "profile", "key", unique=True),)
    id: Optional[int] = Field(default=None, primary_key=True)
    # Whose contact: "default" for the config's [profile], "profile:<name>" for a stored one
    # (as digest_run.profile); two profiles may know the same person.
    profile: str = Field(default="default", sa_column_kwargs={"server_default": "default"})
    key: str = Field(index=True)  # stable identity within a profile: email, profile URL or name+company
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    full_name: str
    email: Optional[str] = None
    url: Optional[str] = None
    company: Optional[str] = None
    position: Optional[str] = None
    organization_id: Optional[int] = Field(default=None, foreign_key="organization.id", index=True)
    connected_on: Optional[date] = None
    origin: Optional[str] = None  # linkedin, vcard, csv
    imported_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class CrawlRun(SQLModel, table=True):
    __tablename__ = "crawl_run"
    id: Optional[int] = Field(default=None, primary_key=True)
    source_id: Optional[int] = Field(default=None, foreign_key="source.id", index=True)
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    finished_at: Optional[datetime] = _ts(nullable=True)
    status: str = "running"  # running, ok, not_modified, failed, skipped
    http_status: Optional[int] = None
    new_documents: int = 0
    bytes: int = 0
    error: Optional[str] = Field(default=None, sa_column=Column(Text))


class DigestRun(SQLModel, table=True):
    """The digest of one profile for one ISO week: one row, claimed before the email goes out, so two
    `radar digest` at once send one email (radar.digest.weekly)."""

    __tablename__ = "digest_run"
    __table_args__ = (UniqueConstraint("profile", "iso_week", name="uq_digest_run_profile_week"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    # Whose digest: "default" for the config's [profile], "profile:<name>" for a stored one.
    profile: str = Field(default="default", sa_column_kwargs={"server_default": "default"})
    iso_week: str = Field(index=True)  # e.g. 2026-W48
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    sent_at: Optional[datetime] = _ts(nullable=True)
    status: str = "rendered"  # rendered, sending, sent, failed
    # When a process claimed the run to send it; a claim older than radar.digest.weekly.CLAIM_STALE
    # (its sender died mid-send) may be taken over.
    claimed_at: Optional[datetime] = _ts(nullable=True)
    path: Optional[str] = None
    recipients: Optional[str] = None
    error: Optional[str] = Field(default=None, sa_column=Column(Text))
    organizations: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ExportRun(SQLModel, table=True):
    __tablename__ = "export_run"
    id: Optional[int] = Field(default=None, primary_key=True)
    target: str = Field(index=True)
    started_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
    finished_at: Optional[datetime] = _ts(nullable=True)
    status: str = "running"
    records: int = 0
    destination: Optional[str] = None
    error: Optional[str] = Field(default=None, sa_column=Column(Text))


class ExportItem(SQLModel, table=True):
    """What each export target last sent for each record, so --since-last sends only changes."""

    __tablename__ = "export_item"
    __table_args__ = (UniqueConstraint("target", "item_key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    target: str
    item_key: str
    content_hash: str
    external_id: Optional[str] = None
    sent_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class ServiceLock(SQLModel, table=True):
    """A row per lock name: a second `radar serve` on the same database refuses to start."""

    __tablename__ = "service_lock"
    name: str = Field(primary_key=True)
    holder: str
    pid: int
    heartbeat_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class ServiceJob(SQLModel, table=True):
    """The last run of each scheduled job, for `radar status`: one row per job, not a log."""

    __tablename__ = "service_job"
    job_id: str = Field(primary_key=True)
    last_started_at: Optional[datetime] = _ts(nullable=True)
    last_finished_at: Optional[datetime] = _ts(nullable=True)
    last_status: str = "never"  # running, ok, failed, stopped
    last_error: Optional[str] = Field(default=None, sa_column=Column(Text))
    last_detail: Optional[str] = Field(default=None, sa_column=Column(Text))
    runs: int = 0
    failures: int = 0


class StoredProfile(SQLModel, table=True):
    """Another person's profile on this radar (`radar profiles add`): sources and documents are
    crawled and extracted once for everyone; ranking and the digest are per profile. The
    config's [profile] stays the radar's own and is not a row here."""

    __tablename__ = "profile"
    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    email: str  # where this profile's weekly digest goes
    # The [profile] settings of radar.settings.Profile (watched industries, functions, ...).
    settings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))


class HostLease(SQLModel, table=True):
    """Who may send the next request to a host, and when (radar.spiders.lease): one request at
    a time per host across every process on the database. Times are Unix seconds."""

    __tablename__ = "host_lease"
    host: str = Field(primary_key=True)  # host[:port] as in the URL
    holder: Optional[str] = None  # host:pid:nonce of the process sending now; None when free
    expires_at: Optional[float] = None  # a dead holder's lease ends here
    next_at: float = 0.0  # the next request may start at this time (the host's delay after the last)


class UrlClaim(SQLModel, table=True):
    """Which crawl fetches an article URL now (radar.spiders.url_claims): an article listed by
    several sources (two feeds, a feed and a newsroom page) is fetched once per crawl, across
    the crawl's threads and its Scrapy child. Rows live as long as their crawl."""

    __tablename__ = "url_claim"
    url: str = Field(primary_key=True)  # canonical article URL
    crawl: str  # the crawl's id (host:pid:nonce of the process that started it)
    expires_at: float  # Unix seconds: a claim of a crawl that died frees its URL here


class RankCache(SQLModel, table=True):
    """The last whole ranking for one profile and its ranking settings (radar.rank.cache).

    `radar orgs top` reads the first rows instead of ranking every organization again; the
    ranking is still computed per person (DESIGN.md), only stored until it goes stale. Rows
    of one ranking share `profile_key`, `day` and `data_version`; position 0 is a header row
    (no organization) so that a ranking with no organization in it is cached too.
    """

    __tablename__ = "rank_cache"
    profile_key: str = Field(primary_key=True)  # hash of profile, ranking settings, need model and catalogs
    position: int = Field(primary_key=True)  # 1 = best; 0 = header
    day: date  # the ranking's `today`: recency changes with it
    data_version: str  # radar.rank.cache.data_version() when it was computed
    organization_id: Optional[int] = None  # no foreign key: a merged or deleted organization only makes the row stale
    score: float = 0.0
    relevance: float = 1.0  # BM25 factor, relative to every organization ranked: kept, not recomputed
    investor_contacts: int = 0
    industries: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    computed_at: datetime = Field(default_factory=utcnow, sa_column=Column(DateTime(timezone=True), nullable=False))
