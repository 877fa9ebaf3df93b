"""The week's digest row is claimed before the email goes out: any number of `radar digest`
processes at once send one email and record one run (real processes, a real SMTP server, on
SQLite and PostgreSQL); a claim whose sender died is taken over once it is stale."""
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar.clock import digest_today
from radar.digest.weekly import CLAIM_STALE, run_weekly
from radar.models import DigestRun
from radar.settings import load_settings
from tests.digest_samples import seed
from tests.smtp_server import smtp_server

RADAR = [sys.executable, "-m", "radar"]


def mail_config(config_file: Path, port: int) -> Path:
    config_file.write_text(config_file.read_text() + (
        f'[digest]\nto = ["dana@example.org"]\nsender = "radar@example.org"\nsmtp_host = "127.0.0.1"\n'
        f'smtp_port = {port}\nsmtp_security = "none"\n'))
    return config_file


def test_digests_started_together_send_one_email(engine: Engine, db_url: str, config_file: Path) -> None:
    with smtp_server() as (inbox, port):
        cfg = mail_config(config_file, port)
        seed(engine, digest_today(load_settings(cfg)))
        env = {**os.environ, "RADAR_DATABASE_URL": db_url}
        procs = [subprocess.Popen(RADAR + ["--config", str(cfg), "digest"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, env=env) for _ in range(4)]
        results = [(p.communicate(timeout=300)[1], p.returncode) for p in procs]
    assert [code for _, code in results] == [0, 0, 0, 0], results
    assert len(inbox.messages) == 1
    with engine.connect() as c:
        assert [tuple(r) for r in c.execute(text("select status, profile from digest_run"))] == [("sent", "default")]
    said = " ".join(err for err, _ in results)
    assert said.count("written and sent") == 1, said


def test_a_fresh_claim_is_left_alone_and_a_stale_one_taken_over(engine: Engine, config_file: Path) -> None:
    now = datetime.now(UTC)
    with smtp_server() as (inbox, port):
        settings = load_settings(mail_config(config_file, port))
        seed(engine, digest_today(settings, now))
        first = run_weekly(engine, settings, now=now)
        assert first.status == "sent" and len(inbox.messages) == 1
        # Another process is sending this week's digest right now (its send failed before, say).
        with Session(engine) as s:
            run = s.exec(select(DigestRun)).one()
            run.status, run.claimed_at = "sending", datetime.now(UTC)
            s.add(run)
            s.commit()
        busy = run_weekly(engine, settings, now=now)
        assert busy.status == "busy" and len(inbox.messages) == 1
        # Its sender died mid-send long ago: the claim is stale, the digest goes out again.
        with Session(engine) as s:
            run = s.exec(select(DigestRun)).one()
            run.claimed_at = datetime.now(UTC) - CLAIM_STALE - timedelta(minutes=1)
            s.add(run)
            s.commit()
        again = run_weekly(engine, settings, now=now)
        assert again.status == "sent" and len(inbox.messages) == 2
    with Session(engine) as s:
        run = s.exec(select(DigestRun)).one()
        assert run.status == "sent" and run.claimed_at is None
