"""Shared fixtures: a fresh database per test (SQLite file, or a PostgreSQL schema), settings, servers."""
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

from radar.settings import Settings, load_settings

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
DATA = Path(__file__).parent / "data"
PG_ADMIN_URL = os.environ.get("RADAR_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def corpus_or_skip() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not present at {CORPUS} (CI has it)")
    return CORPUS


def _pg_available() -> str | None:
    try:
        eng = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with eng.connect() as c:
            c.execute(text("select 1"))
        eng.dispose()
        return None
    except Exception as e:  # noqa: BLE001 - any failure means "no server here"
        return str(e).splitlines()[0]


@pytest.fixture(scope="session")
def pg_reason() -> str | None:
    return _pg_available()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'radar.db'}"


@pytest.fixture
def pg_url(pg_reason: str | None) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a schema made for this test, dropped after."""
    if pg_reason:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL must run in CI but does not answer at {PG_ADMIN_URL}: {pg_reason}")
        pytest.skip(f"no PostgreSQL server answers at {PG_ADMIN_URL}: {pg_reason}")
    schema = f"radar_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    with admin.begin() as c:
        c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each store test runs against both SQLite and PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    from radar.db import make_engine, migrate

    eng = make_engine(db_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    from radar.db import make_engine, migrate

    eng = make_engine(sqlite_url)
    migrate(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    p = tmp_path / "radar.toml"
    p.write_text(f'[general]\ndata_dir = "{tmp_path / "data"}"\n'
                 '[crawl]\nallow_private_addresses = true\nper_host_delay = 0.0\nretries = 1\n', encoding="utf-8")
    return p


@pytest.fixture
def settings(config_file: Path) -> Settings:
    return load_settings(config_file)


@pytest.fixture(autouse=True)
def _drop_cli_log_handlers() -> Iterator[None]:
    """`radar.cli.main()` run in-process points the root logger at the test's captured stderr;
    once that capture is closed, a later test's log record printed '--- Logging error ---'."""
    import logging

    yield
    root = logging.getLogger()
    for h in [h for h in root.handlers if type(h) is logging.StreamHandler]:
        root.removeHandler(h)
