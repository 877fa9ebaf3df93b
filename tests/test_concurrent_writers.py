"""Several processes writing one database at once agree: the database enforces one organization
per normalized name (and CIK, domain, alias), one document per canonical URL and one signal per
event, on SQLite and on PostgreSQL. Real `radar` processes, started together."""
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from radar.db import make_engine, migrate
from radar.store import save_document
from tests.service_site import news_site, service_config

RADAR = [sys.executable, "-m", "radar"]
COMPANIES = ["Alder Robotics", "Brookfield Dynamics", "Cedarline Analytics", "Dunmore Biotech", "Emberly Foods",
             "Fjordvale Energy", "Grovewell Health", "Heathrow Logistics", "Irisbay Software", "Junipero Payments"]
DUPLICATES = {
    "organization": "select normalized from organization where normalized <> '' group by normalized "
                    "having count(*) > 1",
    "alias": "select normalized from org_alias group by normalized having count(*) > 1",
    "document": "select url from document group by url having count(*) > 1",
    "signal": "select key from signal group by key having count(*) > 1",
}


def rows(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(text(sql))]


def no_duplicates(engine: Engine) -> None:
    found = {what: rows(engine, sql) for what, sql in DUPLICATES.items()}
    assert found == {what: [] for what in DUPLICATES}


def radar(url: str, config: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "RADAR_DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(RADAR + ["--config", str(config), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def finish(procs: list[subprocess.Popen[str]]) -> None:
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-2000:]
        assert "Traceback" not in err, err[-2000:]


def test_two_extracts_at_once_make_one_organization_per_name(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    # Forty reports about ten companies: both processes meet every company several times.
    for i in range(40):
        name = COMPANIES[i % len(COMPANIES)]
        save_document(engine, url=f"https://news.example/{i}", source_id=None, title=f"{name} news {i}",
                      published_at=None,
                      text=(f"{name} raised ${10 + i} million in a Series B round led by Northgate Capital, "
                            f"the company said on Monday. {name} appointed Dana Reyes{i} as chief financial "
                            f"officer, effective immediately. {name} will open an office in Lisbon."))
    config = service_config(tmp_path / "radar.toml", tmp_path / "data", {})
    finish([radar(db_url, config, "extract"), radar(db_url, config, "extract")])
    no_duplicates(engine)
    names = {n for (n,) in rows(engine, "select name from organization")}
    assert set(COMPANIES) <= names
    # Every document was read; each company's Series B is one event with its four reports.
    assert rows(engine, "select count(*) from document where extractor_version is null") == [(0,)]
    per_org = rows(engine, "select o.name, count(*), sum(s.mentions) from signal s "
                           "join organization o on o.id = s.organization_id where s.type = 'funding' group by o.name")
    assert {n: (c, int(m)) for n, c, m in per_org if n in COMPANIES} == {n: (1, 4) for n in COMPANIES}
    assert rows(engine, "select count(*) from signal_mention m join signal s on s.id = m.signal_id "
                        "where s.type = 'funding'") == [(40,)]
    engine.dispose()


def test_two_runs_at_once_store_each_page_and_organization_once(db_url: str, tmp_path: Path) -> None:
    n = 12
    with news_site(n=n, delay=0.05) as base:
        config = service_config(tmp_path / "radar.toml", tmp_path / "data", {"wire": f"{base}/feed.xml"})
        finish([radar(db_url, config, "run", "--force"), radar(db_url, config, "run", "--force")])
    engine = make_engine(db_url)
    no_duplicates(engine)
    assert rows(engine, "select count(*) from document") == [(n,)]
    # One organization per company named (the extractor misses a name or two of this synthetic site).
    robotics = [name for (name,) in rows(engine, "select name from organization where name like '%Robotics'")]
    assert len(robotics) >= n - 2 and len(set(robotics)) == len(robotics)
    engine.dispose()


@pytest.mark.parametrize("twin_signals", [0, 2])
def test_upgrade_merges_existing_twins_into_the_richer_one(db_url: str, twin_signals: int) -> None:
    """A database written before the unique indexes existed, with twins, upgrades cleanly."""
    from alembic import command

    from radar.db import _alembic_config

    engine = make_engine(db_url)
    command.upgrade(_alembic_config(engine), "1101")
    with engine.begin() as c:
        c.execute(text("insert into organization (id, name, normalized, cik, industries, created_at) values "
                       "(1, 'Acme', 'acme', NULL, '[]', CURRENT_TIMESTAMP), "
                       "(2, 'Acme Inc.', 'acme', '320193', '[\"software\"]', CURRENT_TIMESTAMP), "
                       "(3, 'ACME Holdings', 'acme holdings', '320193', '[]', CURRENT_TIMESTAMP), "
                       "(4, 'Other', 'other', NULL, '[]', CURRENT_TIMESTAMP)"))
        c.execute(text("insert into org_alias (organization_id, alias, normalized) values "
                       "(1, 'Acme', 'acme'), (2, 'Acme Inc.', 'acme'), (3, 'ACME Holdings', 'acme holdings'), "
                       "(4, 'Acme', 'acme')"))
        c.execute(text("insert into document (id, url, kind, fetched_at, text, content_hash, meta, extractor_version) "
                       "values (1, 'https://a.example/1', 'article', CURRENT_TIMESTAMP, 'x', 'h1', '{}', 'v1')"))
        for i in range(twin_signals + 1 if twin_signals else 0):
            org = 3 if i < twin_signals else 1
            c.execute(text("insert into signal (key, organization_id, type, event_date, confidence, evidence, "
                           "attributes, document_id, mentions, first_seen) values "
                           f"('k{i}', {org}, 'funding', '2026-11-01', 0.9, 'e', '{{}}', 1, 1, CURRENT_TIMESTAMP)"))
            c.execute(text(f"insert into signal_mention (signal_id, document_id, evidence, confidence) "
                           f"values ((select id from signal where key = 'k{i}'), 1, 'e', 0.9)"))
        c.execute(text("insert into digest_run (iso_week, created_at, status, organizations) values "
                       "('2026-W48', '2026-11-23 08:00:00', 'sent', '[]'), "
                       "('2026-W48', '2026-11-24 08:00:00', 'rendered', '[]')"))
    migrate(engine)
    no_duplicates(engine)
    keep = 3 if twin_signals else 2  # most signals wins; else the one with more fields filled
    orgs = rows(engine, "select id, cik from organization order by id")
    assert orgs == [(keep, "320193"), (4, None)]
    assert rows(engine, "select distinct organization_id from signal") == ([(keep,)] if twin_signals else [])
    assert rows(engine, "select organization_id from org_alias where normalized = 'acme'") == [(keep,)]
    assert rows(engine, "select status from digest_run") == [("sent",)]
    # The document behind moved signals is read again, so its events join the kept organization's.
    assert rows(engine, "select extractor_version from document") == [(None if twin_signals else "v1",)]
    engine.dispose()
