"""Monica push against a local server applying Monica's API validation rules (companies, contacts,
occupations, notes)."""
import json
import re
import threading
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from werkzeug import Request, Response

from radar.export.http import ApiClient, RateLimiter
from radar.export.run import ExportOptions, ExportSummary, export
from radar.settings import Settings
from tests.test_export_files import export_world
from tests.test_queries_filters import TODAY

TOKEN = "monica-token"
# Monica's validation rules (CreateCompany, CreateContact, CreateOccupation, ApiNoteController).
REQUIRED = {"companies": {"name"},
            "contacts": {"first_name", "is_birthdate_known", "is_deceased", "is_deceased_date_known"},
            "occupations": {"contact_id", "company_id", "title"}, "notes": {"body", "contact_id"}}


class FakeMonica:
    def __init__(self) -> None:
        self.tables: dict[str, dict[int, dict[str, Any]]] = {k: {} for k in REQUIRED}
        self.next_id = 1
        self.errors: list[str] = []
        self.calls: list[str] = []
        self.lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        with self.lock:
            self.calls.append(f"{request.method} {request.path}")
            if request.headers.get("Authorization") != f"Bearer {TOKEN}":
                return Response('{"error": {"message": "Unauthenticated"}}', status=401)
            m = re.fullmatch(r"/api/(companies|contacts|occupations|notes)(?:/(\d+))?", request.path)
            if not m:
                return Response("{}", status=404)
            kind, rid = m.group(1), m.group(2)
            body = json.loads(request.get_data() or b"{}")
            problem = self.invalid(kind, body)
            if problem:
                self.errors.append(problem)
                return Response(json.dumps({"error": {"message": [problem], "error_code": 32}}), status=400)
            if request.method == "POST" and rid is None:
                rid_int = self.next_id
                self.next_id += 1
            elif request.method == "PUT" and rid is not None and int(rid) in self.tables[kind]:
                rid_int = int(rid)
            elif request.method == "PUT":
                return Response('{"error": {"message": "The resource has not been found", "error_code": 31}}',
                                status=404)
            else:
                return Response("{}", status=405)
            self.tables[kind][rid_int] = {**body, "id": rid_int}
            return Response(json.dumps({"data": {**body, "id": rid_int, "object": kind[:-1]}}),
                            status=201 if request.method == "POST" else 200, content_type="application/json")

    def invalid(self, kind: str, body: dict[str, Any]) -> str:
        missing = REQUIRED[kind] - {k for k, v in body.items() if v is not None}
        if missing:
            return f"{kind}: missing {sorted(missing)}"
        if kind in ("occupations", "notes") and body["contact_id"] not in self.tables["contacts"]:
            return f"{kind}: unknown contact {body['contact_id']}"
        if kind == "occupations" and body["company_id"] not in self.tables["companies"]:
            return "occupations: unknown company"
        if kind == "occupations" and len(body["title"]) > 255:
            return "occupations: title over 255"
        return ""


def push(engine: Engine, settings: Settings, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch,
         since_last: bool = False) -> ExportSummary:
    monkeypatch.setenv("RADAR_MONICA_TOKEN", TOKEN)
    settings.export.monica_url = httpserver.url_for("/").rstrip("/")

    def client(url: str, **kw: Any) -> ApiClient:
        return ApiClient(url, token=kw["token"], retries=2, backoff=0.01, name="Monica", limiter=RateLimiter(1000, 1.0))

    return export(engine, settings, ExportOptions(target="monica", since_last=since_last), TODAY, client_factory=client)


@pytest.fixture
def monica(httpserver: HTTPServer) -> FakeMonica:
    fake = FakeMonica()
    httpserver.expect_request(re.compile(r"/api/.*")).respond_with_handler(fake.handle)
    return fake


def test_people_with_companies_occupations_and_notes(engine: Engine, settings: Settings, httpserver: HTTPServer,
                                                     monica: FakeMonica, monkeypatch: pytest.MonkeyPatch) -> None:
    export_world(engine)
    summary = push(engine, settings, httpserver, monkeypatch)
    assert monica.errors == []
    # Only organizations with someone there: Northwind (Ann), Quillfeather (a contact), Kestrel (Dana).
    assert sorted(c["name"] for c in monica.tables["companies"].values()) == ["Kestrel Mint", "Northwind Ledger",
                                                                              "Quillfeather AI"]
    dana = next(c for c in monica.tables["contacts"].values() if c["first_name"] == "Dana")
    job = next(o for o in monica.tables["occupations"].values() if o["contact_id"] == dana["id"])
    assert job["title"] == "VP of Engineering"
    assert monica.tables["companies"][job["company_id"]]["name"] == "Kestrel Mint"
    notes = [n["body"] for n in monica.tables["notes"].values() if n["contact_id"] == dana["id"]]
    assert len(notes) == 1 and "appointed Dana Reyes" in notes[0] and "Source: https://news.example/4" in notes[0]
    assert summary.counts == {"companies": 3, "contacts": 3, "occupations": 3, "notes": 5}


def test_repush_updates_in_place_and_recreates_what_was_deleted(engine: Engine, settings: Settings,
                                                                httpserver: HTTPServer, monica: FakeMonica,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    export_world(engine)
    push(engine, settings, httpserver, monkeypatch)
    sizes = {k: len(v) for k, v in monica.tables.items()}
    assert push(engine, settings, httpserver, monkeypatch, since_last=True).sent == 0
    monica.calls.clear()
    push(engine, settings, httpserver, monkeypatch)
    assert all(c.startswith("PUT ") for c in monica.calls) and {k: len(v) for k, v in monica.tables.items()} == sizes
    deleted = next(iter(monica.tables["notes"]))
    del monica.tables["notes"][deleted]
    push(engine, settings, httpserver, monkeypatch)
    assert len(monica.tables["notes"]) == sizes["notes"] and monica.errors == []
