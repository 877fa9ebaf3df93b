"""`radar run` produces the week's digest as the weekly job does: every format on disk, one
record that `radar status` counts, and with SMTP set one email per ISO week."""
import json
import subprocess
import sys
from pathlib import Path

from radar.digest.view import iso_week
from tests.service_site import news_site, service_config
from tests.smtp_server import smtp_server

RADAR = [sys.executable, "-m", "radar"]


def _radar(cfg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(RADAR + ["--config", str(cfg), *args], capture_output=True, text=True, timeout=300)


def _last_digest(cfg: Path) -> dict[str, object]:
    status = _radar(cfg, "status", "--json")
    assert status.returncode == 0, status.stderr
    return json.loads(status.stdout)["last_digest"]


def test_run_records_and_sends_the_weeks_digest_once(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    with smtp_server() as (inbox, port), news_site(n=3) as base:
        mail = (f'[digest]\nto = ["dana@example.org"]\nsender = "radar@example.org"\nsmtp_host = "127.0.0.1"\n'
                f'smtp_port = {port}\nsmtp_security = "none"\n')
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", {"wire": f"{base}/feed.xml"}, extra=mail)
        first = _radar(cfg, "run")
        assert first.returncode == 0, first.stderr
        week = iso_week(datetime.now(UTC).date())  # the digest's timezone: UTC by default
        last = _last_digest(cfg)
        again = _radar(cfg, "run", "--force")
    assert again.returncode == 0, again.stderr
    assert len(inbox.messages) == 1  # the week's one email, though run twice
    assert last["iso_week"] == week and last["status"] == "sent", last
    assert f"digest {week} with" in first.stderr and "written and sent" in first.stderr
    assert f"digest {week} was already sent" in again.stderr and "radar digest --force" in again.stderr
    folder = tmp_path / "data" / "digests"
    assert {p.name for p in folder.iterdir()} >= {f"digest-{week}.{ext}" for ext in ("html", "txt", "md")}
    assert first.stdout == (folder / f"digest-{week}.md").read_text(encoding="utf-8") + "\n"
    assert first.stdout.startswith("# radar digest")


def test_run_without_email_rewrites_the_weeks_digest_each_time(tmp_path: Path) -> None:
    with news_site(n=3) as base:
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", {"wire": f"{base}/feed.xml"})
        first = _radar(cfg, "run")
        before = _last_digest(cfg)
        again = _radar(cfg, "run")
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    after = _last_digest(cfg)
    assert before["status"] == after["status"] == "rendered"
    assert str(after["created_at"]) > str(before["created_at"])  # the week's one record, written again
    assert "email is off" in again.stderr and again.stdout.startswith("# radar digest")
