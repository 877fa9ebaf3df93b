"""Configuration: validation errors name the key, the bad value and what is allowed."""
from pathlib import Path

import pytest

from radar.errors import ConfigError
from radar.settings import effective_settings, load_settings


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "radar.toml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("toml, expected", [
    ('[profile]\nfunctions = ["engineerin"]', "profile.functions.0"),
    ("[profile]\nfoo = 1", "unknown setting 'profile.foo'"),
    ('[schedule]\ndigest_time = "25:00"', "HH:MM"),
    ('[general]\ntimezone = "Mars/Olympus"', "IANA timezone"),
    ('[[sources]]\nname = "a"\nurl = "ftp://example.com/feed"', "http:// or https://"),
    ('[crawl]\nmax_bytes = "big"', "crawl.max_bytes"),
    ("[ranking]\nweights = { fundin = 1.0 }", "unknown signal type 'fundin'"),
    ("not toml at all [", "not valid TOML"),
    # A line break in an address crashed the mail build with a traceback (and is header injection).
    ('[digest]\nto = ["me@example.com\\r\\nBcc: evil@example.com"]', "digest.to"),
    ('[digest]\nsender = "radar@example.com\\nBcc: evil@example.com"', "digest.sender"),
    ('[digest]\nto = ["not an address"]', "must be one email address"),
    ('[[sources]]\nname = "a"\nurl = "https://a.example/f"\n[[sources]]\nname = "a"\nurl = "https://b.example/f"',
     "used twice"),
    ('[profile]\nremote = "yes"', "'profile.remote': 'yes'; must be true or false"),
    ('[crawl]\nobey_robots = 1', "must be true or false"),
    ('[general]\ndata_dir = ""', "'general.data_dir'"),
    ('[[sources]]\nname = " "\nurl = "https://a.example/f"', "'sources.0.name'"),
])
def test_bad_config_is_one_line_naming_the_key(tmp_path: Path, toml: str, expected: str) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, toml))
    message = str(err.value)
    assert expected in message
    assert "\n" not in message
    assert err.value.exit_code == 2


def test_missing_explicit_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_precedence_default_file_env_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, '[general]\ndata_dir = "/from/file"\ntimezone = "Europe/Berlin"\n')
    monkeypatch.setenv("RADAR_DATA_DIR", "/from/env")
    s = load_settings(path, {"general.timezone": "UTC"})
    origins = {k: o for k, _, o in effective_settings(s)}
    assert s.general.data_dir == "/from/env" and origins["general.data_dir"] == "env RADAR_DATA_DIR"
    assert s.general.timezone == "UTC" and origins["general.timezone"] == "command line"
    assert origins["crawl.max_bytes"] == "default"


def test_secrets_come_from_the_named_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = load_settings(write(tmp_path, '[digest]\nsmtp_password_env = "MY_SMTP_PW"\n'))
    assert s.secret(s.digest.smtp_password_env) is None
    monkeypatch.setenv("MY_SMTP_PW", "hunter2")
    assert s.secret(s.digest.smtp_password_env) == "hunter2"


def test_starter_config_is_valid() -> None:
    from radar.catalog_files import catalog_path

    s = load_settings(catalog_path("radar.example.toml"))
    assert s.profile.functions == ["engineering"]


def test_config_show_masks_the_database_password(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_DATABASE_URL", "postgresql://bob:s3cret@db.example/radar")
    s = load_settings(write(tmp_path, ""))
    shown = {k: v for k, v, _ in effective_settings(s)}
    assert shown["general.database_url"] == "postgresql://bob:***@db.example/radar"
    assert s.database_url() == "postgresql://bob:s3cret@db.example/radar"  # the connection still gets it


def test_a_bad_environment_value_is_blamed_on_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RADAR_LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, "[general]\ntimezone = \"UTC\"\n"))
    assert str(err.value).startswith("RADAR_LOG_LEVEL: bad value for 'general.log_level'")


@pytest.mark.parametrize("digest, expected", [
    ('smtp_host = "smtp.example.com"\nsmtp_security = "none"\nsmtp_user = "me"', "in clear to smtp.example.com"),
    ('smtp_host = "smtp.example.com"\nsmtp_cafile = "/nonexistent/ca.pem"', "smtp_cafile /nonexistent/ca.pem"),
])
def test_mail_settings_that_cannot_work_safely_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            digest: str, expected: str) -> None:
    from radar.digest.mail import check_mail_settings

    monkeypatch.setenv("RADAR_SMTP_PASSWORD", "secret")
    settings = load_settings(write(tmp_path, f'[digest]\nto = ["me@example.com"]\n{digest}\n'))
    with pytest.raises(ConfigError, match=expected):
        check_mail_settings(settings)


def test_plain_smtp_with_a_password_is_fine_on_this_machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from radar.digest.mail import check_mail_settings

    monkeypatch.setenv("RADAR_SMTP_PASSWORD", "secret")
    for host in ("127.0.0.1", "localhost", "::1"):
        check_mail_settings(load_settings(write(tmp_path, f'[digest]\nto = ["me@example.com"]\nsmtp_host = "{host}"\n'
                                                          'smtp_security = "none"\nsmtp_user = "me"\n')))
