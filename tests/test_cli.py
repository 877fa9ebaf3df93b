"""The CLI contract: one-line errors, exit codes 0/1/2, --help with an example everywhere."""
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, NoReturn

import pytest
import typer.main

from radar.cli import app, main

RADAR = [sys.executable, "-m", "radar"]


def all_commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    out: list[list[str]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        sub = getattr(cmd, "commands", None)
        if sub:
            for name, child in sub.items():
                walk(child, path + [name])
        else:
            out.append(path)

    walk(root, [])
    return out


def test_final_command_names_exist() -> None:
    names = {c[0] for c in all_commands()}
    assert {"init", "config", "run", "demo", "crawl", "extract", "signals", "orgs", "recruiters", "rank", "digest",
            "export", "contacts", "sources", "industries", "serve", "status", "nlp"} <= names


@pytest.mark.parametrize("path", all_commands(), ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(path: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(path + ["--help"]) == 0
    assert "Example:" in capsys.readouterr().out


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(RADAR + args, capture_output=True, text=True, cwd=cwd, timeout=120)


def test_unknown_option_is_one_line_exit_2(tmp_path: Path) -> None:
    r = run(["orgs", "top", "--limt", "3"], tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0
    assert "--limt" in r.stderr and "--limit" in r.stderr
    assert "Traceback" not in r.stderr


def test_command_line_errors_are_one_line_and_a_group_alone_is_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["orgs", "top", "--zzzz"]) == 2
    assert capsys.readouterr().err == "radar: error: no such option --zzzz (see 'radar orgs top --help')\n"
    assert main(["nlp", "detect"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("radar: error: ") and "(see 'radar nlp detect --help')" in err and err.count("\n") == 1
    assert main(["nlp"]) == 0
    assert "detect" in capsys.readouterr().out


def test_bad_config_value_is_one_line_exit_2(tmp_path: Path) -> None:
    cfg = tmp_path / "radar.toml"
    cfg.write_text('[profile]\nseniority = ["boss"]\n')
    r = run(["--config", str(cfg), "status"], tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0
    assert "profile.seniority" in r.stderr and "'boss'" in r.stderr


def test_conflicting_output_options_are_refused(tmp_path: Path) -> None:
    r = run(["--db", str(tmp_path / "r.db"), "signals", "--json", "--csv"], tmp_path)
    assert r.returncode == 2 and "just one of" in r.stderr


def test_unreadable_database_is_reported_and_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "garbage.db"
    bad.write_bytes(b"this is not a database" * 100)
    before = bad.read_bytes()
    r = run(["--db", str(bad), "signals"], tmp_path)
    assert r.returncode == 1
    assert "cannot read the database" in r.stderr and r.stderr.strip().count("\n") == 0
    assert bad.read_bytes() == before


def test_init_writes_config_and_database(tmp_path: Path) -> None:
    cfg = tmp_path / "conf" / "radar.toml"
    env_db = tmp_path / "radar.db"
    r = run(["--config", str(cfg), "--db", str(env_db), "init"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert cfg.exists() and env_db.exists()
    r2 = run(["--config", str(cfg), "--db", str(env_db), "config", "show", "--json"], tmp_path)
    assert r2.returncode == 0
    assert '"profile.functions"' in r2.stdout and str(cfg) in r2.stdout


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import radar.cli.cmd_core as core

    def broken(*a: Any, **k: Any) -> NoReturn:
        raise TypeError("Object of type date is not JSON serializable")

    monkeypatch.delenv("RADAR_DEBUG", raising=False)
    monkeypatch.setattr(core, "emit", broken)
    code = main(["--db", "sqlite:///:memory:", "config", "show", "--json"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "internal error (TypeError" in err and "--debug" in err


@pytest.mark.parametrize("url, needle", [
    ("mysql://u:secret@127.0.0.1/db", "unsupported database URL"),
    ("not a url", "unsupported database URL"),
    ("postgresql://u:secret@127.0.0.1:notaport/db", "bad database URL"),
])
def test_bad_database_url_is_one_line_exit_2(tmp_path: Path, url: str, needle: str) -> None:
    r = subprocess.run(RADAR + ["signals"], capture_output=True, text=True, cwd=tmp_path, timeout=120,
                       env={**os.environ, "RADAR_DATABASE_URL": url})
    assert r.returncode == 2, r.stderr
    assert needle in r.stderr and r.stderr.strip().count("\n") == 0
    assert "Traceback" not in r.stderr and "secret" not in r.stderr


def test_db_pointing_to_a_directory_is_one_line_exit_2(tmp_path: Path) -> None:
    r = run(["--db", str(tmp_path), "signals"], tmp_path)
    assert r.returncode == 2
    assert "is a directory" in r.stderr and r.stderr.strip().count("\n") == 0


def test_paths_that_cannot_be_created_are_one_line_not_a_traceback(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for args in (["demo", "--dir", str(blocker)], ["--config", str(blocker / "radar.toml"), "init"],
                 ["--config", str(tmp_path), "init", "--force"]):
        r = run(args, tmp_path)
        assert r.returncode == 1, r.stderr
        assert "Traceback" not in r.stderr and r.stderr.strip().count("\n") == 0 and "cannot use" in r.stderr


@pytest.mark.parametrize("args, needle", [
    (["signals", "--since", "99999y"], "reaches back before year 1"),
    (["signals", "--limit", "99999999999999999999"], "--limit"),
    (["orgs", "top", "--limit", "99999999999999999999"], "--limit"),
    (["--db", "/dev/null", "status"], "not a regular file"),
])
def test_out_of_range_input_is_a_usage_error_not_an_internal_error(tmp_path: Path, args: list[str],
                                                                   needle: str) -> None:
    journal_before = Path("/dev/null-journal").exists()
    if "--db" not in args:
        args = ["--db", str(tmp_path / "r.db"), *args]
    r = run(args, tmp_path)
    assert r.returncode == 2, r.stderr
    assert needle in r.stderr and r.stderr.strip().count("\n") == 0
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    assert Path("/dev/null-journal").exists() == journal_before


def test_a_section_given_a_value_is_one_line_even_with_environment_overrides(tmp_path: Path) -> None:
    (tmp_path / "c.toml").write_text("general = 5\n", encoding="utf-8")
    r = subprocess.run(RADAR + ["--config", str(tmp_path / "c.toml"), "status"], capture_output=True, text=True,
                       cwd=tmp_path, timeout=120, env={**os.environ, "RADAR_DATA_DIR": str(tmp_path / "d")})
    assert r.returncode == 2, r.stderr
    assert "'general' must be a section" in r.stderr and r.stderr.strip().count("\n") == 0
