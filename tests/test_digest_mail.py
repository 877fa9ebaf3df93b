"""Delivery through a real SMTP server on 127.0.0.1: the MIME message, TLS modes, failures."""
import json
import re
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar.clock import digest_today
from radar.digest.weekly import run_weekly
from radar.models import DigestRun
from radar.settings import Settings, load_settings
from tests.digest_samples import HOSTILE, seed
from tests.smtp_server import free_port, self_signed, smtp_server

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def mail_settings(config_file: Path, port: int, security: str = "none", extra: str = "") -> Settings:
    config_file.write_text(config_file.read_text() + (
        f'[digest]\nto = ["dana@example.org"]\nsender = "radar@example.org"\nsmtp_host = "127.0.0.1"\n'
        f'smtp_port = {port}\nsmtp_security = "{security}"\n{extra}'))
    return load_settings(config_file)


def parts(msg: EmailMessage) -> tuple[str, str]:
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and html is not None
    return plain.get_content(), html.get_content()


def test_message_has_week_subject_both_parts_links_and_escaped_content(sqlite_engine: Engine,
                                                                       config_file: Path) -> None:
    with smtp_server() as (inbox, port):
        settings = mail_settings(config_file, port)
        seed(sqlite_engine, digest_today(settings, NOW))
        out = run_weekly(sqlite_engine, settings, now=NOW)
    assert out.status == "sent"
    assert len(inbox.messages) == 1
    msg = inbox.messages[0]
    assert msg["Subject"] == "radar digest 2026-W48: 3 organizations likely to need you"
    assert msg.get_content_type() == "multipart/alternative"
    assert inbox.envelopes[0] == ("radar@example.org", ["dana@example.org"])
    text, html = parts(msg)
    assert "1. Northwind Ledger" in text and "https://news.example.com/northwind?a=1&b=2" in text
    assert 'href="https://news.example.com/northwind?a=1&amp;b=2"' in html
    assert "<script" not in html and "&lt;script&gt;" in html and "javascript:" not in html
    assert HOSTILE in text  # plain text is inert as it is
    assert not re.search(r"<(img|link)\b", html)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_tls_modes_with_password_from_environment(sqlite_engine: Engine, config_file: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch, security: str) -> None:
    cert = self_signed(tmp_path)
    monkeypatch.setenv("RADAR_TEST_SMTP_PW", "s3cret pass")
    with smtp_server(security, cert, password="s3cret pass") as (inbox, port):
        settings = mail_settings(config_file, port, security,
                                 'smtp_user = "radar"\nsmtp_password_env = "RADAR_TEST_SMTP_PW"\nsmtp_cafile = '
                                 f'"{cert[0]}"\n')
        seed(sqlite_engine, digest_today(settings, NOW))
        out = run_weekly(sqlite_engine, settings, now=NOW)
    assert out.status == "sent", out.error
    assert inbox.logins == ["radar"] and len(inbox.messages) == 1


def test_wrong_password_is_a_recorded_failure(sqlite_engine: Engine, config_file: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    cert = self_signed(tmp_path)
    monkeypatch.setenv("RADAR_TEST_SMTP_PW", "wrong")
    with smtp_server("starttls", cert, password="right") as (inbox, port):
        settings = mail_settings(config_file, port, "starttls",
                                 'smtp_user = "radar"\nsmtp_password_env = "RADAR_TEST_SMTP_PW"\nsmtp_cafile = '
                                 f'"{cert[0]}"\n')
        out = run_weekly(sqlite_engine, settings, now=NOW)
    assert (out.status == "failed" and "refused the login of 'radar'" in (out.error or "")
            and "RADAR_TEST_SMTP_PW" in (out.error or ""))
    assert inbox.messages == []


def test_untrusted_certificate_is_refused(sqlite_engine: Engine, config_file: Path, tmp_path: Path) -> None:
    with smtp_server("tls", self_signed(tmp_path)) as (inbox, port):
        out = run_weekly(sqlite_engine, mail_settings(config_file, port, "tls"), now=NOW)
    assert out.status == "failed" and "CERTIFICATE_VERIFY_FAILED" in (out.error or "")
    assert inbox.messages == []


def test_send_failure_keeps_the_digest_and_is_retried_once(engine: Engine, config_file: Path) -> None:
    from radar.digest.weekly import deliver_pending

    port = free_port()  # nothing listens here yet
    settings = mail_settings(config_file, port)
    seed(engine, digest_today(settings, NOW))
    failed = run_weekly(engine, settings, now=NOW)
    assert failed.status == "failed" and "cannot send the digest through 127.0.0.1" in (failed.error or "")
    assert failed.path is not None and failed.path.exists()
    rendered = failed.path.read_text()

    with smtp_server(port=port) as (inbox, _):
        retried = deliver_pending(engine, settings, now=NOW)
        assert retried is not None and retried.status == "sent"
        assert deliver_pending(engine, settings, now=NOW) is None  # sent: nothing more to retry
        assert run_weekly(engine, settings, now=NOW).status == "skipped"  # and no second email this week
    assert len(inbox.messages) == 1
    _, html = parts(inbox.messages[0])
    assert html.replace("\r\n", "\n").strip() == rendered.strip()  # exactly what was rendered and kept on disk
    with Session(engine) as s:
        run = s.exec(select(DigestRun)).one()
    assert run.status == "sent" and run.error is None and run.sent_at is not None


def test_status_json_reports_a_failed_send(sqlite_engine: Engine, config_file: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from radar.cli import main

    settings = mail_settings(config_file, free_port())
    seed(sqlite_engine, digest_today(settings, NOW))
    run_weekly(sqlite_engine, settings, now=NOW)
    capsys.readouterr()
    assert main(["--config", str(config_file), "--db", str(sqlite_engine.url.database), "status", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["last_digest"]["status"] == "failed" and "cannot send the digest" in info["last_digest"]["error"]
    assert info["last_digest"]["iso_week"] == "2026-W48" and info["last_digest"]["organizations"] == 3


def test_smtp_without_recipients_or_password_is_a_config_error(sqlite_engine: Engine, config_file: Path) -> None:
    from radar.errors import ConfigError

    base = config_file.read_text()
    config_file.write_text(base + '[digest]\nsmtp_host = "127.0.0.1"\n')
    with pytest.raises(ConfigError, match="'to' is empty"):
        run_weekly(sqlite_engine, load_settings(config_file), now=NOW)
    config_file.write_text(base + '[digest]\nsmtp_host = "127.0.0.1"\nto = ["a@b.c"]\nsmtp_user = "u"\n'
                                  'smtp_password_env = "RADAR_NOT_SET_ANYWHERE"\n')
    with pytest.raises(ConfigError, match="RADAR_NOT_SET_ANYWHERE"):
        run_weekly(sqlite_engine, load_settings(config_file), now=NOW)
