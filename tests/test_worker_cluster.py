"""`radar worker` as real processes on the real PostgreSQL: crawl and extraction shared by
several workers, a worker killed with kill -9 mid-crawl and mid-extraction, SIGTERM, and
SQLite refused."""
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from radar.settings import load_settings
from tests.cluster_site import cluster_site, sources_toml
from tests.service_site import news_site, service_config

RADAR = [sys.executable, "-m", "radar"]
# Ticks every second; a worker silent for 6 s is dead. Shorter than the defaults so a test
# sees a recovery in seconds.
FAST = "[worker]\ntick_seconds = 1\nstalled_seconds = 6\n"


class Cluster:
    """Worker processes on one database, each logging to its own file."""

    def __init__(self, config: Path, url: str, logs: Path):
        self.config, self.url, self.logs = config, url, logs
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.engine = create_engine(url)

    def start(self, name: str) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "RADAR_DATABASE_URL": self.url}
        with open(self.logs / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(RADAR + ["--config", str(self.config), "-v", "worker", "--name", name],
                                    stdout=subprocess.DEVNULL, stderr=log, env=env)
        self.procs[name] = proc
        return proc

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            with self.engine.connect() as c:
                return [tuple(r) for r in c.execute(text(sql))]
        except Exception:  # noqa: BLE001 - the schema may not be migrated yet
            return []

    def count(self, sql: str) -> int:
        rows = self.query(sql)
        return int(rows[0][0]) if rows else 0

    def wait_for(self, what: Callable[[], bool], timeout: float = 150.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if what():
                return
            time.sleep(0.25)
        logs = "\n".join(f"--- {n}\n{self.log(n)[-3000:]}" for n in self.procs)
        jobs = self.query("select task_name, status, attempts from procrastinate_jobs")
        pytest.fail(f"timed out; jobs {jobs}\n{logs}")

    def stop_all(self) -> dict[str, int]:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        codes = {}
        for name, proc in self.procs.items():
            try:
                codes[name] = proc.wait(60)
            except subprocess.TimeoutExpired:
                proc.kill()
                codes[name] = -9
        self.engine.dispose()
        return codes


@pytest.fixture
def cluster_factory(tmp_path: Path, pg_url: str) -> Iterator[Callable[[Path], Cluster]]:
    clusters: list[Cluster] = []

    def make(config: Path) -> Cluster:
        c = Cluster(config, pg_url, tmp_path)
        clusters.append(c)
        return c

    yield make
    for c in clusters:
        c.stop_all()


def doing(c: Cluster, task: str) -> bool:
    return bool(c.query(f"select 1 from procrastinate_jobs where status = 'doing' and task_name = '{task}'"))


def signal_facts(rows: list[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in rows}


FACTS = ("select o.name, s.type, s.subtype, s.mentions from signal s join organization o on o.id = s.organization_id")


def test_worker_refuses_sqlite_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "RADAR_DATABASE_URL"}
    r = subprocess.run(RADAR + ["--db", str(tmp_path / "radar.db"), "worker"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "PostgreSQL" in lines[0] and "radar serve" in lines[0], r.stderr
    assert not (tmp_path / "radar.db").exists()


def test_kill_9_mid_crawl_and_mid_extraction_loses_and_duplicates_nothing(
        tmp_path: Path, cluster_factory: Callable[[Path], Cluster]) -> None:
    n = 12
    with ExitStack() as stack:
        site = stack.enter_context(cluster_site(hosts=2, feeds_per_host=1, per_feed=n, delay=0.3))
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", site.feeds, FAST)
        c = cluster_factory(cfg)

        # The first worker dies in the middle of a crawl ...
        w0 = c.start("w0")
        c.wait_for(lambda: doing(c, "crawl_source") and c.count("select count(*) from document") >= 2)
        w0.kill()
        # ... the second recovers that crawl, and dies in the middle of an extraction ...
        c.start("w1")
        c.wait_for(lambda: doing(c, "extract_documents")
                   and c.count("select count(*) from document where extracted_at is not null") >= 1)
        c.procs["w1"].kill()
        # ... and two more finish the work.
        c.start("w2")
        c.start("w3")
        c.wait_for(lambda: c.query("select count(*), count(extracted_at) from document") == [(2 * n, 2 * n)]
                   and not c.query("select 1 from procrastinate_jobs where status in ('todo', 'doing') "
                                   "and task_name <> 'tick'"))
        facts = signal_facts(c.query(FACTS))
        urls = c.query("select url from document")
        orgs = c.query("select normalized, count(*) from organization group by normalized having count(*) > 1")
        mentions = c.query("select signal_id, document_id, count(*) from signal_mention group by 1, 2 "
                           "having count(*) > 1")
        codes = c.stop_all()
        recovered = "of a dead worker: retrying it"
        assert recovered in c.log("w1") + c.log("w2") + c.log("w3")

        # The same documents and signals as one undisturbed process on its own database.
        from radar import pipeline
        from radar.db import make_engine, migrate

        alone = make_engine(f"sqlite:///{tmp_path / 'alone.db'}")
        migrate(alone)
        settings = load_settings(cfg, {"general.database_url": f"sqlite:///{tmp_path / 'alone.db'}"})
        pipeline.crawl(alone, settings)
        pipeline.extract(alone, settings)
        with alone.connect() as conn:
            expected = signal_facts([tuple(r) for r in conn.execute(text(FACTS))])
        alone.dispose()

    assert len(urls) == len(set(urls)) == 2 * n
    assert orgs == [] and mentions == []
    assert facts == expected and len(expected) >= n
    assert codes["w2"] == 0 and codes["w3"] == 0


def test_sigterm_stops_a_worker_after_the_current_document_and_the_job_is_retried(
        tmp_path: Path, cluster_factory: Callable[[Path], Cluster]) -> None:
    with news_site(n=30, delay=0.3) as base:
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", {"slow": f"{base}/feed.xml"}, FAST)
        c = cluster_factory(cfg)
        w0 = c.start("w0")
        c.wait_for(lambda: c.count("select count(*) from document") >= 2)
        t0 = time.monotonic()
        w0.send_signal(signal.SIGTERM)
        code = w0.wait(60)
        took = time.monotonic() - t0
        stored = c.count("select count(*) from document")
        crawl = c.query("select status, attempts from procrastinate_jobs where task_name = 'crawl_source'")
        # Another worker picks up the interrupted crawl and fetches the rest.
        c.start("w1")
        c.wait_for(lambda: c.count("select count(*) from document") == 30)
    assert code == 0, c.log("w0")
    assert took < 15, f"stop took {took:.1f}s"
    assert 2 <= stored < 30
    assert crawl == [("todo", 1)], crawl
    assert "SIGTERM received" in c.log("w0")


def test_three_workers_share_one_crawl_one_request_per_host_each_source_queued_once(
        tmp_path: Path, cluster_factory: Callable[[Path], Cluster]) -> None:
    with cluster_site(hosts=2, feeds_per_host=4, per_feed=3, delay=0.02) as site:
        cfg = tmp_path / "radar.toml"
        cfg.write_text(f'[general]\ndata_dir = "{tmp_path / "data"}"\n[crawl]\nallow_private_addresses = true\n'
                       'per_host_delay = 0.2\nretries = 0\n' + FAST + sources_toml(site), encoding="utf-8")
        c = cluster_factory(cfg)
        for name in ("w0", "w1", "w2"):
            c.start(name)
        c.wait_for(lambda: c.query("select count(*), count(extracted_at) from document") == [(24, 24)]
                   and not c.query("select 1 from procrastinate_jobs where status in ('todo', 'doing') "
                                   "and task_name <> 'tick'"))
        time.sleep(3)  # a few more ticks: nothing is due any more
        crawls = c.query("select s.name, count(r.id) from source s left join crawl_run r on r.source_id = s.id "
                         "group by s.name")
        ran = {n: c.log(n).count("Starting job crawl_source") for n in ("w0", "w1", "w2")}
        env = {**os.environ, "RADAR_DATABASE_URL": c.url}
        shown = subprocess.run(RADAR + ["--config", str(cfg), "status", "--json"], capture_output=True, text=True,
                               env=env, timeout=120)
        codes = c.stop_all()
    assert sorted(crawls) == sorted((name, 1) for name in site.feeds)
    assert set(site.max_in_flight.values()) == {1}
    assert site.smallest_gap() >= 0.19
    assert site.refetched() == {}
    assert sum(ran.values()) == 8 and sum(1 for n in ran.values() if n) >= 2, ran
    assert set(codes.values()) == {0}
    workers = json.loads(shown.stdout)["workers"]
    assert workers["workers_alive"] == 3 and workers["oldest_due_source"] is None
    # Only the tick (every second) may be queued or running now; nothing failed.
    assert set(workers["jobs_by_task"]) <= {"tick"} and workers["jobs"]["failed"] == 0, workers
