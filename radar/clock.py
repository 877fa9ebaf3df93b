"""Today's date in the user's time zones: low enough that every stage can import it.

Two settings name a zone: [general] timezone for the dates ranking and listings count from,
[schedule] timezone for when the digest is due and so which ISO week it belongs to.
"""
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Optional
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from radar.settings import Settings


def today_in(timezone: str, now: Optional[datetime] = None) -> date:
    """The date at `now` (this instant if None) in an IANA time zone."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone)).date()


def today_for(settings: "Settings", now: Optional[datetime] = None) -> date:
    """Today in the user's time zone: the day ranking, listings and exports count from."""
    return today_in(settings.general.timezone, now)


def digest_today(settings: "Settings", now: Optional[datetime] = None) -> date:
    """Today in the digest's time zone: it decides which ISO week a digest belongs to."""
    return today_in(settings.schedule.timezone, now)
