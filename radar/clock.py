"""Today's date in the user's time zone: low enough that every stage can import it."""
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from radar.settings import Settings


def today_for(settings: "Settings") -> date:
    return datetime.now(UTC).astimezone(ZoneInfo(settings.general.timezone)).date()
