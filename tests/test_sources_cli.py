"""`radar sources` and `radar industries`, and `radar crawl`, through the CLI's entry point
(in process, for speed; test_cli.py runs the installed command as a subprocess)."""
import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from radar.cli import main
from radar.sources import catalog_industries, catalog_sources


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture(name="radar")
def capture(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    def run(tmp_path: Path, *args: str) -> Result:
        cfg = tmp_path / "radar.toml"
        if not cfg.exists():
            cfg.write_text(f'[general]\ndata_dir = "{tmp_path / "data"}"\n[crawl]\nallow_private_addresses = true\n'
                           "per_host_delay = 0.0\nretries = 0\n", encoding="utf-8")
        capsys.readouterr()
        code = main(["--config", str(cfg), *args])
        out = capsys.readouterr()
        # The test server's own access log shares this process's stderr: leave it out.
        err = "".join(line for line in out.err.splitlines(keepends=True) if " werkzeug:" not in line)
        return Result(code, out.out, err)

    return run


RSS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Acme news</title>'
       '<item><title>One</title><link>https://acme.example/1</link></item></channel></rss>')


@pytest.fixture
def site(httpserver: HTTPServer) -> HTTPServer:
    httpserver.no_handler_status_code = 404
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, content_type="application/rss+xml")
    httpserver.expect_request("/blog").respond_with_data(
        '<html><head><title>Blog</title><link rel="alternate" type="application/rss+xml" '
        'href="/feed.xml"></head><body>hi</body></html>',
        content_type="text/html")
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://acme.example/a</loc></url></urlset>',
        content_type="application/xml")
    links = "".join(f'<a href="/news/2026/{i}.html">Story {i}</a>' for i in range(4))
    httpserver.expect_request("/press").respond_with_data(f"<html><head><title>Press</title></head><body>{links}</body></html>",
                                                          content_type="text/html")
    httpserver.expect_request("/empty").respond_with_data("<html><body>nothing</body></html>", content_type="text/html")
    return httpserver


@pytest.mark.parametrize("path,kind,url_path", [("/feed.xml", "rss", "/feed.xml"), ("/blog", "rss", "/feed.xml"),
                                                ("/sitemap.xml", "sitemap", "/sitemap.xml"),
                                                ("/press", "newsroom", "/press")])
def test_add_detects_the_kind(tmp_path: Path, site: HTTPServer, path: str, kind: str, url_path: str,
                              radar: Callable[..., Result]) -> None:
    r = radar(tmp_path, "sources", "add", site.url_for(path), "--industry", "fintech")
    assert r.returncode == 0, r.stderr
    listed = json.loads(radar(tmp_path, "sources", "list", "--json").stdout)
    (row,) = listed
    assert row["kind"] == kind and row["url"] == site.url_for(url_path) and row["industries"] == ["fintech"]
    assert row["origin"] == "cli"


def test_add_refuses_what_it_cannot_read_and_duplicates(tmp_path: Path, site: HTTPServer,
                                                        radar: Callable[..., Result]) -> None:
    r = radar(tmp_path, "sources", "add", site.url_for("/empty"))
    assert r.returncode == 1 and "cannot add" in r.stderr and r.stderr.strip().count("\n") == 0
    assert radar(tmp_path, "sources", "add", site.url_for("/feed.xml"), "--name", "acme").returncode == 0
    again = radar(tmp_path, "sources", "add", site.url_for("/feed.xml"), "--name", "acme2")
    assert again.returncode == 2 and "already read as source 'acme'" in again.stderr
    bad = radar(tmp_path, "sources", "add", site.url_for("/feed.xml"), "--industry", "nope")
    assert bad.returncode == 2 and "unknown industry 'nope'" in bad.stderr and "fintech" in bad.stderr


def test_add_refuses_internal_addresses_by_default(tmp_path: Path, radar: Callable[..., Result]) -> None:
    (tmp_path / "radar.toml").write_text(f'[general]\ndata_dir = "{tmp_path}"\n', encoding="utf-8")
    r = radar(tmp_path, "sources", "add", "http://169.254.169.254/latest/meta-data/")
    assert r.returncode == 1 and "internal address" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("url", ["http://[::1", "http://example.com:99999/feed", "http://:80/feed"])
def test_add_refuses_a_malformed_url_in_one_line(tmp_path: Path, radar: Callable[..., Result], url: str) -> None:
    (tmp_path / "radar.toml").write_text(f'[general]\ndata_dir = "{tmp_path}"\n', encoding="utf-8")
    r = radar(tmp_path, "sources", "add", url, "--kind", "rss")
    assert r.returncode == 2 and "bad url" in r.stderr and r.stderr.strip().count("\n") == 0
    assert "Traceback" not in r.stderr


def test_list_formats_remove_and_check(tmp_path: Path, site: HTTPServer, radar: Callable[..., Result]) -> None:
    assert radar(tmp_path, "sources", "add", site.url_for("/feed.xml"), "--name", "=cmd|evil").returncode == 0
    assert radar(tmp_path, "sources", "add", site.url_for("/press"), "--name", "press").returncode == 0
    rows = [json.loads(line) for line in radar(tmp_path, "sources", "list", "--jsonl").stdout.splitlines()]
    assert [r["name"] for r in rows] == ["=cmd|evil", "press"]
    table = list(csv.DictReader(io.StringIO(radar(tmp_path, "sources", "list", "--csv").stdout)))
    assert table[0]["name"] == "'=cmd|evil"  # formula-neutralized
    check = radar(tmp_path, "sources", "check", "--json")
    assert check.returncode == 0, check.stderr
    assert {r["name"]: (r["ok"], r["detected"]) for r in json.loads(check.stdout)} == {"=cmd|evil": (True, "rss"),
                                                                                       "press": (True, "newsroom")}
    assert radar(tmp_path, "sources", "add", site.url_for("/empty"), "--name", "empty", "--kind", "rss").returncode == 0
    broken = radar(tmp_path, "sources", "check", "--json")
    assert broken.returncode == 1 and "1 of 3 sources failed the check: empty" in broken.stderr
    assert radar(tmp_path, "sources", "remove", "empty").returncode == 0
    assert radar(tmp_path, "sources", "remove", "press").returncode == 0
    assert [r["name"] for r in json.loads(radar(tmp_path, "sources", "list", "--json").stdout)] == ["=cmd|evil"]
    missing = radar(tmp_path, "sources", "remove", "press")
    assert missing.returncode == 2 and "unknown source 'press'" in missing.stderr


def test_config_sources_are_removed_from_the_file_not_the_cli(tmp_path: Path, radar: Callable[..., Result]) -> None:
    (tmp_path / "radar.toml").write_text(f'[general]\ndata_dir = "{tmp_path}"\n[[sources]]\nname = "mine"\nurl = '
                                         '"https://a.example/feed"\n',
                                         encoding="utf-8")
    r = radar(tmp_path, "sources", "remove", "mine")
    assert r.returncode == 2 and "[[sources]]" in r.stderr


def test_industries_watch_switches_catalog_sources_on(tmp_path: Path, radar: Callable[..., Result]) -> None:
    r = radar(tmp_path, "industries", "watch", "startups_venture")
    assert r.returncode == 0, r.stderr
    listed = {row["name"]: row for row in json.loads(radar(tmp_path, "sources", "list", "--json").stdout)}
    assert len(listed) == len(catalog_sources("startups_venture"))
    assert listed["startups-venture-crunchbase-news"]["fetch_articles"] is False  # its terms: feed entries only
    industries = {row["industry"]: row["watched"]
                  for row in json.loads(radar(tmp_path, "industries", "list", "--json").stdout)}
    assert industries["startups_venture"] is True and industries["fintech"] is False
    assert radar(tmp_path, "sources", "remove", "startups-venture-sifted").returncode == 0
    assert "startups-venture-sifted" not in radar(tmp_path, "sources", "list", "--json").stdout
    unknown = radar(tmp_path, "industries", "watch", "fintek")
    assert unknown.returncode == 2 and "available:" in unknown.stderr


def test_catalog_files_are_valid_and_unverified_urls_are_said_so() -> None:
    names: set[str] = set()
    for industry in catalog_industries():
        for entry in catalog_sources(industry):
            assert entry.url.startswith("https://") and entry.notes, entry.name
            assert entry.name not in names
            names.add(entry.name)
    from radar.catalog_files import catalog_path

    for path in catalog_path("sources").glob("*.toml"):
        assert "VERIFY" in path.read_text(encoding="utf-8").upper(), path.name


def test_crawl_command_reports_progress_and_summary(tmp_path: Path, site: HTTPServer,
                                                    radar: Callable[..., Result]) -> None:
    site.expect_request("/news/2026/0.html").respond_with_data("<html><body><p>" + "Acme raised money. " * 40
                                                               + "</p></body></html>",
                                                              content_type="text/html")
    assert radar(tmp_path, "sources", "add", site.url_for("/feed.xml"), "--name", "acme", "--industry", "fintech",
                 "--no-articles").returncode == 0
    r = radar(tmp_path, "crawl", "--industry", "fintech")
    assert r.returncode == 0, r.stderr
    assert "crawled 1 sources (0 failed, 0 skipped): 1 new documents" in r.stderr
    assert not any(p.path.startswith("/news/") for p, _ in site.log)  # --no-articles
    unknown = radar(tmp_path, "crawl", "--industry", "nope")
    assert unknown.returncode == 2 and "unknown industry 'nope'" in unknown.stderr
    none = radar(tmp_path, "crawl", "--industry", "cybersecurity")
    assert none.returncode == 2 and "radar industries watch cybersecurity" in none.stderr


def test_crawl_where_every_source_fails_exits_1(tmp_path: Path, httpserver: HTTPServer,
                                                radar: Callable[..., Result]) -> None:
    httpserver.no_handler_status_code = 404
    httpserver.expect_request("/feed.xml").respond_with_data(RSS, content_type="application/rss+xml")
    assert radar(tmp_path, "sources", "add", httpserver.url_for("/feed.xml"), "--name", "acme").returncode == 0
    httpserver.clear_all_handlers()
    r = radar(tmp_path, "crawl")
    assert r.returncode == 1 and "source acme failed" in r.stderr and "HTTP 404" in r.stderr
    assert "Traceback" not in r.stderr
