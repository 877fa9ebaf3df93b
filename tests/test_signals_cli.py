"""`radar signals` on the command line: formats, one-line errors, formula-safe CSV."""
import csv
import io
import json
from pathlib import Path

import pytest

from radar.cli import main
from radar.db import open_database
from tests.test_queries_filters import seed_world


@pytest.fixture
def db(tmp_path: Path, config_file: Path) -> list[str]:
    url = f"sqlite:///{tmp_path / 'radar.db'}"
    seed_world(open_database(url))
    return ["--config", str(config_file), "--db", str(tmp_path / "radar.db")]


def test_csv_is_readable_and_formula_safe(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*db, "signals", "--since", "2025-01-01", "--csv", "--limit", "100"]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["date", "organization", "type", "subtype", "confidence", "evidence", "url"]
    assert len(rows) == 8
    launch = next(r for r in rows if r["type"] == "product_launch")
    assert launch["evidence"].startswith("'=HYPERLINK")


def test_jsonl_and_json_carry_every_field(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*db, "signals", "--type", "funding", "--jsonl"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["organization"] for x in lines] == ["Quillfeather AI", "Northwind Ledger", "Brightkeel Energy"]
    assert {"id", "date", "evidence", "title", "url", "attributes", "mentions"} <= set(lines[0])
    assert main([*db, "signals", "--org", "kestrel", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["attributes"]["person"] == "Dana Reyes"


def test_table_goes_to_stdout_and_empty_result_says_so_on_stderr(db: list[str], capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    assert main([*db, "signals", "--text", "Toronto"]) == 0
    got = capsys.readouterr()
    assert "Northwind Ledger" in got.out and got.err == ""
    assert main([*db, "signals", "--text", "no such words anywhere"]) == 0
    got = capsys.readouterr()
    assert got.out == "" and "no rows" in got.err


def test_sort_by_score_adds_the_score_column(db: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*db, "signals", "--sort", "score", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[0] == "score"
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("args, needle", [
    (["--since", "7x"], "--since '7x' is not a date"),
    (["--until", "31/12/2026"], "--until '31/12/2026' is not a date"),
    (["--type", "fundin"], "unknown signal type 'fundin'"),
    (["--min-confidence", "2"], "--min-confidence 2.0 is out of range"),
    (["--min-confidence", "high"], "Invalid value for '--min-confidence'"),
    (["--source", "nowhere"], "unknown source 'nowhere'"),
    (["--sort", "best"], "unknown sort 'best'"),
])
def test_bad_filter_is_one_line_exit_2(db: list[str], args: list[str], needle: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*db, "signals", *args]) == 2
    got = capsys.readouterr()
    assert got.out == ""
    assert got.err.count("\n") == 1 and needle in got.err and "Traceback" not in got.err


def test_table_cells_cannot_carry_terminal_escapes(capsys: pytest.CaptureFixture[str]) -> None:
    # Evidence and titles come from the web: an OSC 52 or CSI sequence must not reach the terminal raw.
    from radar.cli.output import emit

    hostile = "Acme raised $5M\x1b]52;c;ZWNobyBwd25lZA==\x07 \x1b[2J\x9b31m done"
    emit([{"evidence": hostile, "tags": ["a\x1b[1mb"]}], ["evidence", "tags"], "table")
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "Acme raised $5M" in out
