"""EDGAR crawls: a latest-filings feed we write, pointing at the real corpus filings served
from a local server; the identity rule and the request rate SEC asks for."""
import json
import logging
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Optional

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar import store
from radar.models import Document
from radar.settings import Settings, SourceEntry, load_settings
from radar.spiders.crawl import crawl
from tests.conftest import corpus_or_skip

IDENTITY = "Jane Doe jane@example.org"


def entry(form: str, company: str, cik: str, accession: str, base: str, items: str = "") -> str:
    folder = f"{base}/Archives/edgar/data/{int(cik)}/{accession.replace('-', '')}"
    return (f"<entry><title>{form} - {company} ({cik}) (Filer)</title>"
            f'<link rel="alternate" type="text/html" href="{folder}/{accession}-index.htm"/>'
            f"<summary type=\"html\"> &lt;b&gt;Filed:&lt;/b&gt; 2025-12-12 &lt;b&gt;AccNo:&lt;/b&gt; {accession} "
            f"{items}</summary>"
            f"<updated>2025-12-12T07:54:00-05:00</updated>"
            f'<category scheme="https://www.sec.gov/" label="form type" term="{form}"/>'
            f"<id>urn:tag:sec.gov,2008:accession-number={accession}</id></entry>")


def feed(entries: list[str]) -> str:
    return ('<?xml version="1.0" encoding="ISO-8859-1" ?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Latest Filings</title><id>https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent</id>"
            "<updated>2025-12-12T18:03:40-05:00</updated>" + "".join(entries) + "</feed>")


def serve_corpus_filings(server: HTTPServer, corpus: Path) -> dict[str, dict[str, Any]]:
    """Serve every corpus 8-K submission and Form D; returns expectations by accession."""
    server.no_handler_status_code = 404
    base = f"http://{server.host}:{server.port}"
    expected: dict[str, dict[str, Any]] = {}
    entries = []
    # An older filing of another form, which radar must ignore.
    entries.append(entry("10-Q", "IGNORED CORP", "0000000001", "0000000001-25-000001", base))
    for line in (corpus / "events/edgar_8k_items.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        if "full_submissions" not in rec["source"]:
            continue
        acc, cik = rec["accession"], rec["id"]
        raw = (corpus / rec["source"]).read_bytes()
        cik = _cik_of(raw)
        path = f"/Archives/edgar/data/{int(cik)}/{acc.replace('-', '')}/{acc}.txt"
        server.expect_request(path).respond_with_data(raw, content_type="text/plain")
        entries.append(entry("8-K", rec["org"], cik.zfill(10), acc, base))
        expected[acc] = {"form": "8-K", "items": rec["items"], "company": rec["org"]}
    for i, line in enumerate((corpus / "events/edgar_formd_offerings.jsonl").read_text(encoding="utf-8").splitlines()):
        rec = json.loads(line)
        acc = f"9{i:09d}-24-{i:06d}"
        path = f"/Archives/edgar/data/{int(rec['cik'])}/{acc.replace('-', '')}/primary_doc.xml"
        server.expect_request(path).respond_with_data((corpus / rec["source"]).read_bytes(),
                                                      content_type="application/xml")
        entries.append(entry(rec["submission_type"], rec["org"], rec["cik"], acc, base))
        expected[acc] = {"form": "D", "record": rec}
    server.expect_request("/cgi-bin/browse-edgar").respond_with_data(feed(entries), content_type="application/atom+xml")
    return expected


def _cik_of(raw: bytes) -> str:
    from radar.spiders.edgar_parse import parse_header

    cik = parse_header(raw).cik
    assert cik
    return cik


def edgar_settings(config_file: Path, **edgar: Any) -> Settings:
    overrides = {"edgar.user_agent": IDENTITY, "edgar.max_requests_per_second": 10.0}
    overrides.update({f"edgar.{k}": v for k, v in edgar.items()})
    return load_settings(config_file, overrides)


def add_edgar(engine: Engine, server: HTTPServer) -> None:
    url = server.url_for("/cgi-bin/browse-edgar") + "?action=getcurrent&type=8-K&count=100&output=atom"
    store.sync_sources(engine, [SourceEntry(name="edgar", url=url, kind="edgar")])


def documents(engine: Engine) -> dict[Optional[str], Document]:
    with Session(engine) as s:
        return {d.meta.get("accession"): d for d in s.exec(select(Document))}


def test_every_corpus_filing_is_stored_with_its_items_or_form_d_facts(engine: Engine, httpserver: HTTPServer,
                                                                      config_file: Path) -> None:
    corpus = corpus_or_skip()
    expected = serve_corpus_filings(httpserver, corpus)
    add_edgar(engine, httpserver)
    settings = edgar_settings(config_file)
    summary = crawl(engine, settings, store.list_sources(engine), force=True)
    assert summary.failed == 0 and summary.new_documents == len(expected)
    docs = documents(engine)
    assert set(docs) == set(expected)
    for acc, want in expected.items():
        doc = docs[acc]
        if want["form"] == "8-K":
            assert doc.kind == "8-K" and doc.meta["form"] == "8-K"
            assert doc.meta["items"] == want["items"], acc
            assert doc.meta["company"] == want["company"]
            assert doc.meta["cik"].isdigit() and not doc.meta["cik"].startswith("0")
            assert doc.meta["filed"] and len(doc.meta["filed"]) == 10 and doc.published_at is not None
            assert len(doc.text) > 1000 and "<" not in doc.text[:200]
        else:
            rec = want["record"]
            facts = doc.meta["formd"]
            assert doc.kind == "form-D" and doc.meta["form"] == "D" and doc.meta["cik"] == rec["cik"].lstrip("0")
            assert facts["issuer"] == rec["org"] and facts["industry_group"] == rec["industry_group"]
            assert facts["amount_sold"] == float(rec["total_amount_sold"])
            assert ([p["relationships"] for p in facts["related_persons"]]
                    == [p["relationships"] for p in rec["related_persons"]])
            assert rec["org"] in doc.text and "exempt offering" in doc.text
    nvidia = next(d for d in docs.values() if d.meta.get("company") == "NVIDIA CORP")
    assert nvidia.meta["sic"] == 3674 and nvidia.meta["cik"] == "1045810" and nvidia.meta["items"] == ["5.02", "9.01"]
    # Every request named the requester, and none was spent on the ignored 10-Q.
    assert all(r.headers.get("User-Agent") == IDENTITY for r, _ in httpserver.log if r.path != "/robots.txt")
    assert not any("0000000001" in r.path for r, _ in httpserver.log)
    # A second poll finds nothing new and fetches no filing again.
    before = len(httpserver.log)
    again = crawl(engine, settings, store.list_sources(engine), force=True)
    assert again.new_documents == 0
    assert [r.path for r, _ in httpserver.log[before:] if r.path != "/robots.txt"] == ["/cgi-bin/browse-edgar"]


def test_edgar_requests_stay_under_the_configured_rate(sqlite_engine: Engine, httpserver: HTTPServer,
                                                       config_file: Path) -> None:
    corpus = corpus_or_skip()
    serve_corpus_filings(httpserver, corpus)
    add_edgar(sqlite_engine, httpserver)
    crawl(sqlite_engine, edgar_settings(config_file, max_requests_per_second=8.0),
          store.list_sources(sqlite_engine), force=True)
    stamps = sorted(_arrival(r) for r, _ in httpserver.log)
    assert len(stamps) > 10
    rate = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    assert rate <= 8.0, rate


def _arrival(request: Any) -> float:
    return float(request.environ["radar.arrival"])


@pytest.fixture(autouse=True)
def stamp_arrivals(httpserver: HTTPServer) -> None:
    """Record when each request reached the server (werkzeug's log keeps no time)."""
    original = httpserver.dispatch

    def dispatch(request: Any) -> Any:
        request.environ["radar.arrival"] = time.monotonic()
        return original(request)

    httpserver.dispatch = dispatch  # type: ignore[method-assign]  # stamps each request on arrival


@pytest.mark.parametrize("agent", ["", "radar/0.1", "jane@example.org", "Jane Doe"])
def test_edgar_is_refused_without_a_name_and_email(agent: str, sqlite_engine: Engine, httpserver: HTTPServer,
                                                   config_file: Path, caplog: pytest.LogCaptureFixture) -> None:
    httpserver.expect_request("/cgi-bin/browse-edgar").respond_with_data(feed([]))
    add_edgar(sqlite_engine, httpserver)
    with caplog.at_level(logging.WARNING, logger="radar"):
        summary = crawl(sqlite_engine, load_settings(config_file, {"edgar.user_agent": agent}),
                        store.list_sources(sqlite_engine), force=True)
    (result,) = summary.results
    assert result.status == "skipped" and "[edgar] user_agent" in (result.error or "")
    assert "[edgar] user_agent" in caplog.text
    assert not httpserver.log


def test_cli_crawl_of_edgar_only_without_identity_is_a_one_line_error(tmp_path: Path) -> None:
    cfg = tmp_path / "radar.toml"
    cfg.write_text('[[sources]]\nname = "edgar-8k"\nkind = "edgar"\n'
                   'url = "https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent&type=8-K&output=atom"\n',
                   encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "radar", "--config", str(cfg), "--db", str(tmp_path / "r.db"), "crawl",
                        "--source", "edgar-8k"],
                       capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.strip().count("\n") == 0
    assert "[edgar] user_agent" in r.stderr and "Traceback" not in r.stderr


def test_a_burst_between_polls_is_caught_up_by_paging(sqlite_engine: Engine, httpserver: HTTPServer,
                                                      config_file: Path) -> None:
    corpus = corpus_or_skip()
    httpserver.no_handler_status_code = 404
    base = f"http://{httpserver.host}:{httpserver.port}"
    filings = []
    for path in sorted((corpus / "edgar/8-K/full_submissions").glob("*.txt"))[:4]:
        raw = path.read_bytes()
        acc, cik = path.stem, _cik_of(raw)
        httpserver.expect_request(f"/Archives/edgar/data/{cik}/{acc.replace('-', '')}/{acc}.txt").respond_with_data(raw)
        filings.append(entry("8-K", f"Filer {cik}", cik.zfill(10), acc, base))
    x, y1, y2, y3 = filings
    pages = {"0": [x]}

    def getcurrent(req: Any) -> Any:
        from werkzeug import Response

        return Response(feed(pages.get(req.args.get("start", "0"), [])), content_type="application/atom+xml")

    httpserver.expect_request("/cgi-bin/browse-edgar").respond_with_handler(getcurrent)
    url = httpserver.url_for("/cgi-bin/browse-edgar") + "?action=getcurrent&type=8-K&start=0&count=2&output=atom"
    store.sync_sources(sqlite_engine, [SourceEntry(name="edgar", url=url, kind="edgar")])
    settings = edgar_settings(config_file)
    assert crawl(sqlite_engine, settings, store.list_sources(sqlite_engine), force=True).new_documents == 1
    pages.update({"0": [y1, y2], "2": [y3, x], "4": [y3]})  # three new filings, x has scrolled to page 2
    assert crawl(sqlite_engine, settings, store.list_sources(sqlite_engine), force=True).new_documents == 3
    assert len(documents(sqlite_engine)) == 4
    assert not any(r.args.get("start") == "4" for r, _ in httpserver.log)  # stopped at the known filing


def corpus_8ks(server: HTTPServer, n: int) -> list[tuple[str, str, bytes]]:
    """(entry, path, raw) of n corpus 8-K submissions, at their EDGAR paths on this server."""
    base = f"http://{server.host}:{server.port}"
    out = []
    for path in sorted((corpus_or_skip() / "edgar/8-K/full_submissions").glob("*.txt"))[:n]:
        raw = path.read_bytes()
        acc, cik = path.stem, _cik_of(raw)
        out.append((entry("8-K", f"Filer {cik}", cik.zfill(10), acc, base),
                    f"/Archives/edgar/data/{cik}/{acc.replace('-', '')}/{acc}.txt", raw))
    return out


def serve_feed_with_etag(server: HTTPServer, entries: list[str]) -> None:
    def getcurrent(req: Any) -> Any:
        from werkzeug import Response

        if req.headers.get("If-None-Match") == '"F1"':
            return Response(status=304)
        return Response(feed(entries), content_type="application/atom+xml", headers={"ETag": '"F1"'})

    server.expect_request("/cgi-bin/browse-edgar").respond_with_handler(getcurrent)


def test_a_filing_that_answers_404_stays_due_and_the_feed_is_read_again(sqlite_engine: Engine,
                                                                        httpserver: HTTPServer,
                                                                        config_file: Path) -> None:
    from werkzeug import Response

    httpserver.no_handler_status_code = 404
    (late, late_path, late_raw), (ok, ok_path, ok_raw) = corpus_8ks(httpserver, 2)
    published = {"late": False}
    httpserver.expect_request(late_path).respond_with_handler(
        lambda _: Response(late_raw) if published["late"] else Response("not yet", status=404))
    httpserver.expect_request(ok_path).respond_with_data(ok_raw)
    serve_feed_with_etag(httpserver, [late, ok])
    add_edgar(sqlite_engine, httpserver)
    settings = edgar_settings(config_file)

    first = crawl(sqlite_engine, settings, store.list_sources(sqlite_engine), force=True).results[0]
    assert first.status == "failed" and first.new_documents == 1
    assert "1 filing not fetched" in (first.error or "") and "HTTP 404" in (first.error or "")
    src = store.list_sources(sqlite_engine)[0]
    # Not healthy, backing off, and the feed's validators not kept (a 304 would hide the filing).
    assert src.consecutive_failures == 1 and src.etag is None
    assert src.next_fetch_at is not None and src.last_fetched_at is not None
    assert src.next_fetch_at - src.last_fetched_at > timedelta(minutes=src.interval_minutes)

    published["late"] = True
    second = crawl(sqlite_engine, settings, store.list_sources(sqlite_engine), force=True).results[0]
    assert second.status == "ok" and second.new_documents == 1
    assert len(documents(sqlite_engine)) == 2
    src = store.list_sources(sqlite_engine)[0]
    assert src.consecutive_failures == 0 and src.etag == '"F1"'
    third = crawl(sqlite_engine, settings, store.list_sources(sqlite_engine), force=True).results[0]
    assert third.status == "not_modified"


def test_a_403_from_the_sec_is_throttling_the_poll_stops_and_the_filings_stay_due(sqlite_engine: Engine,
                                                                                 httpserver: HTTPServer,
                                                                                 config_file: Path) -> None:
    httpserver.no_handler_status_code = 404
    filings = corpus_8ks(httpserver, 3)
    throttle = {"on": True}

    def answer(raw: bytes) -> Any:
        from werkzeug import Response

        return lambda _: (Response("Request Rate Threshold Exceeded", status=403) if throttle["on"]
                          else Response(raw))

    for _, path, raw in filings:
        httpserver.expect_request(path).respond_with_handler(answer(raw))
    serve_feed_with_etag(httpserver, [e for e, _, _ in filings])
    add_edgar(sqlite_engine, httpserver)
    settings = edgar_settings(config_file)

    first = crawl(sqlite_engine, settings, store.list_sources(sqlite_engine), force=True).results[0]
    assert first.status == "failed" and first.http_status == 403 and "throttles" in (first.error or "")
    # One refused filing and no more requests to the SEC in that poll.
    assert [r.path for r, _ in httpserver.log if r.path.startswith("/Archives")] == [filings[0][1]]
    src = store.list_sources(sqlite_engine)[0]
    assert src.consecutive_failures == 1 and src.etag is None and "403" in (src.last_error or "")

    throttle["on"] = False
    second = crawl(sqlite_engine, settings, store.list_sources(sqlite_engine), force=True).results[0]
    assert second.status == "ok" and second.new_documents == 3


def test_sources_check_takes_an_edgar_feed_off_sec_gov_for_edgar(sqlite_engine: Engine, httpserver: HTTPServer,
                                                                  config_file: Path) -> None:
    from radar.sources import check_sources

    httpserver.no_handler_status_code = 404
    base = f"http://{httpserver.host}:{httpserver.port}"
    httpserver.expect_request("/cgi-bin/browse-edgar").respond_with_data(
        feed([entry("8-K", "ACME CORP", "0000000042", "0000000042-25-000001", base)]),
        content_type="application/atom+xml")
    url = httpserver.url_for("/cgi-bin/browse-edgar") + "?action=getcurrent&type=8-K&count=100&output=atom"
    store.sync_sources(sqlite_engine, [SourceEntry(name="edgar", url=url, kind="edgar")], origin="cli")
    (row,) = check_sources(sqlite_engine, edgar_settings(config_file), ["edgar"])
    assert row["ok"] and "looks like" not in (row["note"] or ""), row
