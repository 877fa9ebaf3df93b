"""Twenty push against a local server that checks each request against Twenty's documented REST API.

The server keeps records like Twenty does: batch create at /rest/batch/<object>, at most
60 records a call, ?upsert=true matching on id, company domain and person email, a
Bearer token, and 429 answers with Retry-After when the client goes over its budget.
"""
import json
import re
import threading
import time
import uuid
from typing import Any, Optional

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from werkzeug import Request, Response

from radar.errors import ConfigError, RadarError
from radar.export.http import ApiClient, RateLimiter
from radar.export.records import ExportSet, OrgRecord, SignalRecord, stable_id
from radar.export.run import ExportOptions, ExportSummary, export
from radar.settings import Settings
from tests.test_export_files import export_world
from tests.test_queries_filters import TODAY

TOKEN = "tw-secret-token"
UNIQUE = {"companies": lambda r: (r.get("domainName") or {}).get("primaryLinkUrl"),
          "people": lambda r: (r.get("emails") or {}).get("primaryEmail")}


class FakeTwenty:
    def __init__(self, max_per_window: int, window: float, throttle_first: bool = False):
        self.records: dict[str, dict[str, dict[str, Any]]] = {"companies": {}, "people": {}, "notes": {},
                                                              "noteTargets": {}}
        self.times: list[float] = []
        self.errors: list[str] = []
        self.max_per_window, self.window, self.throttle_first = max_per_window, window, throttle_first
        self.throttled = 0
        self.lock = threading.Lock()

    def fail(self, why: str) -> Response:
        self.errors.append(why)
        return Response(json.dumps({"error": why}), status=400, content_type="application/json")

    def handle(self, request: Request) -> Response:
        with self.lock:
            now = time.monotonic()
            if self.throttle_first and self.throttled == 0:
                self.throttled += 1
                return Response("{}", status=429, headers={"Retry-After": "1"}, content_type="application/json")
            self.times.append(now)
            if request.headers.get("Authorization") != f"Bearer {TOKEN}":
                return Response("{}", status=401)
            m = re.fullmatch(r"/rest/batch/(companies|people|notes|noteTargets)", request.path)
            if not m or request.method != "POST":
                return self.fail(f"unknown route {request.method} {request.path}")
            if request.args.get("upsert") != "true":
                return self.fail("radar must upsert")
            body = json.loads(request.get_data())
            if not isinstance(body, list) or not body:
                return self.fail("Body must be an array")
            if len(body) > 60:
                return self.fail(f"batch of {len(body)} records is over Twenty's 60")
            obj = m.group(1)
            out = [self.upsert(obj, r) for r in body]
            if any(o is None for o in out):
                return Response(json.dumps({"error": self.errors[-1]}), status=400)
            return Response(json.dumps({"data": {f"create{obj[0].upper()}{obj[1:]}": out}}), status=201,
                            content_type="application/json")

    def upsert(self, obj: str, rec: dict[str, Any]) -> Optional[dict[str, Any]]:
        if not self.valid(obj, rec):
            return None
        table = self.records[obj]
        match = rec.get("id") if rec.get("id") in table else None
        if match is None and obj in UNIQUE and UNIQUE[obj](rec):
            match = next((i for i, r in table.items() if UNIQUE[obj](r) == UNIQUE[obj](rec)), None)
        rid = match or rec.get("id") or str(uuid.uuid4())
        table[rid] = {**table.get(rid, {}), **rec, "id": rid}
        return table[rid]

    def valid(self, obj: str, rec: dict[str, Any]) -> bool:
        allowed = {"companies": {"id", "name", "domainName"},
                   "people": {"id", "name", "emails", "jobTitle", "companyId"}, "notes": {"id", "title", "bodyV2"},
                   "noteTargets": {"id", "noteId", "companyId"}}[obj]
        if set(rec) - allowed:
            self.errors.append(f"{obj}: unknown fields {set(rec) - allowed}")
            return False
        if (obj == "companies" and "domainName" in rec
                and not str(rec["domainName"].get("primaryLinkUrl", "")).startswith("https://")):
            self.errors.append("domainName.primaryLinkUrl must be a URL")
            return False
        if obj == "people" and (set(rec["name"]) != {"firstName", "lastName"}
                                or rec.get("companyId") not in self.records["companies"]):
            self.errors.append("people need name.firstName/lastName and an existing companyId")
            return False
        if obj == "notes" and "markdown" not in rec.get("bodyV2", {}):
            self.errors.append("notes carry bodyV2.markdown")
            return False
        if obj == "noteTargets" and (rec["noteId"] not in self.records["notes"]
                                     or rec["companyId"] not in self.records["companies"]):
            self.errors.append("noteTarget must link an existing note and company")
            return False
        return True

    def max_in_window(self) -> int:
        return max((sum(1 for u in self.times if t <= u < t + self.window) for t in self.times), default=0)


@pytest.fixture
def twenty(httpserver: HTTPServer) -> FakeTwenty:
    fake = FakeTwenty(max_per_window=4, window=1.0)
    httpserver.expect_request(re.compile(r"/rest/.*")).respond_with_handler(fake.handle)
    return fake


def push(engine: Engine, settings: Settings, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch,
         data: Optional[ExportSet] = None, since_last: bool = False,
         limiter: Optional[RateLimiter] = None) -> ExportSummary:
    monkeypatch.setenv("RADAR_TWENTY_TOKEN", TOKEN)

    def client(url: str, **kw: Any) -> ApiClient:
        # The test shrinks Twenty's 100-a-minute budget to 4 a second and its backoff to a blink.
        return ApiClient(url, token=kw["token"], retries=3, backoff=0.05, name="Twenty",
                         limiter=limiter or RateLimiter(4, 1.0))

    opts = ExportOptions(target="twenty", push=True, url=httpserver.url_for("/").rstrip("/"), since_last=since_last)
    return export(engine, settings, opts, TODAY, data=data, client_factory=client)


def test_push_creates_linked_records_and_a_repush_updates_them(engine: Engine, settings: Settings,
                                                               httpserver: HTTPServer, twenty: FakeTwenty,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    export_world(engine)
    first = push(engine, settings, httpserver, monkeypatch)
    assert twenty.errors == []
    assert first.counts == {"companies": 5, "people": 3, "notes": 8, "noteTargets": 8}
    companies = twenty.records["companies"]
    north = next(c for c in companies.values() if c["name"] == "Northwind Ledger")
    assert north["domainName"]["primaryLinkUrl"] == "https://northwind.example"
    ann = next(p for p in twenty.records["people"].values()
               if p.get("emails", {}).get("primaryEmail") == "ann@northwind.example")
    assert ann["companyId"] == north["id"] and ann["jobTitle"] == "Head of Data"
    linked = {t["noteId"] for t in twenty.records["noteTargets"].values() if t["companyId"] == north["id"]}
    assert {twenty.records["notes"][n]["title"].split(":")[0] for n in linked} == {"Northwind Ledger"}
    counts = {k: len(v) for k, v in twenty.records.items()}
    # Twice more: a full re-push and an incremental one; nothing is duplicated.
    push(engine, settings, httpserver, monkeypatch)
    again = push(engine, settings, httpserver, monkeypatch, since_last=True)
    assert again.sent == 0
    assert {k: len(v) for k, v in twenty.records.items()} == counts and twenty.errors == []


def test_batches_of_60_within_the_request_budget(engine: Engine, settings: Settings, httpserver: HTTPServer,
                                                 twenty: FakeTwenty, monkeypatch: pytest.MonkeyPatch) -> None:
    orgs = [OrgRecord(stable_id("org", f"c{i}"), i, f"Company {i}", f"c{i}.example", [], None, i, 1.0, {}, "",
                      signals=[SignalRecord(stable_id("signal", f"s{i}"), i, stable_id("org", f"c{i}"), "funding",
                                            None, TODAY, 0.9, "raised money", None, None, 1)])
            for i in range(130)]
    summary = push(engine, settings, httpserver, monkeypatch, data=ExportSet(orgs, []))
    assert twenty.errors == [] and summary.counts["companies"] == 130 and len(twenty.records["companies"]) == 130
    # 3 batches each of companies, notes and noteTargets: 9 requests at 4 a second.
    assert len(twenty.times) == 9
    assert twenty.max_in_window() <= 4
    assert twenty.times[-1] - twenty.times[0] >= 2.0


def test_429_is_retried_after_retry_after(engine: Engine, settings: Settings, httpserver: HTTPServer,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeTwenty(max_per_window=100, window=60.0, throttle_first=True)
    httpserver.expect_request(re.compile(r"/rest/.*")).respond_with_handler(fake.handle)
    export_world(engine)
    start = time.monotonic()
    summary = push(engine, settings, httpserver, monkeypatch, limiter=RateLimiter(100, 60.0))
    assert fake.throttled == 1 and fake.errors == [] and summary.counts["companies"] == 5
    assert fake.times[0] - start >= 0.95  # waited the second the server asked for


def test_refusals_are_one_line_errors_and_nothing_is_marked(engine: Engine, settings: Settings, httpserver: HTTPServer,
                                                            twenty: FakeTwenty,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    export_world(engine)
    monkeypatch.setenv("RADAR_TWENTY_TOKEN", "wrong")
    opts = ExportOptions(target="twenty", push=True, url=httpserver.url_for("/").rstrip("/"))
    with pytest.raises(RadarError, match=r"Twenty refused POST /rest/batch/companies: HTTP 401.*check the API token"):
        export(engine, settings, opts, TODAY)
    monkeypatch.delenv("RADAR_TWENTY_TOKEN")
    with pytest.raises(ConfigError, match="RADAR_TWENTY_TOKEN"):
        export(engine, settings, opts, TODAY)
    with pytest.raises(ConfigError, match=r"no Twenty URL: set \[export\] twenty_url"):
        export(engine, settings, ExportOptions(target="twenty", push=True), TODAY)
    monkeypatch.setenv("RADAR_TWENTY_TOKEN", TOKEN)
    assert push(engine, settings, httpserver, monkeypatch, since_last=True).counts["companies"] == 5


def test_rate_limiter_never_exceeds_its_window() -> None:
    now = [0.0]
    sleeps: list[float] = []

    def sleep(s: float) -> None:
        sleeps.append(s)
        now[0] += s

    lim = RateLimiter(100, 60.0, clock=lambda: now[0], sleep=sleep)
    stamps = []
    for _ in range(250):
        lim.wait()
        stamps.append(now[0])
        now[0] += 0.01
    assert max(sum(1 for u in stamps if t <= u < t + 60.0) for t in stamps) == 100
    assert stamps[-1] >= 120.0
