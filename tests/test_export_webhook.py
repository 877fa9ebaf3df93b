"""Webhook delivery to a local receiver that verifies the HMAC signature, fails once, and dedupes by event id."""
import json
import threading
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from sqlalchemy.engine import Engine
from werkzeug import Request, Response

from radar.errors import ConfigError, RadarError
from radar.export.http import ApiClient, RateLimiter
from radar.export.run import ExportOptions, ExportSummary, export
from radar.export.webhook import SIGNATURE_HEADER, sign, verify
from radar.settings import Settings
from tests.test_export_files import add_signal, export_world
from tests.test_queries_filters import TODAY

SECRET = "s3cret-shared"


class Receiver:
    def __init__(self, fail_first: int = 0, status: int = 503):
        self.fail_first, self.status = fail_first, status
        self.deliveries: list[str] = []
        self.events: dict[str, dict[str, Any]] = {}
        self.duplicates = 0
        self.bad_signatures = 0
        self.lock = threading.Lock()

    def handle(self, request: Request) -> Response:
        with self.lock:
            body = request.get_data()
            if not verify(SECRET, body, request.headers.get(SIGNATURE_HEADER, "")):
                self.bad_signatures += 1
                return Response("bad signature", status=401)
            self.deliveries.append(request.headers.get("X-Radar-Delivery", ""))
            if self.fail_first > 0:
                self.fail_first -= 1
                return Response("try later", status=self.status)
            for event in json.loads(body)["events"]:
                if event["id"] in self.events:
                    self.duplicates += 1
                self.events[event["id"]] = event
            return Response("", status=204)


def send(engine: Engine, settings: Settings, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch,
         **kw: Any) -> ExportSummary:
    monkeypatch.setenv("RADAR_WEBHOOK_SECRET", SECRET)
    settings.export.webhook_batch = 2

    def client(url: str, **ckw: Any) -> ApiClient:
        return ApiClient(url, retries=ckw["retries"], backoff=0.01, name="webhook", limiter=RateLimiter(1000, 1.0))

    opts = ExportOptions(target="webhook", url=httpserver.url_for("/hook"), **kw)
    return export(engine, settings, opts, TODAY, client_factory=client)


def test_signed_batches_retried_and_deduplicable(engine: Engine, settings: Settings, httpserver: HTTPServer,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    rx = Receiver(fail_first=1)
    httpserver.expect_request("/hook", method="POST").respond_with_handler(rx.handle)
    ids = export_world(engine)
    summary = send(engine, settings, httpserver, monkeypatch)
    assert summary.sent == 5 and rx.bad_signatures == 0
    assert summary.counts == {"events": 5}  # the CLI says "webhook: sent 5 events"
    # 3 batches of at most 2 events; the first was retried after a 503 under the same delivery id.
    assert len(rx.deliveries) == 4 and rx.deliveries[0] == rx.deliveries[1] and len(set(rx.deliveries)) == 3
    assert len(rx.events) == 5 and rx.duplicates == 0
    event = next(e for e in rx.events.values() if e["data"]["name"] == "Northwind Ledger")
    assert event["type"] == "organization.ranked" and event["data"]["signals"]
    assert event["id"].startswith(event["data"]["id"])
    # A full resend repeats the same event ids: the receiver can drop them.
    send(engine, settings, httpserver, monkeypatch)
    assert rx.duplicates == 5 and len(rx.events) == 5
    # Incremental: only the organization with a new signal, under a new event id.
    add_signal(engine, ids["org:kestrel"], "k2", "Kestrel Mint partners with Harbor Bank.")
    third = send(engine, settings, httpserver, monkeypatch, since_last=True)
    assert third.sent == 1 and len(rx.events) == 6


def test_permanent_refusal_and_missing_secret(engine: Engine, settings: Settings, httpserver: HTTPServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    rx = Receiver(fail_first=10, status=500)
    httpserver.expect_request("/hook", method="POST").respond_with_handler(rx.handle)
    export_world(engine)
    with pytest.raises(RadarError, match=r"webhook refused POST http://.*/hook: HTTP 500"):
        send(engine, settings, httpserver, monkeypatch)
    assert len(rx.deliveries) == settings.export.retries + 1
    monkeypatch.delenv("RADAR_WEBHOOK_SECRET")
    with pytest.raises(ConfigError,
                       match="webhook secret is not set: put it in the environment variable RADAR_WEBHOOK_SECRET"):
        export(engine, settings, ExportOptions(target="webhook", url=httpserver.url_for("/hook")), TODAY)


def test_signature_is_hmac_sha256_of_the_body() -> None:
    body = b'{"events": []}'
    import hashlib
    import hmac

    assert sign(SECRET, body) == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert verify(SECRET, body, sign(SECRET, body)) and not verify("other", body, sign(SECRET, body))


def test_cli_export_errors_are_one_line(tmp_path: Any, config_file: Any, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from radar.cli import main

    monkeypatch.delenv("RADAR_WEBHOOK_SECRET", raising=False)
    base = ["--config", str(config_file), "--db", str(tmp_path / "r.db"), "export"]
    for args, code, needle in ((["--to", "salesforce"], 2, "unknown export target 'salesforce'"),
                               (["--to", "webhook", "--url", "ftp://x"], 2, "must start with http:// or https://"),
                               (["--to", "webhook", "--url", "http://127.0.0.1:9/x"], 2, "RADAR_WEBHOOK_SECRET"),
                               (["--to", "vcard", "--vcard-version", "2"], 2, "--vcard-version 2 is not supported")):
        assert main(base + args) == code
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert main(base + ["--to", "jsonl", "--out", str(tmp_path / "x.jsonl")]) == 0
    assert "jsonl: sent nothing new" in capsys.readouterr().err


@pytest.mark.parametrize("target", [["--to", "webhook"], ["--to", "twenty", "--push"], ["--to", "monica"]])
@pytest.mark.parametrize("url, needle", [("http://[::1", "is not a valid URL"), ("http://", "has no host name")])
def test_cli_export_malformed_url_is_one_line_exit_2(tmp_path: Any, config_file: Any,
                                                    capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch, target: list[str], url: str,
                                                    needle: str) -> None:
    from radar.cli import main

    for env in ("RADAR_WEBHOOK_SECRET", "RADAR_TWENTY_TOKEN", "RADAR_MONICA_TOKEN"):
        monkeypatch.setenv(env, "x")
    base = ["--config", str(config_file), "--db", str(tmp_path / "r.db"), "export"]
    assert main(base + target + ["--url", url]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and needle in err
