"""The HTML digest in headless Chromium: it shows the ranked organizations and makes no
network request. Every request Chromium makes goes through a logging proxy on 127.0.0.1,
so a request to anywhere (an image, a font, a tracking pixel) is seen; a control page
with one remote image proves the proxy sees it. The screenshot is kept in artifacts/.
"""
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from radar.digest.html import render_html
from radar.digest.view import build_view
from tests.digest_samples import TODAY, ranked_sample

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# Chromium's own services, which it calls whatever the page (component updater, clock
# check, sign-in) even with every --disable flag; they are filtered by exact host, so a
# page asking for any other Google host (fonts.googleapis.com, say) is still caught.
BROWSER_OWN = ("update.googleapis.com", "clients2.google.com", "accounts.google.com")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")


@contextmanager
def logging_proxy() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _refuse(self) -> None:
            seen.append(self.requestline)
            self.send_error(502, "radar test proxy: no network")

        do_GET = do_POST = do_HEAD = do_CONNECT = do_PUT = do_OPTIONS = _refuse

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def chromium(page: Path, proxy: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [CHROMIUM or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-extensions", "--disable-default-apps", "--disable-component-extensions-with-background-pages",
           "--disable-domain-reliability", "--disable-client-side-phishing-detection", "--no-pings",
           "--no-service-autorun",
           "--disable-features=Translate,OptimizationHints,MediaRouter,DialMediaRouteProvider,"
           "AutofillServerCommunication,CertificateTransparencyComponentUpdater",
           f"--user-data-dir={profile}", f"--proxy-server={proxy}", "--proxy-bypass-list=<-loopback>",
           "--hide-scrollbars", "--window-size=800,2200", *args, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=90)


def test_control_page_request_is_seen_by_the_proxy(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text('<html><body>control<img src="http://203.0.113.9/pixel.gif"></body></html>')
    with logging_proxy() as (proxy, seen):
        r = chromium(page, proxy, tmp_path / "profile", "--dump-dom")
    assert "control" in r.stdout
    assert any("203.0.113.9" in line for line in seen), seen
    assert all("203.0.113.9" in line or any(h in line for h in BROWSER_OWN) for line in seen), seen


def test_digest_renders_offline_and_shows_the_ranked_organizations(tmp_path: Path) -> None:
    view = build_view(ranked_sample(), TODAY, previous=["Quillfeather AI"], previous_week="2026-W47", name="Dana")
    ARTIFACTS.mkdir(exist_ok=True)
    shots = {}
    for email in (True, False):
        kind = "email" if email else "file"
        page = tmp_path / f"digest-{kind}.html"
        page.write_text(render_html(view, email=email), encoding="utf-8")
        shot = ARTIFACTS / f"digest-{kind}.png"
        shot.unlink(missing_ok=True)
        with logging_proxy() as (proxy, seen):
            dom = chromium(page, proxy, tmp_path / f"profile-{kind}", "--dump-dom").stdout
            chromium(page, proxy, tmp_path / f"profile-{kind}-shot", f"--screenshot={shot}")
        page_requests = [r for r in seen if not any(f" {h}:" in r or f"//{h}/" in r for h in BROWSER_OWN)]
        assert page_requests == [], f"the {kind} digest made network requests: {page_requests}"
        for name in ("1. Northwind Ledger", "3. Quillfeather AI", "Spencer Search"):
            assert name in dom, name
        # The hostile name arrives as text: Chromium's DOM holds no element it could have injected.
        assert "<script>alert" not in dom and "&lt;script&gt;alert" in dom
        assert shot.exists() and shot.stat().st_size > 10_000
        shots[kind] = shot
    assert shots["email"].read_bytes() != shots["file"].read_bytes()


MEASURE_BARS = """<script>
const bars = [...document.querySelectorAll('table[style*="background-color:#e4e8ef"]')].map(track => {
  const filled = track.querySelector('td[style*="#2f6fde"]');
  return filled ? Math.round(100 * filled.getBoundingClientRect().width / track.getBoundingClientRect().width) : 0;
});
document.body.insertAdjacentHTML('beforeend', '<pre id="bars">' + JSON.stringify(bars) + '</pre>');
</script>"""


@pytest.mark.parametrize("email", [True, False])
def test_score_bars_are_as_wide_as_their_scores_in_chromium(tmp_path: Path, email: bool) -> None:
    # A bar of 0 % was drawn half full: a table cell of width="0%" beside another is laid out by its content.
    import json
    import re
    from dataclasses import replace

    from radar.rank.score import OrgView

    top = ranked_sample()[0]
    ranked = [replace(top, org=OrgView(i, f"Org {i}", [], signals=top.org.signals), score=score)
              for i, score in enumerate((2.0, 1.0, 0.02, 0.0), 1)]
    page = tmp_path / "bars.html"
    page.write_text(render_html(build_view(ranked, TODAY), email=email).replace("</body>", MEASURE_BARS + "</body>"),
                    encoding="utf-8")
    with logging_proxy() as (proxy, _):
        dom = chromium(page, proxy, tmp_path / "profile", "--dump-dom").stdout
    found = re.search(r'<pre id="bars">(\[[^<]*\])</pre>', dom)  # not the script's own text
    assert found, dom[-2000:]
    widths = json.loads(found.group(1))
    assert len(widths) == 4
    assert widths[0] == 100 and abs(widths[1] - 50) <= 2 and widths[2] <= 3 and widths[3] == 0, widths
