"""DNS rebinding: a host whose DNS answer flips between a public and an internal address
reaches the internal address neither on the feed path nor on the newsroom (Scrapy) path:
each connection goes to the very address the SSRF guard checked.

The system resolver cannot be pointed at a test DNS server without changing the machine, so
the crawl's processes (`radar crawl` and its Scrapy child) start with a sitecustomize that
answers for the reserved name rebind.test the way a rebinding attacker's DNS server does
(a public address first, then with a zero TTL an internal one), and routes the public
address to a second local server, as the internet would. Everything else is real: both
processes, Scrapy, httpx, the servers.
"""
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.service_site import reply

RADAR = [sys.executable, "-m", "radar"]
PUBLIC = "1.2.3.4"  # what the attacker's DNS says first; never contacted: routed to the "public" server

SITECUSTOMIZE = '''
import os, socket, threading

_NAME, _PUBLIC, _INTERNAL = "rebind.test", "{public}", "127.0.0.1"
_ROUTE = ("127.0.0.1", int(os.environ["REBIND_PUBLIC_PORT"]))
_lock, _asked = threading.Lock(), [0]
_getaddrinfo, _gethostbyname = socket.getaddrinfo, socket.gethostbyname


def _answer():
    with _lock:
        _asked[0] += 1
        return _PUBLIC if _asked[0] == 1 else _INTERNAL


def getaddrinfo(host, port, *args, **kwargs):
    if isinstance(host, bytes):
        host = host.decode()
    if isinstance(host, str) and host.lower() == _NAME:
        host = _answer()
    return _getaddrinfo(host, port, *args, **kwargs)


def gethostbyname(host):
    return _answer() if host.lower() == _NAME else _gethostbyname(host)


def _routed(address):
    return _ROUTE if isinstance(address, tuple) and address[0] == _PUBLIC else address


_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex
socket.socket.connect = lambda self, address: _connect(self, _routed(address))
socket.socket.connect_ex = lambda self, address: _connect_ex(self, _routed(address))
socket.getaddrinfo, socket.gethostbyname = getaddrinfo, gethostbyname
'''.replace("{public}", PUBLIC)

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Acme</title><link>http://rebind.test/</link>
<item><title>Acme hires</title><link>http://rebind.test:{port}/news/1.html</link>
<description>Acme Robotics plans to hire forty engineers.</description></item></channel></rss>"""
LISTING = '<html><body><ul><li><a href="/news/1.html">One</a></li></ul></body></html>'
ARTICLE = ("<html><head><title>Acme hires</title></head><body><article><h1>Acme hires</h1><p>"
           + "Acme Robotics said on Tuesday it plans to hire forty engineers next year. " * 8
           + "</p></article></body></html>")


class Site:
    """A local HTTP server that records the paths it served."""

    def __init__(self, port: int = 0) -> None:
        self.paths: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                site.paths.append(self.path)
                if self.path == "/feed.xml":
                    body, ctype = FEED.replace("{port}", str(site.url_port)), "application/rss+xml"
                elif self.path == "/newsroom/":
                    body, ctype = LISTING, "text/html"
                elif self.path.startswith("/news/"):
                    body, ctype = ARTICLE, "text/html"
                else:
                    self.send_error(404)
                    return
                reply(self, body, ctype)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        self.url_port = self.port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def sites() -> Iterator[tuple[Site, Site]]:
    internal, public = Site(), Site()
    public.url_port = internal.port  # the URL names the internal server's port; the route maps it to public
    yield internal, public
    internal.close()
    public.close()


@pytest.mark.parametrize(("kind", "path"), [("rss", "/feed.xml"), ("newsroom", "/newsroom/")])
def test_a_rebinding_host_never_reaches_the_internal_address(tmp_path: Path, sites: tuple[Site, Site],
                                                             kind: str, path: str) -> None:
    internal, public = sites
    (tmp_path / "dns").mkdir()
    (tmp_path / "dns" / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    config = tmp_path / "radar.toml"
    config.write_text(f'[general]\ndata_dir = "{tmp_path / "data"}"\n'
                      '[crawl]\nallow_private_addresses = false\nper_host_delay = 0.0\nretries = 0\n'
                      'connect_timeout = 3.0\n'
                      f'[[sources]]\nname = "acme"\nkind = "{kind}"\nurl = "http://rebind.test:{internal.port}{path}"\n',
                      encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "dns"), "REBIND_PUBLIC_PORT": str(public.port)}
    r = subprocess.run(RADAR + ["--config", str(config), "-v", "crawl", "--force"], capture_output=True, text=True,
                       cwd=tmp_path, env=env, timeout=180)
    assert internal.paths == [], r.stderr
    if kind == "newsroom":
        # The first request's checked (public) answer is the one Scrapy connected to; the feed
        # path asks DNS again at connect time and refuses the internal answer there.
        assert public.paths == ["/newsroom/"], r.stderr
