"""Benchmark: crawl + extract of N feeds on H hosts served from 127.0.0.x, by one process
(`radar crawl` then `radar extract`) and by 1, 2 and 4 `radar worker` processes, each on
its own PostgreSQL schema, measured in the same run.

Prints, per run: documents per second, the ratio to the single process, the highest number
of requests any host had in flight at once (must be 1), and for a run where one of two
workers is killed with kill -9 half-way: documents lost (stored but never extracted, or
never stored) and duplicated (must both be 0).

Run: .venv/bin/python tests/benchmarks/bench_workers.py [--feeds 2000] [--hosts 100] [--workers 1,2,4]
Needs PostgreSQL at $RADAR_TEST_PG (default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""
import argparse
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402 - after the path set-up above

from tests.cluster_site import Site, cluster_site, sources_toml  # noqa: E402

ADMIN = os.environ.get("RADAR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
RADAR = [sys.executable, "-m", "radar"]


@contextmanager
def schema() -> Iterator[str]:
    name = f"radar_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{name}"'))
    try:
        yield f"{ADMIN}?options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def config(folder: Path, site: Site, delay: float) -> Path:
    cfg = folder / "radar.toml"
    cfg.write_text(f'[general]\ndata_dir = "{folder / "data"}"\n[crawl]\nallow_private_addresses = true\n'
                   f'per_host_delay = {delay}\nretries = 0\n[worker]\ntick_seconds = 1\nstalled_seconds = 6\n'
                   + sources_toml(site), encoding="utf-8")
    return cfg


def counts(url: str) -> dict[str, int]:
    eng = create_engine(url)
    try:
        with eng.connect() as c:
            docs, done = c.execute(text("select count(*), count(extracted_at) from document")).one()
            crawls = c.execute(text("select coalesce(sum(n - 1), 0) from (select count(*) n from crawl_run "
                                    "group by source_id) x")).scalar()
            pending = c.execute(text("select count(*) from procrastinate_jobs where status in ('todo', 'doing') "
                                     "and task_name in ('crawl_source', 'extract_documents')")).scalar() \
                if c.execute(text("select to_regclass('procrastinate_jobs')")).scalar() else 0
        return {"documents": docs, "extracted": done, "crawled_twice": int(crawls or 0), "pending": pending}
    except Exception:  # noqa: BLE001 - not migrated yet
        return {"documents": 0, "extracted": 0, "crawled_twice": 0, "pending": 1}
    finally:
        eng.dispose()


def wait(url: str, expected: int, timeout: float, during: Callable[[dict[str, int]], None] = lambda c: None
         ) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        c = counts(url)
        during(c)
        if c["documents"] >= expected and c["extracted"] >= c["documents"] and c["pending"] == 0:
            return c
        time.sleep(0.5)
    raise SystemExit(f"timed out: {counts(url)}")


def single(folder: Path, site: Site, delay: float) -> tuple[float, dict[str, int]]:
    with schema() as url:
        cfg = config(folder, site, delay)
        env = {**os.environ, "RADAR_DATABASE_URL": url}
        t0 = time.monotonic()
        for step in (["crawl", "--force"], ["extract"]):
            subprocess.run(RADAR + ["--config", str(cfg), *step], env=env, check=True, capture_output=True)
        return time.monotonic() - t0, counts(url)


def workers(folder: Path, site: Site, n: int, delay: float, kill_one: bool = False,
            timeout: float = 3600) -> tuple[float, dict[str, int]]:
    with schema() as url:
        cfg = config(folder, site, delay)
        env = {**os.environ, "RADAR_DATABASE_URL": url}
        subprocess.run(RADAR + ["--config", str(cfg), "status"], env=env, check=True, capture_output=True)
        t0 = time.monotonic()
        procs = [subprocess.Popen(RADAR + ["--config", str(cfg), "worker"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL) for _ in range(n)]
        killed: list[int] = []

        def maybe_kill(c: dict[str, int]) -> None:
            if kill_one and not killed and c["documents"] >= site.articles // 2:
                procs[0].kill()
                killed.append(procs[0].pid)

        try:
            result = wait(url, site.articles, timeout, maybe_kill)
            return time.monotonic() - t0, result
        finally:
            for p in procs:
                if p.poll() is None:
                    p.send_signal(signal.SIGTERM)
            for p in procs:
                p.wait(120)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=2000)
    ap.add_argument("--hosts", type=int, default=100)
    ap.add_argument("--per-feed", type=int, default=1)
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--delay", type=float, default=0.0, help="per_host_delay of the crawl")
    args = ap.parse_args()
    rows: list[tuple[str, float, dict[str, Any]]] = []
    with cluster_site(args.hosts, args.feeds // args.hosts, args.per_feed) as site, TemporaryDirectory() as tmp:
        print(f"{len(site.feeds)} feeds on {args.hosts} hosts, {site.articles} articles; {os.cpu_count()} cores")
        print(f"{'run':36} {'seconds':>8} {'docs/s':>7} {'vs 1 process':>12} {'lost':>5} {'dup':>4} {'load':>5}",
              flush=True)

        def report(name: str, took: float, c: dict[str, Any]) -> None:
            rows.append((name, took, c))
            lost = site.articles - c["extracted"]
            dup = max(0, c["documents"] - site.articles) + c["crawled_twice"]
            # The load average over the last minute, as the run ends: the machine is shared.
            print(f"{name:36} {took:8.1f} {c['documents'] / took:7.1f} {rows[0][1] / took:11.2f}x {lost:5d} "
                  f"{dup:4d} {os.getloadavg()[0]:5.1f}", flush=True)

        report("1 process (crawl, extract)", *single(Path(tmp), site, args.delay))
        for n in (int(x) for x in args.workers.split(",")):
            report(f"{n} worker{'s' if n > 1 else ''}", *workers(Path(tmp), site, n, args.delay))
        report("2 workers, one killed -9 half-way", *workers(Path(tmp), site, 2, args.delay, kill_one=True))
        print(f"highest requests in flight on one host: {max(site.max_in_flight.values())} (must be 1)")

if __name__ == "__main__":
    main()
