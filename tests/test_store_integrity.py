"""A damaged SQLite database is refused in one line and left as it is, never written into."""
import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from radar import store
from radar.db import make_engine, migrate
from radar.errors import DatabaseError
from radar.settings import SourceEntry

RADAR = [sys.executable, "-m", "radar"]


def _damaged_database(path: Path) -> None:
    """A radar database with enough documents for several table pages, one of which is then
    overwritten with garbage (what a torn write or a bad disk sector leaves)."""
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    (src,) = store.sync_sources(engine, [SourceEntry(name="wire", url="https://wire.example/feed")])
    for i in range(40):
        store.save_document(engine, url=f"https://a.example/{i}", source_id=src.id, text=f"story {i} " * 300,
                            title=f"Story {i}", published_at=None)
    engine.dispose()
    con = sqlite3.connect(path)
    pages = [p for (p,) in con.execute("SELECT pageno FROM dbstat WHERE name = 'document' AND pagetype = 'leaf' "
                                       "ORDER BY pageno")]
    page_size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    assert len(pages) > 4
    with path.open("r+b") as f:
        f.seek((pages[len(pages) // 2] - 1) * page_size)
        f.write(b"\x0d\x13\x37" * (page_size // 3))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_damaged_database_is_refused_before_any_write(tmp_path: Path) -> None:
    db = tmp_path / "radar.db"
    _damaged_database(db)
    before = _digest(db)
    r = subprocess.run(RADAR + ["--db", str(db), "profiles", "add", "ana", "--email", "ana@example.com"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 1, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "damaged" in lines[0] and str(db) in lines[0] and ".recover" in lines[0], r.stderr
    assert "internal error" not in r.stderr
    assert _digest(db) == before
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0


def test_a_damaged_database_keeps_its_journal_mode(tmp_path: Path) -> None:
    db = tmp_path / "radar.db"
    _damaged_database(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    with pytest.raises(DatabaseError, match="damaged"):
        migrate(make_engine(f"sqlite:///{db}"))
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_a_damaged_page_met_after_the_open_is_one_database_error(tmp_path: Path) -> None:
    # Past the size up to which every open checks the file, a damaged page is found when read:
    # the error names the file and the way out, as the check on open does.
    db = tmp_path / "radar.db"
    _damaged_database(db)
    engine = make_engine(f"sqlite:///{db}")
    with pytest.raises(DatabaseError, match="damaged") as caught, engine.connect() as c:
        c.execute(text("SELECT count(*), sum(length(text)) FROM document")).one()
    assert str(db) in str(caught.value)
    engine.dispose()


def test_an_intact_database_passes_the_check(sqlite_engine: object, tmp_path: Path) -> None:
    r = subprocess.run(RADAR + ["--db", str(tmp_path / "radar.db"), "profiles", "list", "--json"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_past_the_budget_only_a_long_job_reads_every_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from radar import db as radar_db

    path = tmp_path / "radar.db"
    _damaged_database(path)
    monkeypatch.setattr(radar_db, "CHECK_ON_EVERY_OPEN_BYTES", 4096)
    url = f"sqlite:///{path}"
    engine = radar_db.open_database(url)  # a quick command on a big file: no page check at open
    with pytest.raises(DatabaseError, match="damaged.*nothing was written"):
        radar_db.open_database(url, long_job=True)
    engine.dispose()
    radar_db._engines.pop(url)


def test_wal_waits_for_a_writer_instead_of_failing(tmp_path: Path) -> None:
    """Two processes opening a new database at once: one reads (SHARED) while the other writes
    (RESERVED); the switch to WAL would deadlock, so SQLite answers "locked" at once, without the
    busy timeout. The open waits for the writer instead of failing (CI saw the bare error)."""
    import threading

    from radar.db import _wal

    path = tmp_path / "radar.db"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("create table t (x integer)")
    writer.execute("begin immediate")
    writer.execute("insert into t values (1)")
    engine = make_engine(f"sqlite:///{path}")
    timer = threading.Timer(0.5, lambda: writer.execute("commit"))
    timer.start()
    try:
        _wal(engine)
    finally:
        timer.join()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    writer.close()
    engine.dispose()


def test_a_listing_reads_without_the_page_check_and_a_later_writer_still_checks(tmp_path: Path) -> None:
    """`radar signals` writes nothing: it skips the check (most of its start-up on a large file),
    meets a damaged page only if it reads one; a command that writes in the same process still
    checks the file before writing."""
    from radar import db as radar_db

    path = tmp_path / "radar.db"
    _damaged_database(path)
    url = f"sqlite:///{path}"
    before = _digest(path)
    engine = radar_db.open_database(url, writes=False)  # no check: opening does not fail
    try:
        with pytest.raises(DatabaseError, match="damaged.*nothing was written"):
            radar_db.open_database(url)
        assert _digest(path) == before
    finally:
        engine.dispose()
        radar_db._engines.pop(url)
        radar_db._unchecked.discard(engine)
    r = subprocess.run(RADAR + ["--db", str(path), "signals", "--limit", "5"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    # Checked at open it would be refused; the damaged page holds documents, which it does not read.
    assert r.returncode == 0 and "internal error" not in r.stderr, r.stderr
    assert _digest(path) == before


def test_orgs_top_checks_the_pages_before_it_stores_a_ranking(tmp_path: Path) -> None:
    """`radar orgs top` opens without the check (reading a fresh stored ranking writes nothing);
    when it must rank and store, the file is checked first and nothing is written."""
    from datetime import date

    from radar import db as radar_db
    from radar.rank import cache as rank_cache

    path = tmp_path / "radar.db"
    _damaged_database(path)
    url = f"sqlite:///{path}"
    before = _digest(path)
    engine = radar_db.open_database(url, writes=False)
    try:
        with pytest.raises(DatabaseError, match="damaged.*nothing was written"):
            rank_cache.store_ranking(engine, "key", date(2026, 11, 20), "v", [], {}, {})
        assert _digest(path) == before
    finally:
        engine.dispose()
        radar_db._engines.pop(url)
        radar_db._unchecked.discard(engine)
    r = subprocess.run(RADAR + ["--db", str(path), "orgs", "top", "--limit", "5"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(lines) == 1 and "damaged" in lines[0], r.stderr
    assert _digest(path) == before
