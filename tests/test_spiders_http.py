"""radar's fetcher on the web's bad days, against real HTTP servers on 127.0.0.1."""
import gzip
import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from radar.spiders.http import BlockedAddress, Fetcher, FetchError, FetchPolicy, GuardedBackend, is_internal

UA = "radar-test/1.0 (+https://example.org/radar)"


@pytest.fixture
def server(httpserver: HTTPServer) -> HTTPServer:
    httpserver.no_handler_status_code = 404  # robots.txt and unknown paths: 404, as on the web
    return httpserver


def trusted_policy(server: HTTPServer, **kw: object) -> FetchPolicy:
    """Internal addresses refused, except the test server itself."""
    base: dict[str, Any] = dict(user_agent=UA, per_host_delay=0.0, retries=1, read_timeout=2.0, connect_timeout=2.0,
                allow_private=False, trusted=(f"{server.host}:{server.port}",))
    base.update(kw)
    return FetchPolicy(**base)


def fetcher_for(server: HTTPServer, **kw: object) -> Fetcher:
    return Fetcher(trusted_policy(server, **kw))


def test_sends_honest_user_agent_and_conditional_headers(server: HTTPServer) -> None:
    conditional = {"If-None-Match": '"v1"', "User-Agent": UA}
    server.expect_request("/feed", headers=conditional).respond_with_data("", status=304)
    with fetcher_for(server) as f:
        resp = f.get(server.url_for("/feed"), etag='"v1"')
    assert resp.not_modified and resp.status == 304


@pytest.mark.parametrize("status,needle", [(404, "HTTP 404"), (410, "410 Gone")])
def test_client_errors_fail_without_retry(server: HTTPServer, status: int, needle: str) -> None:
    server.expect_request("/gone").respond_with_data("no", status=status)
    with fetcher_for(server, retries=3) as f, pytest.raises(FetchError, match=needle) as err:
        f.get(server.url_for("/gone"))
    assert err.value.status == status and not err.value.retryable
    assert len([r for r, _ in server.log if r.path == "/gone"]) == 1


def test_429_honours_retry_after_then_succeeds(server: HTTPServer) -> None:
    answers = [Response("slow down", status=429, headers={"Retry-After": "1"}), Response("ok")]
    server.expect_request("/busy").respond_with_handler(lambda _: answers.pop(0))
    slept: list[float] = []
    with Fetcher(trusted_policy(server), sleep=slept.append) as f:
        assert f.get(server.url_for("/busy")).body == b"ok"
    assert slept == [1.0] and f.retries == 1


def test_retry_after_beyond_the_limit_gives_up(server: HTTPServer) -> None:
    server.expect_request("/busy").respond_with_data("later", status=503, headers={"Retry-After": "86400"})
    with (Fetcher(trusted_policy(server, retries=3), sleep=lambda s: None) as f,
          pytest.raises(FetchError, match="asks to wait")):
        f.get(server.url_for("/busy"))


def test_500_is_retried_with_backoff_then_fails(server: HTTPServer) -> None:
    server.expect_request("/err").respond_with_data("boom", status=500)
    slept: list[float] = []
    with (Fetcher(trusted_policy(server, retries=2), sleep=slept.append) as f,
          pytest.raises(FetchError, match="HTTP 500")):
        f.get(server.url_for("/err"))
    assert slept == [1.0, 2.0]
    assert len([r for r, _ in server.log if r.path == "/err"]) == 3


def test_slow_response_times_out(server: HTTPServer) -> None:
    done = threading.Event()

    def slow(_: Request) -> Response:
        time.sleep(1.0)
        done.set()
        return Response("late")

    server.expect_request("/slow").respond_with_handler(slow)
    with (Fetcher(trusted_policy(server, read_timeout=0.3, retries=0)) as f,
          pytest.raises(FetchError, match="timed out")):
        f.get(server.url_for("/slow"))
    assert done.wait(5)  # the server finishes before the next test uses it


def test_redirect_loop_and_too_many_redirects(server: HTTPServer) -> None:
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    for i in range(8):
        server.expect_request(f"/r{i}").respond_with_data("", status=301, headers={"Location": f"/r{i + 1}"})
    with fetcher_for(server) as f:
        with pytest.raises(FetchError, match="redirect loop"):
            f.get(server.url_for("/a"))
        with pytest.raises(FetchError, match="more than 5 redirects"):
            f.get(server.url_for("/r0"))
    assert not any(r.path == "/r7" for r, _ in server.log)


@pytest.mark.parametrize("target", ["http://127.0.0.1:1/admin", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::1]:1/", "http://10.0.0.1/", "file:///etc/passwd"])
def test_redirect_to_internal_address_or_other_scheme_is_refused(server: HTTPServer, target: str) -> None:
    server.expect_request("/go").respond_with_data("", status=302, headers={"Location": target})
    with fetcher_for(server) as f, pytest.raises(BlockedAddress, match="refused"):
        f.get(server.url_for("/go"))


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/feed", "http://localhost:9/", "http://169.254.169.254/",
                                 "http://0.0.0.0:9/", "gopher://example.org/", "javascript:alert(1)",
                                 # the metadata address hidden in NAT64, 6to4 and IPv4-mapped IPv6 forms
                                 "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::1]/",
                                 "http://[::ffff:169.254.169.254]/", "http://[2002:7f00:1::1]:9/"])
def test_internal_or_non_http_urls_are_refused_by_default(url: str) -> None:
    with Fetcher(FetchPolicy(per_host_delay=0.0)) as f, pytest.raises(BlockedAddress):
        f.get(url)


def test_public_addresses_in_ipv6_wrappers_stay_public() -> None:
    assert not is_internal(ipaddress.ip_address("64:ff9b::808:808"))  # NAT64 of 8.8.8.8
    assert not is_internal(ipaddress.ip_address("2002:808:808::1"))  # 6to4 of 8.8.8.8


def test_guarded_backend_checks_the_address_at_connect_time() -> None:
    # The connection itself refuses an internal address, whatever was checked earlier.
    with pytest.raises(BlockedAddress):
        GuardedBackend(allow_private=False).connect_tcp("localhost", 9, timeout=1)


def test_oversized_body_is_refused_declared_or_streamed(server: HTTPServer) -> None:
    big = b"x" * 300_000
    server.expect_request("/declared").respond_with_data(big)

    def chunked(_: Request) -> Response:
        return Response((b"y" * 10_000 for _ in range(30)), content_type="text/plain")  # no Content-Length

    server.expect_request("/streamed").respond_with_handler(chunked)
    with fetcher_for(server, max_bytes=100_000) as f:
        with pytest.raises(FetchError, match="over the 100,000-byte limit"):
            f.get(server.url_for("/declared"))
        with pytest.raises(FetchError, match="over the 100,000-byte limit"):
            f.get(server.url_for("/streamed"))


def test_gzip_bomb_stops_at_the_cap_after_decompression(server: HTTPServer) -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)  # 50 MB of zeros in about 50 KB
    assert len(bomb) < 100_000
    server.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"},
                                                     content_type="application/xml")
    with fetcher_for(server, max_bytes=1_000_000) as f, pytest.raises(FetchError, match="after decompression"):
        f.get(server.url_for("/bomb"))


def test_gzip_body_is_decompressed(server: HTTPServer) -> None:
    server.expect_request("/z").respond_with_data(gzip.compress(b"<rss/>"), headers={"Content-Encoding": "gzip"})
    with fetcher_for(server) as f:
        assert f.get(server.url_for("/z")).body == b"<rss/>"


def test_robots_txt_disallow_is_obeyed(server: HTTPServer) -> None:
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    server.expect_request("/private/feed").respond_with_data("secret")
    server.expect_request("/public").respond_with_data("ok")
    with fetcher_for(server) as f:
        with pytest.raises(FetchError, match="robots.txt .* disallows"):
            f.get(server.url_for("/private/feed"))
        assert f.get(server.url_for("/public")).body == b"ok"
    assert not any(r.path == "/private/feed" for r, _ in server.log)
    assert len([r for r, _ in server.log if r.path == "/robots.txt"]) == 1  # cached per host


def test_robots_txt_5xx_means_stay_away(server: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    server.expect_request("/robots.txt").respond_with_data("down", status=503)
    with Fetcher(trusted_policy(server, retries=0)) as f, caplog.at_level(logging.WARNING):
        # The error names the real cause (no answer), not a robots.txt rule that does not exist.
        with pytest.raises(FetchError, match="unreachable: its robots.txt could not be fetched .*503"):
            f.get(server.url_for("/feed"))
    assert "robots.txt of" in caplog.text and "unreachable" in caplog.text


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[float]]]:
    """A server that records when each request arrives and answers 10 ms later."""
    hits: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(time.monotonic())
            time.sleep(0.01)
            self.send_response(404 if self.path == "/robots.txt" else 200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *a: object) -> None:
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}", hits
    srv.shutdown()
    srv.server_close()


def test_one_request_at_a_time_per_host_spaced_by_the_delay(counting_server: tuple[str, list[float]]) -> None:
    base, hits = counting_server
    host = base.removeprefix("http://")
    policy = FetchPolicy(per_host_delay=0.0, allow_private=True, host_delays={"127.0.0.1": 0.1}, obey_robots=False)
    with Fetcher(policy) as f:
        threads = [threading.Thread(target=f.get, args=(f"{base}/p{i}",)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    gaps = [b - a for a, b in pairwise(hits)]
    assert len(hits) == 6 and min(gaps) >= 0.09, (host, gaps)


def test_unresolvable_host_is_a_clear_failure() -> None:
    with (Fetcher(FetchPolicy(per_host_delay=0.0, retries=0)) as f,
          pytest.raises(FetchError, match="cannot resolve host")):
        f.get("http://no-such-host.invalid/feed")


def test_connection_refused_is_retryable(server: HTTPServer) -> None:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    policy = FetchPolicy(per_host_delay=0.0, retries=0, allow_private=True, obey_robots=False)
    with Fetcher(policy) as f, pytest.raises(FetchError) as err:
        f.get(f"http://127.0.0.1:{port}/feed")
    assert err.value.retryable


def test_a_trickling_response_is_cut_at_the_total_deadline(server: HTTPServer) -> None:
    def trickle(_: Request) -> Response:
        def body() -> Iterator[bytes]:
            for _ in range(100):
                time.sleep(0.05)
                yield b"x"  # a byte at a time: each arrives well within the read timeout
        return Response(body(), content_type="text/html")

    server.expect_request("/slow").respond_with_handler(trickle)
    started = time.monotonic()
    with Fetcher(trusted_policy(server, total_timeout=0.5, retries=0)) as f, \
            pytest.raises(FetchError, match=r"longer than 0.5 s in all"):
        f.get(server.url_for("/slow"))
    assert time.monotonic() - started < 3  # not the 5 s the server would have taken


def test_retry_after_values() -> None:
    from radar.retry_after import retry_after_seconds

    now = 1_700_000_000.0
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(" 1.5 ") == 1.5
    assert retry_after_seconds("-3") == 0.0
    assert retry_after_seconds("Tue, 14 Nov 2023 22:14:20 GMT", now=now) == 60.0
    assert retry_after_seconds("Tue, 14 Nov 2023 22:00:00 GMT", now=now) == 0.0  # a past date: now
    for bad in (None, "", "soon", "inf", "nan"):
        assert retry_after_seconds(bad) is None
