"""A small news site on 127.0.0.1 for the service tests: one RSS feed of N articles (and a
newsroom page linking them), each page optionally slow, so a crawl takes long enough to be
interrupted or overlapped."""
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

NAMES = ["Alder", "Brook", "Cedar", "Dune", "Ember", "Fjord", "Grove", "Heath", "Iris", "Juniper"]


def company(i: int) -> str:
    return f"{NAMES[i % len(NAMES)]}{i} Robotics"


def article(i: int) -> str:
    name = company(i)
    body = (f"<p>{name} raised $20 million in a Series A round led by Northgate Capital, "
            "the company said on Monday.</p>"
            f"<p>{name} plans to use the money to hire engineers and expand its platform team in Toronto.</p>"
            "<p>" + "The robotics market keeps growing as warehouses automate. " * 12 + "</p>")
    return (f"<html><head><title>{name} raises $20 million</title></head>"
            f"<body><article><h1>{name} raises $20 million Series A</h1>"
            f"{body}</article></body></html>")


def feed(base: str, n: int) -> str:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><title>{company(i)} raises $20 million</title><link>{base}/a/{i}.html</link>"
        f"<pubDate>{format_datetime(now - timedelta(hours=i))}</pubDate>"
        f"<description>{company(i)} raised money.</description></item>"
        for i in range(n))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>{base}</link>'
            f'<description>d</description>{items}</channel></rss>')


def reply(handler: BaseHTTPRequestHandler, body: str, ctype: str) -> None:
    data = body.encode()
    handler.send_response(200)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    try:
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):  # a client killed mid-request (kill -9 tests)
        pass


@contextmanager
def news_site(n: int = 10, delay: float = 0.0) -> Iterator[str]:
    """Serve the feed at /feed.xml and n articles; each article waits `delay` seconds."""
    class Handler(BaseHTTPRequestHandler):
        server: ThreadingHTTPServer

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            if self.path == "/robots.txt":
                body, ctype = "User-agent: *\nAllow: /\n", "text/plain"
            elif self.path == "/feed.xml":
                body, ctype = feed(base, n), "application/rss+xml"
            elif self.path == "/newsroom/":
                links = "".join(f'<li><a href="/a/{i}.html">{company(i)}</a></li>' for i in range(n))
                body, ctype = f"<html><body><ul>{links}</ul></body></html>", "text/html"
            elif self.path.startswith("/a/"):
                time.sleep(delay)
                body, ctype = article(int(Path(self.path).stem)), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            reply(self, body, ctype)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def service_config(path: Path, data_dir: Path, sources: dict[str, str], extra: str = "", kind: str = "rss") -> Path:
    """A config with these sources (name → URL) of one kind, private addresses allowed, no delays."""
    text = (f'[general]\ndata_dir = "{data_dir}"\n[crawl]\nallow_private_addresses = true\nper_host_delay = 0.0\n'
            'retries = 0\nread_timeout = 5.0\nmax_articles_per_source = 100\n' + extra)
    for name, url in sources.items():
        text += f'\n[[sources]]\nname = "{name}"\nurl = "{url}"\nkind = "{kind}"\ninterval_minutes = 60\n'
    path.write_text(text, encoding="utf-8")
    return path
