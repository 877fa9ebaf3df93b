"""Global CLI state: the --config and --db options, and lazily loaded settings and engine."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:  # imported when used: pydantic and SQLAlchemy cost ~0.7 s at every start-up
    from sqlalchemy.engine import Engine

    from radar.settings import Settings


@dataclass
class State:
    config: Optional[Path] = None
    db: Optional[str] = None
    overrides: dict[str, Any] = field(default_factory=dict)
    _settings: Optional["Settings"] = None

    def settings(self) -> "Settings":
        from radar.settings import load_settings

        if self._settings is None:
            overrides = dict(self.overrides)
            if self.db:
                url = self.db if "://" in self.db else f"sqlite:///{Path(self.db).resolve()}"
                overrides["general.database_url"] = url
            self._settings = load_settings(self.config, overrides)
        return self._settings

    def engine(self, *, long_job: bool = False, writes: bool = True) -> "Engine":
        """The database, migrated; a `long_job` (crawl, extract, run, serve, digest, export) checks
        a SQLite file's pages at any size, the other commands up to radar.db's budget, except
        those that mostly write nothing (`writes=False`: `radar signals`, `radar orgs top`,
        checked before a write all the same)."""
        from radar.db import open_database

        return open_database(self.settings().database_url(), long_job=long_job, writes=writes)


state = State()
