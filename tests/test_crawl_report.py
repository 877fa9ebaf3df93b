"""What `radar crawl` tells the user: one line per failed source with its reason, not a line
per failed article or a third-party log line; the reason whole in `radar status` and in
`radar sources list` (every format)."""
import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from pytest_httpserver import HTTPServer

RADAR = [sys.executable, "-m", "radar"]
LONG = "/a-rather-long-path/to/a/feed/that/pushes/the/reason/past/eighty/characters/feed.xml"


def rss(base: str, n: int) -> str:
    items = "".join(f"<item><title>Story {i}</title><link>{base}/gone/{i}.html</link></item>" for i in range(n))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def test_one_line_per_failed_source_with_the_reason_everywhere(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.no_handler_status_code = 404
    base = httpserver.url_for("").rstrip("/")
    for i in range(12):  # every article answers 503: each stays due, the source has failed
        httpserver.expect_request(f"/gone/{i}.html").respond_with_data("busy", status=503)
    httpserver.expect_request("/feed.xml").respond_with_data(rss(base, 12), content_type="application/rss+xml")
    cfg = tmp_path / "radar.toml"
    cfg.write_text(f'[general]\ndata_dir = "{tmp_path}"\n[crawl]\nallow_private_addresses = true\n'
                   'per_host_delay = 0.0\nretries = 0\n'
                   f'[[sources]]\nname = "broken-articles"\nurl = "{base}/feed.xml"\nkind = "rss"\n'
                   f'[[sources]]\nname = "dead"\nurl = "{base}{LONG}"\nkind = "rss"\n', encoding="utf-8")

    def radar(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(RADAR + ["--config", str(cfg), *args], capture_output=True, text=True, timeout=120)

    crawled = radar("crawl")
    lines = [line for line in crawled.stderr.splitlines() if "crawling" not in line]
    failed = [line for line in lines if "failed:" in line]
    assert len(failed) == 2, crawled.stderr
    assert any(line.startswith("source dead failed:") and "HTTP 404" in line for line in failed)
    assert any(line.startswith("source broken-articles failed:") and "all 12 articles" in line for line in failed)
    others = [line for line in lines if line not in failed]
    assert not [line for line in others if "/gone/" in line or "WARNING" in line or "ERROR" in line], crawled.stderr

    status = radar("status")
    assert status.returncode == 0, status.stderr
    flat = "".join(status.stdout.replace("│", " ").split())  # the table folds long cells over lines
    assert "characters/feed.xml:HTTP404" in flat  # the reason after a long URL, not cut
    rows = {r["name"]: r for r in json.loads(radar("sources", "list", "--json").stdout)}
    assert rows["dead"]["last_error"].endswith("HTTP 404")
    table = list(csv.DictReader(io.StringIO(radar("sources", "list", "--csv").stdout)))
    assert {r["name"]: r["last_error"].endswith("HTTP 404") for r in table}["dead"]


def test_run_says_what_it_fetched_and_what_was_not_due(tmp_path: Path) -> None:
    from tests.service_site import news_site, service_config

    with news_site(n=3) as base:
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", {"wire": f"{base}/feed.xml"})
        first = subprocess.run(RADAR + ["run", "--config", str(cfg)], capture_output=True, text=True, timeout=300)
        again = subprocess.run(RADAR + ["run", "--config", str(cfg)], capture_output=True, text=True, timeout=300)
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert "crawled 1 sources (0 failed, 0 skipped): 3 new documents" in first.stderr
    assert " bytes in " in first.stderr
    assert "1 not due yet (--force fetches them now)" in again.stderr
