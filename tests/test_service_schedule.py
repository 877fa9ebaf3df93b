"""Scheduling: the digest's time across daylight-saving changes (frozen clock), the catch-up
after downtime, and a job store whose schedule survives a restart."""
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from freezegun import freeze_time
from sqlalchemy.engine import Engine

from radar.service.schedule import digest_overdue, job_specs, next_digest, sync_jobs, this_weeks_digest_time
from radar.settings import Schedule, Weekday, load_settings

BERLIN = ZoneInfo("Europe/Berlin")
UTC = UTC


def berlin(weekday: Weekday = "mon", at: str = "07:30") -> Schedule:
    return Schedule(digest_weekday=weekday, digest_time=at, timezone="Europe/Berlin")


@pytest.mark.parametrize("frozen,expected_utc", [
    # Spring forward on Sunday 2026-03-29: Monday 07:30 is 06:30 UTC before, 05:30 UTC after.
    ("2026-03-23 05:00:00", datetime(2026, 3, 23, 6, 30, tzinfo=UTC)),
    ("2026-03-23 07:00:00", datetime(2026, 3, 30, 5, 30, tzinfo=UTC)),
    # Fall back on Sunday 2026-10-25: 05:30 UTC before, 06:30 UTC after.
    ("2026-10-19 06:00:00", datetime(2026, 10, 26, 6, 30, tzinfo=UTC)),
])
def test_next_digest_keeps_local_time_across_dst(frozen: str, expected_utc: datetime) -> None:
    with freeze_time(frozen, tz_offset=0):
        now = datetime.now(UTC)
        fire = next_digest(berlin(), now)
    assert fire == expected_utc
    assert fire.astimezone(BERLIN).strftime("%a %H:%M") == "Mon 07:30"


def test_digest_on_the_dst_sunday_itself() -> None:
    # 09:00 local on the day the clocks go back: 08:00 UTC, not 07:00.
    with freeze_time("2026-10-25 00:30:00"):
        fire = next_digest(berlin("sun", "09:00"), datetime.now(UTC))
    assert fire == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_this_weeks_digest_time_and_overdue() -> None:
    sch = berlin("mon", "07:30")
    with freeze_time("2026-04-01 12:00:00"):  # a Wednesday after the spring change
        now = datetime.now(UTC)
        due = this_weeks_digest_time(sch, now)
        assert due.astimezone(UTC) == datetime(2026, 3, 30, 5, 30, tzinfo=UTC)
        assert digest_overdue(sch, now, this_week_done=False, ever_sent=True)
        assert not digest_overdue(sch, now, this_week_done=True, ever_sent=True)
        assert not digest_overdue(sch, now, this_week_done=False, ever_sent=False)  # fresh install: wait
    with freeze_time("2026-03-30 05:00:00"):  # Monday 07:00 local: not yet due
        assert not digest_overdue(sch, datetime.now(UTC), this_week_done=False, ever_sent=True)


def test_every_job_is_coalesced_with_a_deliberate_grace(config_file: Path) -> None:
    settings = load_settings(config_file)
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    later = now + timedelta(minutes=30)
    specs = {s.id: s for s in job_specs(settings, [("a", 60, None), ("b", 15, later)], now)}
    assert set(specs) == {"crawl:a", "crawl:b", "digest", "digest-retry"}
    assert specs["digest"].grace_seconds == settings.schedule.digest_grace_hours * 3600 == 48 * 3600
    assert specs["crawl:b"].grace_seconds == 15 * 60
    assert specs["crawl:a"].first_run == now and specs["crawl:b"].first_run == later  # honours the stored next fetch
    assert all(":" in s.func and s.func.startswith("radar.service.tasks:") for s in specs.values())


def _scheduler(engine: Engine) -> BackgroundScheduler:
    from radar.service.serve import build_scheduler

    sch = build_scheduler(engine)
    sch.start(paused=True)
    return sch


def test_schedule_survives_a_restart_and_follows_config_changes(engine: Engine, config_file: Path) -> None:
    settings = load_settings(config_file)
    now = datetime.now(UTC)
    first = _scheduler(engine)
    report = sync_jobs(first, job_specs(settings, [("a", 60, None), ("b", 60, None)], now))
    assert sorted(report["added"]) == ["crawl:a", "crawl:b", "digest", "digest-retry"]
    planned = {j.id: j.next_run_time for j in first.get_jobs()}
    first.shutdown()

    second = _scheduler(engine)
    # An hour later, source b gone, the digest moved: a restarts with its stored next run.
    report = sync_jobs(second, job_specs(settings.model_copy(update={"schedule": berlin("fri", "18:00")}),
                                         [("a", 60, None)], now + timedelta(hours=1)))
    assert sorted(report["kept"]) == ["crawl:a", "digest-retry"]
    assert report["added"] == ["digest"] and report["removed"] == ["crawl:b"]
    jobs = {j.id: j for j in second.get_jobs()}
    assert jobs["crawl:a"].next_run_time == planned["crawl:a"]
    assert jobs["digest"].next_run_time.astimezone(BERLIN).strftime("%a %H:%M") == "Fri 18:00"
    assert all(j.coalesce and j.max_instances == 1 and j.misfire_grace_time for j in jobs.values())
    second.shutdown()
