"""The one schema every stage shares (SQLModel tables)."""
from radar.models.tables import (
    Contact,
    CrawlRun,
    DigestRun,
    Document,
    DocumentUrl,
    ExportItem,
    ExportRun,
    Organization,
    OrgAlias,
    RankCache,
    ServiceJob,
    ServiceLock,
    Signal,
    SignalMention,
    Source,
)

__all__ = [
    "Contact", "CrawlRun", "DigestRun", "Document", "DocumentUrl", "ExportItem", "ExportRun",
    "Organization", "OrgAlias", "RankCache", "ServiceJob", "ServiceLock", "Signal", "SignalMention", "Source",
]
