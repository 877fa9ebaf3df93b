"""Today's date in the two time zones the settings name, at an instant near midnight."""
from datetime import UTC, date, datetime

from radar.clock import digest_today, today_for, today_in
from radar.settings import Settings

# 23:30 UTC on Sunday 29 March 2026: already Monday in Berlin (DST began that night), still Sunday in New York.
NOW = datetime(2026, 3, 29, 23, 30, tzinfo=UTC)


def test_today_in_a_zone() -> None:
    assert today_in("Europe/Berlin", NOW) == date(2026, 3, 30)
    assert today_in("America/New_York", NOW) == date(2026, 3, 29)
    assert today_in("UTC", datetime(2026, 1, 1, tzinfo=UTC)) == date(2026, 1, 1)


def test_user_and_digest_days_follow_their_own_settings() -> None:
    settings = Settings.model_validate({"general": {"timezone": "America/New_York"},
                                        "schedule": {"timezone": "Europe/Berlin"}})
    assert today_for(settings, NOW) == date(2026, 3, 29)
    assert digest_today(settings, NOW) == date(2026, 3, 30)
