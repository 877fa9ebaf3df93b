"""The Scrapy child of newsroom crawls keeps the stop contract (real processes, a real slow
site): SIGTERM to `radar serve` stops it after the pages in flight, and it never outlives the
`radar crawl` or `radar serve` that started it, even after kill -9."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.service_site import news_site, service_config
from tests.test_service_run import job, query, start, stop, wait_for

RADAR = [sys.executable, "-m", "radar"]
PAGES = 60


def children(pid: int) -> list[int]:
    """Live child processes of pid (from /proc; zombies count as gone)."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def documents(db: Path) -> int:
    return (query(db, "select count(*) from document") or [(0,)])[0][0]


def scrapy_child(parent: subprocess.Popen[str]) -> int:
    found: list[int] = []

    def spawned() -> bool:
        found[:] = [p for p in children(parent.pid)
                    if b"radar.spiders.scrapy_run" in (Path("/proc") / str(p) / "cmdline").read_bytes()]
        return bool(found)

    wait_for(spawned, proc=parent)
    return found[0]


def _crawl(tmp_path: Path, base: str, stderr: int) -> "subprocess.Popen[str]":
    """`radar crawl` of the newsroom at `base`, on the SQLite database under tmp_path."""
    cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", {"room": f"{base}/newsroom/"}, kind="newsroom")
    env = {**os.environ}
    env.pop("RADAR_DATABASE_URL", None)
    return subprocess.Popen(RADAR + ["--config", str(cfg), "crawl"], stdout=subprocess.DEVNULL, stderr=stderr,
                            text=True, env=env)


def test_kill_9_of_radar_crawl_stops_its_scrapy_child(tmp_path: Path) -> None:
    db = tmp_path / "data" / "radar.db"
    with news_site(n=PAGES, delay=0.3) as base:
        parent = _crawl(tmp_path, base, subprocess.DEVNULL)
        child = scrapy_child(parent)
        wait_for(lambda: documents(db) >= 2, proc=parent)
        parent.kill()
        parent.wait()
        wait_for(lambda: not alive(child), timeout=30)
        stored = documents(db)
        time.sleep(1.5)  # a child still crawling would store another page by now (one per 0.3 s)
        assert documents(db) == stored
    assert 2 <= stored < PAGES


def test_sigterm_to_serve_stops_the_scrapy_child_after_the_pages_in_flight(tmp_path: Path) -> None:
    db = tmp_path / "data" / "radar.db"
    with news_site(n=PAGES, delay=0.3) as base:
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", {"room": f"{base}/newsroom/"},
                             kind="newsroom")
        proc = start(cfg)
        try:
            child = scrapy_child(proc)
            wait_for(lambda: documents(db) >= 2, proc=proc)
        finally:
            code, err = stop(proc)
        assert not alive(child)
        stored = documents(db)
    assert code == 0, err
    assert 2 <= stored < PAGES
    room = job(db, "crawl:room")
    assert room is not None and room[0] == "stopped"
    # The interrupted source stays due: the next start fetches the rest.
    assert query(db, "select next_fetch_at, last_fetched_at from source where name = 'room'") == [(None, None)]


def test_sigterm_to_radar_crawl_leaves_no_child_behind(tmp_path: Path) -> None:
    db = tmp_path / "data" / "radar.db"
    with news_site(n=PAGES, delay=0.3) as base:
        parent = _crawl(tmp_path, base, subprocess.PIPE)
        child = scrapy_child(parent)
        wait_for(lambda: documents(db) >= 2, proc=parent)
        parent.send_signal(signal.SIGTERM)
        parent.communicate(timeout=60)
        wait_for(lambda: not alive(child), timeout=30)
        assert documents(db) < PAGES
