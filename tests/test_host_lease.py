"""Host leases on the real databases: one request at a time per host at its delay, whichever
process asks, and a dead holder's lease expires; two `radar crawl` processes on one SQLite
database never hit a host at once."""
import subprocess
import sys
import threading
import time
from pathlib import Path

from sqlalchemy.engine import Engine

from radar.spiders.lease import DbLeases
from tests.cluster_site import cluster_site, sources_toml


def test_holders_take_turns_at_the_hosts_delay(engine: Engine) -> None:
    spans: list[tuple[float, float]] = []
    lock = threading.Lock()

    def work(leases: DbLeases) -> None:
        for _ in range(4):
            with leases.hold("example.org:80", 0.05):
                start = time.monotonic()
                time.sleep(0.01)
                with lock:
                    spans.append((start, time.monotonic()))

    holders = [DbLeases(engine, ttl=30) for _ in range(3)]
    threads = [threading.Thread(target=work, args=(h,)) for h in holders]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    spans.sort()
    assert len(spans) == 12
    gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:], strict=False)]
    assert min(gaps) >= 0.045, gaps  # never two at once, and the delay between them
    assert sum(h.waited for h in holders) > 0


def test_a_dead_holders_lease_expires(engine: Engine) -> None:
    dead = DbLeases(engine, ttl=0.5)
    dead.acquire("example.org:80")  # and never gives it back, like a process killed mid-request
    alive = DbLeases(engine, ttl=30)
    t0 = time.monotonic()
    with alive.hold("example.org:80", 0.0):
        waited = time.monotonic() - t0
    assert 0.3 <= waited < 5


def test_the_lease_of_a_process_killed_on_this_machine_is_free_at_once(engine: Engine, db_url: str) -> None:
    code = ("import sys, time\nfrom radar.db import make_engine\nfrom radar.spiders.lease import DbLeases\n"
            "DbLeases(make_engine(sys.argv[1]), ttl=600).acquire('example.org:80')\nprint('held', flush=True)\n"
            "time.sleep(600)\n")
    proc = subprocess.Popen([sys.executable, "-c", code, db_url], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    proc.kill()
    proc.wait()
    t0 = time.monotonic()
    with DbLeases(engine, ttl=600).hold("example.org:80", 0.0):
        waited = time.monotonic() - t0
    assert waited < 5  # not the 600 s of its lease


def test_two_crawl_processes_on_sqlite_never_hit_a_host_at_once(tmp_path: Path) -> None:
    with cluster_site(hosts=1, feeds_per_host=3, per_feed=4, delay=0.05) as site:
        cfg = tmp_path / "radar.toml"
        cfg.write_text(f'[general]\ndata_dir = "{tmp_path / "data"}"\n[crawl]\nallow_private_addresses = true\n'
                       'per_host_delay = 0.1\nretries = 0\nconcurrency = 3\n' + sources_toml(site), encoding="utf-8")
        radar = [sys.executable, "-m", "radar", "--config", str(cfg)]
        subprocess.run(radar + ["status"], capture_output=True, timeout=120, check=True)  # the schema, once
        procs = [subprocess.Popen(radar + ["crawl", "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for _ in range(2)]
        errors = [p.communicate(timeout=180)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert site.max_in_flight and set(site.max_in_flight.values()) == {1}
    assert site.smallest_gap() >= 0.09


def test_newsroom_spiders_of_two_processes_take_turns_at_a_host(tmp_path: Path) -> None:
    """The Scrapy path: each process runs one spider per newsroom source, and each spider's
    own per-domain slot knows nothing of the others; the lease does."""
    with cluster_site(hosts=1, feeds_per_host=2, per_feed=3, delay=0.05) as site:
        cfg = tmp_path / "radar.toml"
        cfg.write_text(f'[general]\ndata_dir = "{tmp_path / "data"}"\n[crawl]\nallow_private_addresses = true\n'
                       'per_host_delay = 0.1\nretries = 0\n' + sources_toml(site, kind="newsroom"), encoding="utf-8")
        radar = [sys.executable, "-m", "radar", "--config", str(cfg)]
        subprocess.run(radar + ["status"], capture_output=True, timeout=120, check=True)
        procs = [subprocess.Popen(radar + ["crawl", "--force"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for _ in range(2)]
        errors = [p.communicate(timeout=180)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert sum(n for u, n in site.fetches.items() if "/a/" in u) >= 6  # the articles were fetched
    assert set(site.max_in_flight.values()) == {1}
    assert site.smallest_gap() >= 0.09
