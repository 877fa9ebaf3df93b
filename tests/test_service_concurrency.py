"""The CLI keeps working while `radar serve` writes to the same SQLite file: queries, a
digest write and file exports during a crawl, with no failure and no lost write."""
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.service_site import news_site, service_config
from tests.test_service_run import job, query, start, stop, wait_for

RADAR = [sys.executable, "-m", "radar"]
ARTICLES = 30


def cli(cfg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(RADAR + ["--config", str(cfg), *args], capture_output=True, text=True, timeout=120)


def test_cli_reads_and_writes_during_a_crawl(tmp_path: Path) -> None:
    db = tmp_path / "data" / "radar.db"
    with news_site(n=ARTICLES, delay=0.1) as base:
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", {"busy": f"{base}/feed.xml"})
        proc = start(cfg)
        results: list[subprocess.CompletedProcess[str]] = []
        try:
            wait_for(lambda: (query(db, "select count(*) from document") or [(0,)])[0][0] >= 3, proc=proc)
            rounds = 0
            with ThreadPoolExecutor(4) as pool:
                while (query(db, "select count(*) from document") or [(0,)])[0][0] < ARTICLES or rounds < 2:
                    rounds += 1
                    futures = [
                        pool.submit(cli, cfg, "signals", "--json"),
                        pool.submit(cli, cfg, "orgs", "top", "--csv"),
                        pool.submit(cli, cfg, "status", "--json"),
                        pool.submit(cli, cfg, "digest", "--force"),  # a write: the week's DigestRun again
                        pool.submit(cli, cfg, "digest", "--out", str(tmp_path / f"export-{rounds}.html")),
                        # Exports record what they sent (export_run, export_item): writes too.
                        pool.submit(cli, cfg, "export", "--to", "jsonl", "--out",
                                    str(tmp_path / f"export-{rounds}.jsonl")),
                        pool.submit(cli, cfg, "export", "--to", "hubspot", "--out",
                                    str(tmp_path / f"hubspot-{rounds}")),
                    ]
                    results += [f.result() for f in futures]
                    assert rounds < 40, "the crawl never finished"
            wait_for(lambda: job(db, "extract") is not None, proc=proc)
        finally:
            code, err = stop(proc)
    failures = [(r.args[3:], r.returncode, r.stderr[-300:]) for r in results if r.returncode != 0]
    assert failures == []
    assert code == 0, err
    # Neither side lost a write: every article stored once, the forced digests recorded in the
    # week's one row.
    assert query(db, "select count(*) from document") == [(ARTICLES,)]
    assert query(db, "select count(*) from digest_run") == [(1,)]
    assert all((tmp_path / f"export-{i}.html").read_text().startswith("<!DOCTYPE html>") for i in range(1, rounds + 1))
    # A JSON Lines export with nothing ranked yet writes no file (extraction may still be
    # running); every file written must parse, and once extraction is done one is written.
    final = cli(cfg, "export", "--to", "jsonl", "--out", str(tmp_path / "export-final.jsonl"))
    assert final.returncode == 0, final.stderr
    for path in sorted(tmp_path.glob("export-*.jsonl")):
        lines = path.read_text().splitlines()
        assert lines and all(json.loads(line)["name"] for line in lines)
    assert query(db, "select count(*) from export_run where status = 'ok'") == [(2 * rounds + 1,)]
    assert (tmp_path / "export-final.jsonl").exists()
    busy = job(db, "crawl:busy")
    assert busy is not None and busy[0] == "ok"
