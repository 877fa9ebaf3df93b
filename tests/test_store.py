"""Schema and store functions, on SQLite and on PostgreSQL."""
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

from radar import store
from radar.db import current_revision, head_revision, migrate
from radar.models import Document, DocumentUrl
from radar.settings import SourceEntry


def test_migrations_create_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"source", "document", "document_url", "organization", "org_alias", "signal", "signal_mention",
            "contact", "digest_run", "export_run", "crawl_run", "export_item", "service_lock"} <= tables
    assert current_revision(engine) == head_revision()
    migrate(engine)  # a second start is a no-op
    assert current_revision(engine) == head_revision()


def test_syndicated_copy_is_stored_once_with_both_urls(engine: Engine) -> None:
    (src,) = store.sync_sources(engine, [SourceEntry(name="wire", url="https://wire.example/feed")])
    when = datetime(2026, 11, 2, tzinfo=UTC)
    doc, new = store.save_document(engine, url="https://a.example/story", source_id=src.id, text="Acme raised $5M.",
                                   title="Acme", published_at=when)
    copy, new2 = store.save_document(engine, url="https://b.example/copy", source_id=src.id, text="Acme  raised $5M.",
                                     title="Acme", published_at=when)
    again, new3 = store.save_document(engine, url="https://a.example/story", source_id=src.id, text="Acme raised $5M.",
                                      title="Acme", published_at=when)
    assert (new, new2, new3) == (True, False, False)
    assert doc.id == copy.id == again.id
    assert store.count(engine, Document) == 1
    assert store.count(engine, DocumentUrl) == 2
    assert store.known_url(engine, "https://b.example/copy")


def test_sync_sources_keeps_health_and_resets_validators_on_new_url(engine: Engine) -> None:
    (src,) = store.sync_sources(engine, [SourceEntry(name="wire", url="https://wire.example/feed")])
    assert src.id is not None
    store.record_fetch(engine, src.id, ok=True, status=200, etag='"v1"', last_modified="Mon, 02 Nov 2026 10:00:00 GMT")
    store.record_fetch(engine, src.id, ok=False, status=500, error="HTTP 500")
    (same,) = store.sync_sources(engine, [SourceEntry(name="wire", url="https://wire.example/feed")])
    assert same.etag == '"v1"' and same.consecutive_failures == 1
    (moved,) = store.sync_sources(engine, [SourceEntry(name="wire", url="https://wire.example/new-feed")])
    assert moved.etag is None and moved.id == src.id


def test_database_from_a_newer_radar_is_refused_and_untouched(sqlite_engine: Engine) -> None:
    import pytest

    from radar.errors import DatabaseError

    with sqlite_engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(DatabaseError, match="newer radar"):
        migrate(sqlite_engine)
    with sqlite_engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == "9999_future"


def test_latest_digest_overall_and_of_a_week(engine: Engine) -> None:
    from radar.db import session_scope
    from radar.models import DigestRun

    assert store.latest_digest(engine) is None
    with session_scope(engine) as s:
        s.add(DigestRun(iso_week="2026-W47", created_at=datetime(2026, 11, 16, tzinfo=UTC)))
        s.add(DigestRun(iso_week="2026-W48", created_at=datetime(2026, 11, 23, tzinfo=UTC), status="sent"))
    latest = store.latest_digest(engine)
    assert latest is not None and (latest.iso_week, latest.status) == ("2026-W48", "sent")
    week = store.latest_digest(engine, "2026-W47")
    assert week is not None and week.iso_week == "2026-W47"
    assert store.latest_digest(engine, "2026-W49") is None


def test_get_source_by_id(engine: Engine) -> None:
    (src,) = store.sync_sources(engine, [SourceEntry(name="wire", url="https://wire.example/feed")])
    assert src.id is not None
    found = store.get_source(engine, src.id)
    assert found is not None and found.name == "wire"
    assert store.get_source(engine, src.id + 1000) is None


@pytest.mark.parametrize("kind", ["foreign", "newer"])
def test_a_refused_sqlite_database_keeps_its_journal_mode(tmp_path: Path, kind: str) -> None:
    import sqlite3

    from radar.db import make_engine
    from radar.errors import DatabaseError

    path = tmp_path / "theirs.db"
    con = sqlite3.connect(path)
    if kind == "foreign":
        con.execute("CREATE TABLE notes (body TEXT)")
    else:
        con.execute("CREATE TABLE document (id INTEGER)")
        con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        con.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError):
        migrate(make_engine(f"sqlite:///{path}"))
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()


def test_a_new_database_is_in_wal_mode(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_every_store_name_resolves_and_the_read_paths_import_no_orm() -> None:
    """radar.store imports its ORM modules on first use of one of their names (see its
    docstring): each exported name resolves to what its module defines, and importing the
    package with the ranking and the signal queries brings in neither SQLModel nor the tables."""
    code = ("import sys, radar.store, radar.rank.world, radar.queries\n"
            "print(sorted(m for m in ('sqlmodel', 'radar.models') if m in sys.modules))\n"
            "import importlib\n"
            "for module, names in radar.store._LAZY.items():\n"
            "    for n in names:  # NewDocumentHook first: the function `documents` then, not the submodule\n"
            "        defined = getattr(importlib.import_module('radar.store.' + module), n)\n"
            "        assert getattr(radar.store, n) is defined, n\n"
            "assert callable(radar.store.documents)  # the function, not the submodule of that name\n"
            "assert set(radar.store._MODULE_OF) <= set(radar.store.__all__)\n"
            "assert all(hasattr(radar.store, n) for n in radar.store.__all__)\n"
            "print('ok')\n")
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["[]", "ok"]
    # The names mypy sees (the TYPE_CHECKING imports) are the names imported on first use.
    import ast

    tree = ast.parse(Path(store.__file__).read_text(encoding="utf-8"))
    checked = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    typed = {(str(i.module).rpartition(".")[2], a.name) for i in checked.body if isinstance(i, ast.ImportFrom)
             for a in i.names}
    assert typed == {(m, n) for m, names in store._LAZY.items() for n in names}
