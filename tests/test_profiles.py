"""Many profiles, one crawl: `radar profiles add|list|remove`, and each stored profile gets
its own digest once per ISO week, from workers on PostgreSQL and from `radar serve`."""
import csv
import io
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar.cli import main
from radar.models import ServiceJob
from tests.smtp_server import smtp_server
from tests.test_worker_cluster import FAST, Cluster, cluster_factory  # noqa: F401 - the fixture


def test_profiles_add_list_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "radar.db")]
    assert main(db + ["profiles", "add", "ana", "--email", "ana@example.com", "--industry", "fintech",
                      "--function", "engineering"]) == 0
    assert main(db + ["profiles", "add", "bo", "--email", "Bo <bo@example.org>"]) == 0
    capsys.readouterr()
    assert main(db + ["profiles", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["email"], r["industries"], r["functions"]) for r in rows] == [
        ("ana", "ana@example.com", ["fintech"], ["engineering"]), ("bo", "Bo <bo@example.org>", [], [])]
    assert main(db + ["profiles", "list", "--jsonl"]) == 0
    assert [json.loads(line)["name"] for line in capsys.readouterr().out.splitlines()] == ["ana", "bo"]
    assert main(db + ["profiles", "list", "--csv"]) == 0
    assert [r["name"] for r in csv.DictReader(io.StringIO(capsys.readouterr().out))] == ["ana", "bo"]
    assert main(db + ["profiles", "remove", "bo"]) == 0
    assert main(db + ["profiles", "list"]) == 0
    out = capsys.readouterr().out
    assert "ana" in out and "bo@" not in out


@pytest.mark.parametrize(("args", "says"), [
    (["ana", "--email", "ana@example.com"], "exists already"),
    (["Bad Name", "--email", "x@example.com"], "bad profile name"),
    (["cy", "--email", "not an address"], "bad digest address"),
    (["cy", "--email", "c@example.com", "--industry", "nosuch"], "unknown industry 'nosuch'"),
    (["cy", "--email", "c@example.com", "--seniority", "emperor"], "profile seniority"),
])
def test_bad_profiles_are_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                              says: str) -> None:
    db = ["--db", str(tmp_path / "radar.db")]
    assert main(db + ["profiles", "add", "ana", "--email", "ana@example.com"]) == 0
    capsys.readouterr()
    assert main(db + ["profiles", "add", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0], err
    assert main(db + ["profiles", "remove", "nobody"]) == 2


def test_each_profile_gets_its_own_digest_once_per_week(
        tmp_path: Path, cluster_factory: Callable[[Path], Cluster]) -> None:  # noqa: F811 - the fixture
    weekday = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][datetime.now(UTC).weekday()]
    with smtp_server() as (inbox, port):
        cfg = tmp_path / "radar.toml"
        cfg.write_text(f'[general]\ndata_dir = "{tmp_path / "data"}"\n'
                       f'[schedule]\ndigest_weekday = "{weekday}"\ndigest_time = "00:00"\n'
                       f'[digest]\nto = ["me@example.com"]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\n'
                       f'smtp_security = "none"\n' + FAST, encoding="utf-8")
        c = cluster_factory(cfg)
        db = ["--config", str(cfg), "--db", c.url]
        assert main(db + ["profiles", "add", "ana", "--email", "ana@example.com", "--industry", "fintech"]) == 0
        assert main(db + ["profiles", "add", "bo", "--email", "bo@example.org"]) == 0
        c.start("w0")
        c.start("w1")
        c.wait_for(lambda: len(inbox.messages) >= 3)
        time.sleep(4)  # several more ticks: nothing more is due this week
        runs = c.query("select profile, status from digest_run order by profile")
        codes = c.stop_all()
    sent_to = Counter(rcpt for _, rcpts in inbox.envelopes for rcpt in rcpts)
    assert sent_to == Counter({"me@example.com": 1, "ana@example.com": 1, "bo@example.org": 1})
    assert runs == [("default", "sent"), ("profile:ana", "sent"), ("profile:bo", "sent")]
    assert (tmp_path / "data" / "digests" / "profiles" / "ana").is_dir()
    assert set(codes.values()) == {0}


def test_serve_sends_each_profile_its_digest(engine: Engine, config_file: Path) -> None:
    """`radar serve`'s digest job (here its catch-up after a restart) writes and sends the
    config's digest and each stored profile's, through a real SMTP server, once per week."""
    from radar import profiles
    from radar import stop as stop_flag
    from radar.models import DigestRun
    from radar.service import tasks
    from radar.service.serve import serve
    from radar.settings import WEEKDAYS, load_settings
    from tests.digest_samples import seed

    now = datetime.now(UTC)
    due = now - timedelta(minutes=5)  # earlier this week: the restarted service owes it
    if due.isocalendar()[:2] != now.isocalendar()[:2]:
        pytest.skip("the ISO week began less than five minutes ago")
    last_week = (now - timedelta(days=7)).isocalendar()
    seed(engine, now.date())
    with Session(engine) as s:  # a digest was sent before: the radar is not a fresh install
        s.add(DigestRun(iso_week=f"{last_week[0]}-W{last_week[1]:02d}", status="sent", organizations=[]))
        s.commit()
    profiles.add(engine, "ana", "ana@example.com", {"industries": ["fintech"]})
    profiles.add(engine, "bo", "bo@example.org", {})
    with smtp_server() as (inbox, port):
        config_file.write_text(config_file.read_text(encoding="utf-8") +
                               f'[schedule]\ndigest_weekday = "{WEEKDAYS[due.weekday()]}"\n'
                               f'digest_time = "{due:%H:%M}"\n'
                               f'[digest]\nto = ["me@example.com"]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\n'
                               'smtp_security = "none"\n', encoding="utf-8")
        settings = load_settings(config_file)
        thread = threading.Thread(target=serve, args=(settings, engine), kwargs={"heartbeat_seconds": 0.2},
                                  daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 60
            while len(inbox.messages) < 3 and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(1)  # a fourth email would come now
        finally:
            stop_flag.request_stop()
            thread.join(30)
        assert not thread.is_alive()
        tasks.digest_job()  # the week's digests are done: the job sends nothing more
        with Session(engine) as s:
            runs = sorted((r.profile, r.status, len(r.organizations)) for r in s.exec(select(DigestRun))
                          if r.iso_week != f"{last_week[0]}-W{last_week[1]:02d}")
            job = s.get(ServiceJob, "digest")
    sent_to = Counter(rcpt for _, rcpts in inbox.envelopes for rcpt in rcpts)
    assert sent_to == Counter({"me@example.com": 1, "ana@example.com": 1, "bo@example.org": 1})
    assert [(p, st) for p, st, _ in runs] == [("default", "sent"), ("profile:ana", "sent"), ("profile:bo", "sent")]
    assert runs[0][2] == 3  # the seeded organizations, ranked for the config's profile
    assert (config_file.parent / "data" / "digests" / "profiles" / "bo").is_dir()
    assert job is not None and job.last_status == "ok" and job.runs == 2
    assert job.last_detail is not None and "profile:ana" in job.last_detail and "skipped" in job.last_detail
