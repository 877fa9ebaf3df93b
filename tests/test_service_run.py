"""`radar serve` as a real process: crawl and extract on schedule, one instance per database,
a failing source contained, SIGTERM handled after the current document; and the catch-up
of a digest missed while the service was down."""
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from radar.settings import Settings
from tests.service_site import news_site, service_config
from tests.smtp_server import free_port

RADAR = [sys.executable, "-m", "radar"]


def start(config: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("RADAR_DATABASE_URL", None)
    return subprocess.Popen(RADAR + ["--config", str(config), "serve"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def wait_for(what: Callable[[], bool], timeout: float = 90.0, proc: subprocess.Popen[str] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"radar serve exited early ({proc.returncode}): {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.2)
    pytest.fail("timed out waiting for the service")


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    eng = create_engine(f"sqlite:///{db}")
    try:
        with eng.connect() as c:
            return [tuple(r) for r in c.execute(text(sql))]
    except Exception:  # noqa: BLE001 - the database may not exist yet
        return []
    finally:
        eng.dispose()


def job(db: Path, job_id: str) -> tuple[Any, ...] | None:
    rows = query(db, f"select last_status, last_error, last_detail from service_job where job_id = '{job_id}'")
    return rows[0] if rows and rows[0][0] != "running" else None


def stop(proc: subprocess.Popen[str]) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    return proc.returncode, err


def test_serve_runs_jobs_refuses_a_second_instance_and_stops_on_sigterm(tmp_path: Path) -> None:
    db = tmp_path / "data" / "radar.db"
    with news_site(n=4) as base:
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data",
                             {"news": f"{base}/feed.xml", "dead": f"http://127.0.0.1:{free_port()}/feed.xml"})
        proc = start(cfg)
        try:
            wait_for(lambda: job(db, "extract") is not None and job(db, "crawl:dead") is not None, proc=proc)
            assert query(db, "select count(*) from document") == [(4,)]
            assert query(db, "select count(*) from document where extractor_version is null") == [(0,)]
            assert query(db, "select count(*) from signal")[0][0] >= 1
            news, dead = job(db, "crawl:news"), job(db, "crawl:dead")
            assert news is not None and news[0] == "ok"
            assert dead is not None
            status, error, _ = dead
            assert status == "failed" and "127.0.0.1" in error
            assert proc.poll() is None  # the failing job did not stop the scheduler

            second = subprocess.run(RADAR + ["--config", str(cfg), "serve"], capture_output=True, text=True, timeout=60)
            assert second.returncode == 1
            last = second.stderr.strip().splitlines()[-1]
            assert last.startswith("radar: error: another radar serve is already running on this database (pid ")
            assert "Traceback" not in second.stderr

            info = json.loads(subprocess.run(RADAR + ["--config", str(cfg), "status", "--json"], capture_output=True,
                                             text=True, timeout=60, check=True).stdout)
            assert info["service"]["running"] and info["service"]["pid"] == proc.pid
            jobs = {j["id"]: j for j in info["jobs"]}
            assert jobs["crawl:news"]["last_status"] == "ok" and jobs["crawl:dead"]["failures"] == 1
            nxt = datetime.fromisoformat(jobs["crawl:news"]["next_run"])
            assert timedelta(minutes=55) < nxt - datetime.now(UTC) <= timedelta(minutes=60)
            assert jobs["digest"]["scheduled"] and jobs["digest"]["last_status"] == "never"
            assert {s["name"]: s["consecutive_failures"] for s in info["sources"]} == {"dead": 1, "news": 0}
        finally:
            code, err = stop(proc)
    assert code == 0, err
    assert "SIGTERM received" in err and "radar serve stopped" in err and "Traceback" not in err
    assert query(db, "select count(*) from service_lock") == [(0,)]


def test_sigterm_stops_after_the_current_document(tmp_path: Path) -> None:
    db = tmp_path / "data" / "radar.db"
    with news_site(n=40, delay=0.3) as base:
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", {"slow": f"{base}/feed.xml"})
        proc = start(cfg)
        try:
            wait_for(lambda: (query(db, "select count(*) from document") or [(0,)])[0][0] >= 2, proc=proc)
        finally:
            t0 = time.monotonic()
            code, err = stop(proc)
            took = time.monotonic() - t0
    assert code == 0, err
    assert took < 10, f"stop took {took:.1f}s"
    stored = query(db, "select count(*) from document")[0][0]
    assert 2 <= stored < 40
    slow = job(db, "crawl:slow")
    assert slow is not None and slow[0] == "stopped"
    # The interrupted source stays due: the next start fetches the rest.
    assert query(db, "select next_fetch_at, last_fetched_at from source where name = 'slow'") == [(None, None)]


def test_tracked_job_failure_is_recorded_and_contained(sqlite_engine: Engine, settings: Settings) -> None:
    from radar.models import ServiceJob
    from radar.service import tasks

    tasks.configure(settings, sqlite_engine)
    with tasks.tracked("boom"):
        raise RuntimeError("a bug in a job")
    with Session(sqlite_engine) as s:
        row = s.get(ServiceJob, "boom")
    assert row is not None and row.last_status == "failed" and row.last_error == "RuntimeError: a bug in a job"
    assert row.runs == 1 and row.failures == 1


def test_restart_sends_a_digest_missed_beyond_the_grace(engine: Engine, config_file: Path) -> None:
    from radar import stop as stop_flag
    from radar.models import DigestRun
    from radar.service.serve import serve
    from radar.settings import WEEKDAYS, load_settings
    from tests.digest_samples import seed

    settings = load_settings(config_file)
    now = datetime.now(UTC)
    # Due yesterday at this time (so always in the past), in the digest's timezone (UTC here).
    yesterday = now - timedelta(days=1)
    if yesterday.isocalendar()[1] != now.isocalendar()[1]:
        pytest.skip("today is the first day of an ISO week: 'earlier this week' does not exist")
    weekday = WEEKDAYS[yesterday.weekday()]
    settings.schedule.digest_weekday = weekday
    settings.schedule.digest_time = yesterday.strftime("%H:%M")
    settings.schedule.digest_grace_hours = 1
    seed(engine, now.date())
    last_week = (now - timedelta(days=7)).isocalendar()
    with Session(engine) as s:
        s.add(DigestRun(iso_week=f"{last_week[0]}-W{last_week[1]:02d}", status="sent", organizations=[]))
        s.commit()

    thread = threading.Thread(target=serve, args=(settings, engine), kwargs={"heartbeat_seconds": 0.2}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with Session(engine) as s:
                runs = list(s.exec(select(DigestRun).order_by(col(DigestRun.id))))
            if len(runs) == 2:
                break
            time.sleep(0.2)
    finally:
        stop_flag.request_stop()
        thread.join(30)
    assert not thread.is_alive()
    week = now.isocalendar()
    assert [r.iso_week for r in runs][-1] == f"{week[0]}-W{week[1]:02d}"
    assert runs[-1].status == "rendered" and len(runs[-1].organizations) == 3
