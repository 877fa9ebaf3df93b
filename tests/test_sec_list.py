"""`radar sources sec-list`: the SEC's company list, downloaded with the EDGAR identity, grounds names."""
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.cli import main
from radar.entities import sec

# Fictional rows in the SEC file's shape (the real file lives in ../shared/corpus/kb).
ROWS = {"0": {"cik_str": 1000001, "ticker": "QFX", "title": "QUILLFEATHER HOLDINGS, INC."},
        "1": {"cik_str": 1000002, "ticker": "NWL", "title": "Northwind Ledger Corp /DE/"}}


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str, identity: bool = True) -> tuple[int, str]:
    cfg = tmp_path / "radar.toml"
    cfg.write_text(f'[general]\ndata_dir = "{tmp_path / "data"}"\n[crawl]\nallow_private_addresses = true\n'
                   'per_host_delay = 0.0\nretries = 0\nobey_robots = false\n'
                   + ('[edgar]\nuser_agent = "Jane Doe jane@example.com"\n' if identity else ""), encoding="utf-8")
    capsys.readouterr()
    code = main(["--config", str(cfg), "sources", "sec-list", *args])
    # The test server's own access log shares this process's stderr: leave it out.
    return code, "".join(line for line in capsys.readouterr().err.splitlines(keepends=True) if " werkzeug:" not in line)


def test_downloads_with_the_edgar_identity_and_grounds_the_names(
        httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("User-Agent", ""))
        return Response(json.dumps(ROWS), content_type="application/json")

    httpserver.expect_request("/files/company_tickers.json").respond_with_handler(handler)
    code, err = run(tmp_path, capsys, "--url", httpserver.url_for("/files/company_tickers.json"))
    assert code == 0, err
    assert seen == ["Jane Doe jane@example.com"]
    path = tmp_path / "data" / sec.FILE_NAME
    assert "2 public companies written to" in err and path.is_file()
    names = sec.known_names(sec.load(sec.default_path(tmp_path / "data")))
    assert {"quillfeather", "northwind ledger"} <= names  # legal suffixes and EDGAR state tags dropped


def test_a_bad_answer_replaces_nothing_and_says_so_in_one_line(
        httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / sec.FILE_NAME
    path.write_text(json.dumps(ROWS), encoding="utf-8")
    httpserver.expect_request("/list.json").respond_with_data("<html>maintenance</html>", content_type="text/html")
    code, err = run(tmp_path, capsys, "--url", httpserver.url_for("/list.json"))
    assert code != 0 and "did not return the SEC's company list" in err and len(err.strip().splitlines()) == 1
    assert json.loads(path.read_text(encoding="utf-8")) == ROWS


def test_no_identity_no_request(httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(tmp_path, capsys, "--url", httpserver.url_for("/files/company_tickers.json"), identity=False)
    assert code == 2 and "user_agent" in err
    assert not httpserver.log


def test_the_default_url_is_the_secs() -> None:
    """The command's --url default is written out (the CLI imports no entities at start-up):
    it stays the one radar.entities.sec names."""
    import inspect

    from radar.cli.cmd_sources import sources_sec_list

    assert inspect.signature(sources_sec_list).parameters["url"].default == sec.SEC_URL
