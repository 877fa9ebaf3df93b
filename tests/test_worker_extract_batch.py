"""A worker's extraction jobs carry a batch: one job waits per shard of document ids however many
documents arrive, it reads every unread document of its shard, a re-run adds nothing, and a
document stored while the job reads is not left behind. Real PostgreSQL, real processes."""
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from radar import pipeline, store
from radar.db import make_engine, migrate
from radar.models import Document, table_of
from radar.settings import Settings
from radar.worker import queue
from tests.cluster_site import cluster_site
from tests.service_site import service_config
from tests.test_worker_cluster import FAST, Cluster, cluster_factory  # noqa: F401 - the fixture

COMPANIES = ["Alder Robotics", "Brookfield Dynamics", "Cedarline Analytics", "Dunmore Biotech", "Emberly Foods"]


@pytest.fixture
def pg(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    migrate(engine)
    store.on_new_document(queue.extraction_hook(shards=2))
    yield engine
    store.on_new_document(None)
    engine.dispose()


def news(i: int) -> dict[str, Any]:
    name = COMPANIES[i % len(COMPANIES)]
    return dict(url=f"https://news.example/{i}", source_id=None, title=f"{name} news {i}", published_at=None,
                text=f"{name} raised ${10 + i} million in a Series B round led by Northgate Capital, the company "
                     f"said on Monday. {name} will open an office in Lisbon.")


def rows(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    with engine.connect() as c:
        return [tuple(r) for r in c.execute(text(sql))]


def extract_jobs(engine: Engine) -> list[tuple[Any, ...]]:
    return rows(engine, "select args->>'shard', status::text from procrastinate_jobs "
                        "where task_name = 'extract_documents' order by 1")


def test_one_extraction_job_waits_per_shard_however_many_documents_arrive(pg: Engine) -> None:
    store.save_documents(pg, [news(i) for i in range(6)])
    store.save_documents(pg, [news(i) for i in range(6, 10)])
    assert extract_jobs(pg) == [("0", "todo"), ("1", "todo")]
    assert rows(pg, "select lock from procrastinate_jobs order by 1") == [("extract:0",), ("extract:1",)]
    # A job that runs no longer counts as waiting: the next document of its shard queues one.
    with pg.begin() as c:
        c.execute(text("update procrastinate_jobs set status = 'doing' where lock = 'extract:0'"))
    store.save_documents(pg, [news(i) for i in range(10, 12)])
    assert extract_jobs(pg) == [("0", "doing"), ("0", "todo"), ("1", "todo")]
    # The running job fails (or its worker dies) and goes back to waiting beside the other:
    # procrastinate's retry is not refused, as it is under a queueing lock.
    with pg.begin() as c:
        c.execute(text("select procrastinate_retry_job_v1(id, now(), null, null, null) from procrastinate_jobs "
                       "where status = 'doing'"))
    assert extract_jobs(pg) == [("0", "todo"), ("0", "todo"), ("1", "todo")]


def test_a_job_reads_every_unread_document_of_its_shard_and_a_rerun_adds_nothing(
        pg: Engine, settings: Settings) -> None:
    settings.worker.extract_batch = 2  # several transactions per job
    store.save_documents(pg, [news(i) for i in range(10)])
    even = pipeline.extract_unread(pg, settings, 0, 2)
    ids = {i: v for i, v in rows(pg, "select id, extractor_version from document")}
    assert even.documents == 5 and even.failed == 0
    assert {i for i, v in ids.items() if v is not None} == {i for i in ids if i % 2 == 0}
    odd = pipeline.extract_unread(pg, settings, 1, 2)
    assert odd.documents == 5
    before = rows(pg, "select key, mentions from signal order by key")
    assert len(before) >= len(COMPANIES)
    assert pipeline.extract_unread(pg, settings, 0, 2).documents == 0
    # Read again (as after a worker died mid-job): the same signals, not twice the mentions.
    with pg.begin() as c:
        c.execute(text("update document set extractor_version = null"))
    assert pipeline.extract_unread(pg, settings, 0, 2).documents == 5
    assert pipeline.extract_unread(pg, settings, 1, 2).documents == 5
    assert rows(pg, "select key, mentions from signal order by key") == before


def test_reading_a_shard_waits_for_a_document_still_being_stored(pg: Engine) -> None:
    """The job that made a new document's job "already queued" may start before that document
    commits: its read waits for the storing transaction, so the document is in its batch."""
    docs = table_of(Document)
    got: list[list[int]] = []
    with pg.begin() as storing:
        doc_id = storing.execute(docs.insert().values(url="https://news.example/late", kind="article",
                                                      fetched_at=datetime.now(UTC), text="t", content_hash="h",
                                                      meta={}).returning(docs.c.id)).scalar_one()
        shard = store.shard_of_new_document(storing, doc_id, 2)
        reader = threading.Thread(target=lambda: got.append(store.unread_documents(pg, shard, 2, 10)))
        reader.start()
        waiting = "select count(*) from pg_locks where locktype = 'advisory' and not granted"
        deadline = time.monotonic() + 30
        while rows(pg, waiting) != [(1,)] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert rows(pg, waiting) == [(1,)] and not got
    reader.join(30)
    assert got == [[doc_id]]


def test_workers_extract_a_crawl_in_fewer_jobs_than_documents(
        tmp_path: Path, cluster_factory: Callable[[Path], Cluster]) -> None:  # noqa: F811 - the fixture
    with cluster_site(hosts=2, feeds_per_host=3, per_feed=4, delay=0.0) as site:
        cfg = service_config(tmp_path / "radar.toml", tmp_path / "data", site.feeds,
                             FAST + "extract_shards = 2\n")
        c = cluster_factory(cfg)
        c.start("w0")
        c.start("w1")
        c.wait_for(lambda: c.query("select count(*), count(extracted_at) from document") == [(24, 24)]
                   and not c.query("select 1 from procrastinate_jobs where status in ('todo', 'doing') "
                                   "and task_name <> 'tick'"))
        jobs = sum(c.log(n).count("Starting job extract_documents") for n in ("w0", "w1"))
        dup = c.query("select signal_id, document_id from signal_mention group by 1, 2 having count(*) > 1")
        c.stop_all()
    assert 2 <= jobs < 24, jobs
    assert dup == []
