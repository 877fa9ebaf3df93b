"""What a crawl reports: per-source results, the crawl's summary, and a source's outcome."""
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Optional

NOT_DUE = "not due yet"  # the reason of a source skipped because its next fetch time is later


@dataclass
class SourceResult:
    source: str
    status: str  # ok, not_modified, failed, skipped
    new_documents: int = 0
    error: Optional[str] = None
    http_status: Optional[int] = None
    bytes: int = 0


@dataclass
class Outcome:
    """A fetched source: its result and the validators to keep for the next conditional GET.

    `complete` is False when entries were left for the next run (the per-run cap, or a
    transient error on an article): the old validators are then kept, so the next run
    gets the whole feed again instead of a 304 that would skip the rest.
    """

    result: SourceResult
    etag: Optional[str] = None
    last_modified: Optional[str] = None
    complete: bool = True


@dataclass
class CrawlSummary:
    results: list[SourceResult] = field(default_factory=list)
    bytes: int = 0
    requests: int = 0
    retries: int = 0
    interrupted: int = 0  # sources cut short by a stop: not recorded, they stay due

    @property
    def new_documents(self) -> int:
        return sum(r.new_documents for r in self.results)

    @property
    def failed(self) -> int:
        return sum(1 for r in self.results if r.status == "failed")

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.results if r.status == "skipped")

    @property
    def succeeded(self) -> int:
        return sum(1 for r in self.results if r.status in ("ok", "not_modified"))


Progress = Callable[[SourceResult], None]
