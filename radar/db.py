"""The database: engine, SQLite pragmas, and Alembic migrations applied on start.

An existing database is upgraded in place; a database newer than this code, one that
cannot be read, or a SQLite file with damaged pages, is reported and left untouched.
"""
import functools
import logging
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Union

from sqlalchemy import Table, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import Connection, Engine, ExceptionContext
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from radar.errors import ConfigError, DatabaseError
from radar.settings import redact_url

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlmodel import Session

logger = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    # The busy timeout makes a writer wait for the other's short transaction instead of failing
    # with "database is locked". WAL (which lets the CLI read while `radar serve` writes) is
    # switched on by `migrate`, once the file is known to be radar's: it is a lasting change
    # to the file, not made to a database radar refuses.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine; for SQLite, create the folder and set WAL and a busy timeout."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in ("sqlite", "postgresql+psycopg"):
        raise ConfigError(
            f"unsupported database URL {redact_url(url)!r}; use sqlite:///path/to/radar.db, "
            "postgresql://user:password@host/db, or a plain file path with --db"
        )
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            if Path(path).is_dir():
                raise ConfigError(f"the database path {path} is a directory; give a file path such as "
                                  f"{Path(path) / 'radar.db'}")
            if Path(path).exists() and not Path(path).is_file():
                # A device or a pipe (/dev/null): SQLite would fail on it, and write a journal beside it.
                raise ConfigError(f"the database path {path} is not a regular file; give a file path such as "
                                  "data/radar.db")
            try:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise DatabaseError(f"cannot create the folder for the database {path}: {e.strerror}; "
                                    "check the path and permissions") from None
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _damaged_page_met)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True)
    except Exception as e:  # noqa: BLE001 - a malformed URL (bad port, ...): SQLAlchemy's parser raises several types
        raise ConfigError(f"bad database URL {redact_url(url)!r}: {e}; "
                          "use postgresql://user:password@host/db") from None


# Up to this size every open runs PRAGMA quick_check: it reads every page, about 0.15 s per
# 200 MB from the page cache (measured on this project's machine), so a user's radar database
# of a few MB pays milliseconds. A bigger file is checked by the commands that run for a
# while (crawl, extract, run, serve, digest, export), where that cost is small beside their
# work; the others meet a damaged page only when they read it (_damaged_page_met).
CHECK_ON_EVERY_OPEN_BYTES = 512 * 2**20
_SQLITE_CORRUPT = 11


def _sqlite_path(engine: Engine) -> Optional[Path]:
    name = engine.url.database
    return Path(name) if name and name != ":memory:" else None


class DamagedDatabaseError(DatabaseError):
    """SQLite found damaged pages in the file."""

    def __init__(self, engine: Engine, detail: str, *, untouched: bool) -> None:
        # quick_check's report spans lines and opens with a "*** in database main ***" banner.
        detail = " ".join(detail.replace("*** in database main ***", "").split())[:200]
        path = _sqlite_path(engine)
        where = str(path) if path else _safe(engine)
        done = "nothing was written to it" if untouched else "stop every radar process that uses it"
        # No ready-made salvage command: Debian's sqlite3 3.40 fails .recover even on a sound file,
        # and a .dump of a damaged one ends in ROLLBACK; which works depends on the shell at hand.
        super().__init__(f"the database {where} is damaged ({detail}); {done}; restore it from a backup, or copy "
                         "what is readable into a new file with the sqlite3 shell (.recover, or .dump) and point "
                         "radar at that file")
        self.detail = detail


def _damaged_page_met(context: ExceptionContext) -> None:
    """SQLite found a damaged page while running a statement: one DatabaseError naming the file."""
    e = context.original_exception
    if isinstance(e, sqlite3.DatabaseError) and (getattr(e, "sqlite_errorcode", 0) or 0) & 0xFF == _SQLITE_CORRUPT:
        engine = context.engine
        if engine is not None:
            raise DamagedDatabaseError(engine, str(e), untouched=False) from None


def check_pages(engine: Engine, *, always: bool = False) -> None:
    """Refuse a SQLite file with damaged pages before anything is written into it (a write
    beside a damaged page can spread the damage). `always` checks past the size budget."""
    path = _sqlite_path(engine)
    if engine.dialect.name != "sqlite" or path is None or not path.exists():
        return
    if not always and path.stat().st_size > CHECK_ON_EVERY_OPEN_BYTES:
        return
    try:
        with engine.connect() as conn:
            # quick_check(1): stop at the first problem; it checks every page and the b-trees'
            # shape, not that indexes agree with their tables (integrity_check does, at twice the cost).
            found = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check(1)")]
    except DamagedDatabaseError as e:  # raised by _damaged_page_met; this check writes nothing
        raise DamagedDatabaseError(engine, e.detail, untouched=True) from None
    except (OperationalError, SADatabaseError) as e:
        raise _unreadable(engine, e) from None
    if found != ["ok"]:
        raise DamagedDatabaseError(engine, "; ".join(found), untouched=True)


def _unreadable(engine: Engine, e: SADatabaseError) -> DatabaseError:
    return DatabaseError(f"cannot read the database {_safe(engine)}: {str(e.orig).strip() or e}; "
                         "check the path/URL and permissions")


def _alembic_config(engine: Optional[Engine]) -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(None))
    head = script.get_current_head()
    assert head, "no migration found"
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_REVISION = re.compile(r"^(down_)?revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", re.M)


@functools.lru_cache(maxsize=1)
def _head_from_files() -> Optional[str]:
    """The head revision read from the migration files' `revision` lines, or None when that is
    not one unambiguous head (then Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, rev in _REVISION.findall(path.read_text(encoding="utf-8")):
            (parents if down else revisions).add(rev)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(engine: Engine) -> bool:
    """Whether the database is already at the head revision, asked without importing Alembic
    (about 0.2 s of every command's start-up): one read of alembic_version."""
    head = _head_from_files()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    except (OperationalError, SADatabaseError, DamagedDatabaseError):
        return False  # no such table yet, unreadable or damaged: the checks that follow report it


def migrate(engine: Engine, *, long_job: bool = False, writes: bool = True) -> None:
    """Bring the schema to this code's head revision; refuse a database from a newer radar, or
    a damaged SQLite file (checked at any size when migrating or for a `long_job`; not at all
    for a command that `writes` nothing when the schema is current: the check is there so
    that nothing is written beside a damaged page, and a damaged page such a command reads
    stops it with the same one line)."""
    at_head = _at_head(engine)
    if writes or not at_head:
        check_pages(engine, always=long_job or not at_head)
    if at_head:
        return
    if engine.dialect.name != "postgresql":
        _migrate(engine)
        return
    # Several workers starting at once on a new PostgreSQL database: one migrates, the others
    # wait for it and then find the schema at its head.
    with engine.connect() as guard:
        key = text("hashtext('radar:migrate:' || current_schema())")
        guard.execute(select(func.pg_advisory_lock(key)))
        try:
            _migrate(engine)
        finally:
            guard.execute(select(func.pg_advisory_unlock(key)))
            guard.commit()


def _migrate(engine: Engine) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(engine)
    script = ScriptDirectory.from_config(cfg)
    try:
        current = current_revision(engine)
        if current is None and inspect(engine).get_table_names():
            known = set(inspect(engine).get_table_names())
            if "document" not in known:
                raise DatabaseError(f"{_safe(engine)} holds tables that are not radar's; "
                                    "point radar at another database")
    except (OperationalError, SADatabaseError) as e:
        raise _unreadable(engine, e) from None
    if current is not None:
        try:
            script.get_revision(current)
        except Exception:  # noqa: BLE001 - Alembic raises several types for a revision it does not know
            raise DatabaseError(
                f"the database {_safe(engine)} was written by a newer radar (schema revision {current}); "
                "upgrade radar, or point it at another database; nothing was changed"
            ) from None
    if current != script.get_current_head():
        logger.info("migrating database %s from %s to %s", _safe(engine), current, script.get_current_head())
        command.upgrade(cfg, "head")
    _wal(engine)


def _wal(engine: Engine) -> None:
    """Switch an accepted SQLite database to WAL (lasting; a no-op when it is already)."""
    if engine.dialect.name != "sqlite":
        return
    # The switch takes an exclusive lock, and SQLite answers "database is locked" at once, without
    # the busy timeout, when it would deadlock with another process reading the new file (two
    # `radar run` started together on a new database): so wait and try again, within that timeout.
    deadline = time.monotonic() + 15
    while True:
        try:
            with engine.connect() as conn:
                if str(conn.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() != "wal":
                    conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            return
        except OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _safe(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


_engines: dict[str, Engine] = {}
_checked_whole: set[str] = set()  # urls whose pages were checked at any size in this process
_unchecked: set[Engine] = set()  # opened by commands that might write nothing: pages not checked yet


def open_database(url: str, *, long_job: bool = False, writes: bool = True) -> Engine:
    """Engine for `url` with the schema migrated, cached per process. A `long_job` (a crawl,
    extraction, the service) checks a SQLite file's pages whatever its size; a command that
    `writes` nothing (a listing, a stored ranking read) does not check them (see migrate),
    unless it turns out to write after all (check_before_writing)."""
    if url not in _engines:
        engine = make_engine(url)
        migrate(engine, long_job=long_job, writes=writes)
        _engines[url] = engine
        if long_job:
            _checked_whole.add(url)
        elif not writes:
            _unchecked.add(engine)
    elif long_job and url not in _checked_whole:
        check_pages(_engines[url], always=True)
        _checked_whole.add(url)
        _unchecked.discard(_engines[url])
    elif writes:
        check_before_writing(_engines[url])
    return _engines[url]


def check_before_writing(engine: Engine) -> None:
    """The page check that open_database(writes=False) left out, run before the first write
    (`radar orgs top` stores a ranking when none is fresh); nothing for any other engine."""
    if engine in _unchecked:
        check_pages(engine)
        _unchecked.discard(engine)


@contextmanager
def session_scope(engine: Engine) -> Iterator["Session"]:
    """A session committed on success and rolled back on error: short write transactions."""
    from sqlmodel import Session  # SQLModel and the ORM: only for the commands that write

    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def insert_new(bind: Union["Session", Connection], table: Table, values: dict[str, Any],
               key: str = "id") -> Optional[Any]:
    """INSERT ... ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike: the new row's `key`
    column (its id), or None when a row already holds one of its unique keys (then read that
    row: another process may have written it an instant ago, which is why this is not a read
    followed by an insert).

    On PostgreSQL a conflict with a row another transaction has not committed yet waits for that
    transaction, so the row read next is the committed winner.
    """
    dialect = bind.dialect if isinstance(bind, Connection) else bind.get_bind().dialect
    return bind.execute(_insert_new_statement(dialect.name, table, key), values).scalar()


@functools.cache
def _insert_new_statement(dialect: str, table: Table, key: str) -> Any:
    """insert_new's statement, built once per table: the values come as parameters (a crawl
    stores three rows per document, and building the statement cost more than running it)."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING, not rowcount: psycopg reports -1 for an INSERT ... ON CONFLICT DO NOTHING.
    return insert(table).on_conflict_do_nothing().returning(table.c[key])
