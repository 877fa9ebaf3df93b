"""`radar demo`: the main job, offline, on bundled sample sources served from 127.0.0.1.

The sample site (radar/demo_data/site, fictional companies) is served by a local HTTP
server so the real fetch path runs: robots.txt, conditional GET, article extraction.
"""
import io
import logging
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import BinaryIO, Optional

from rich.console import Console

logger = logging.getLogger(__name__)

DEMO_PROFILE = '''
[general]
data_dir = "{data_dir}"
timezone = "UTC"

[profile]
name = "Demo User"
roles = ["VP of Engineering", "Head of Engineering"]
functions = ["engineering", "data"]
seniority = ["vp", "head", "director"]
skills = ["platform engineering", "payments", "machine learning infrastructure", "team building"]
industries = ["fintech", "ai_software"]
locations = ["New York", "Toronto"]
remote = true
statement = "Lead a growing engineering organization at a fintech or AI software company."

[crawl]
allow_private_addresses = true   # the sample site is served from 127.0.0.1
per_host_delay = 0.0
user_agent = "radar-demo/0.1"

[digest]
limit = 10

[[sources]]
name = "techwire"
url = "{base}/feeds/techwire.xml"
kind = "rss"
industries = ["ai_software"]

[[sources]]
name = "fintech-daily"
url = "{base}/feeds/fintech-daily.atom"
kind = "atom"
industries = ["fintech"]

[[sources]]
name = "climate-briefs"
url = "{base}/feeds/climate-briefs.xml"
kind = "rss"
industries = ["climate_energy"]

[[sources]]
name = "sample-newsroom"
url = "{base}/newsroom/index.html"
kind = "newsroom"
industries = []
'''


def site_root() -> Path:
    return Path(str(resources.files("radar.demo_data").joinpath("site")))


class _Handler(SimpleHTTPRequestHandler):
    """Serves the sample site with {{BASE}} replaced by the server's own address."""

    base = ""

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("demo server: " + format, *args)

    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_file() and path.suffix in (".xml", ".atom", ".html", ".txt"):
            modified = self.date_time_string(int(path.stat().st_mtime))
            if self.headers.get("If-Modified-Since") == modified:
                self.send_response(304)
                self.end_headers()
                return None
            body = path.read_bytes().replace(b"{{BASE}}", self.base.encode())
            ctype = {".xml": "application/xml", ".atom": "application/atom+xml", ".html": "text/html; charset=utf-8",
                     ".txt": "text/plain"}[path.suffix]
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Last-Modified", modified)
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()


@contextmanager
def serve_site(root: Optional[Path] = None) -> Iterator[str]:
    """Serve the sample site on 127.0.0.1 at a free port; yields the base URL."""
    class DemoHandler(_Handler):
        pass

    handler = DemoHandler
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root or site_root())))
    handler.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler.base
    finally:
        server.shutdown()
        server.server_close()


def run_demo(directory: Optional[Path], top: int = 5, database_url: Optional[str] = None) -> None:
    """The demo in `directory` (a temporary one if None), on `database_url` if given (radar --db)."""
    from radar import pipeline
    from radar.settings import load_settings

    err = Console(stderr=True, highlight=False)
    out = Console(highlight=False)
    started = time.monotonic()
    tmp = None
    if directory is None:
        tmp = tempfile.TemporaryDirectory(prefix="radar-demo-")
        directory = Path(tmp.name)
    directory.mkdir(parents=True, exist_ok=True)
    try:
        with serve_site() as base:
            config = directory / "radar.toml"
            config.write_text(DEMO_PROFILE.format(data_dir=str(directory), base=base), encoding="utf-8")
            settings = load_settings(config, {"general.database_url": database_url} if database_url else None)
            err.print(f"demo: sample sources served at {base}; data in {directory}")
            from radar.db import open_database

            engine = open_database(settings.database_url(), long_job=True)
            crawled = pipeline.crawl(engine, settings, force=True)
            for r in crawled.results:
                err.print(f"  crawled {r.source}: {r.status}, {r.new_documents} new documents"
                          + (f" ({r.error})" if r.error else ""))
            err.print("demo: loading the spaCy pipeline and extracting signals ...")
            extracted, _ = pipeline.extract(engine, settings)
            err.print(f"  {extracted.documents} documents → {extracted.signals_new} signals "
                      f"({extracted.mentions_new} mentions)")
            ranked, path, text = pipeline.digest(engine, settings)
        err.print(f"demo: digest written to {path} ({time.monotonic() - started:.1f}s)")
        out.print(_top_of(text, top), markup=False)
    finally:
        if tmp is not None:
            tmp.cleanup()


def _top_of(markdown: str, n: int) -> str:
    """The digest's header and its first n organizations."""
    parts = markdown.split("\n## ")
    return "\n## ".join(parts[: n + 1]).rstrip() + "\n"
