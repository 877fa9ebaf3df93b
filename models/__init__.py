"""The one schema every stage shares (SQLModel tables)."""
from radar.models.tables import (
    Contact,
    CrawlRun,
    DigestRun,
    Document,
    DocumentUrl,
    ExportItem,
    ExportRun,
    HostLease,
    OrgAlias,
    Organization,
    OrgFact,
    RankCache,
    ServiceJob,
    ServiceLock,
    Signal,
    SignalMention,
    Source,
    StoredProfile,
    UrlClaim,
    id_col,
    table_of,
)

__all__ = [
    "Contact", "CrawlRun", "DigestRun", "Document", "DocumentUrl", "ExportItem", "ExportRun", "HostLease",
    "Organization", "OrgAlias", "OrgFact",
    "RankCache", "ServiceJob", "ServiceLock", "Signal", "SignalMention", "Source", "StoredProfile",
    "UrlClaim", "id_col", "table_of",
]
