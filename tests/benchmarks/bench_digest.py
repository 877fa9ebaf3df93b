"""Digest rendering and the job store: figures as ratios to baselines measured in the same run.

- HTML email (Jinja2, autoescape, charts) vs. the Markdown renderer, for 15 and 200 orgs.
- Syncing 200 crawl jobs into the SQLite job store on a restart (kept) vs. a first start
  (added), per job.
Run: .venv/bin/python tests/benchmarks/bench_digest.py
"""
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# E402 below: these imports come after the path set-up of a script run directly.

from radar.digest.html import render_html
from radar.digest.markdown import markdown_from_view
from radar.digest.text import render_text
from radar.digest.view import DigestView, build_view
from radar.rank.score import Contribution, OrgView, Ranked, SignalView

TODAY = date(2026, 11, 26)


def ranked(n: int) -> list[Ranked]:
    out = []
    for i in range(n):
        sigs = [SignalView(i * 10 + k, "funding", "series_a", TODAY - timedelta(days=7 * k), 0.9,
                           f"Org {i} <b>raised</b> ${k + 1} million in a round led by Fund {k}.", {},
                           f"https://n.example/{i}/{k}")
                for k in range(8)]
        org = OrgView(i, f"Org {i} & Sons", ["fintech"], signals=sigs)
        out.append(Ranked(org, 10.0 - i * 0.01, {}, [Contribution(s, 1.0, {}) for s in sigs],
                          brief=[{"text": "A problem they face", "signal_id": 1}] * 3,
                          warm_paths=[{"name": "Ann", "position": "CTO", "company": "X", "via": ""}],
                          recruiters=[{"firm": "Search Co", "role": "VP", "evidence": "",
                                       "url": "https://r.example", "date": ""}]))
    return out


def view_of(n: int) -> DigestView:
    return build_view(ranked(n), TODAY)


def best(fn: Callable[[], object], repeat: int = 15) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_render() -> None:
    for n in (15, 200):
        view = build_view(ranked(n), TODAY, previous=[f"Org {i} & Sons" for i in range(0, n, 2)],
                          previous_week="2026-W47")
        md = best(partial(markdown_from_view, view))
        html = best(partial(render_html, view, email=True))
        text = best(partial(render_text, view))
        model = best(partial(view_of, n))
        print(f"render {n:>3} orgs: markdown {md * 1e3:7.2f} ms (baseline) "
              f"| html email {html * 1e3:7.2f} ms = {html / md:4.1f}x "
              f"| plain text {text * 1e3:6.2f} ms = {text / md:4.1f}x | view model {model * 1e3:6.2f} ms")


def bench_job_store() -> None:
    from radar.db import make_engine, migrate
    from radar.service.schedule import job_specs, sync_jobs
    from radar.service.serve import build_scheduler
    from radar.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/b.db")
        migrate(engine)
        sources: list[tuple[str, int, Optional[datetime]]] = [(f"s{i}", 60, None) for i in range(200)]
        now = datetime.now(UTC)
        timings = {}
        for label in ("first start (add)", "restart (keep)"):
            sch = build_scheduler(engine)
            sch.start(paused=True)
            t0 = time.perf_counter()
            sync_jobs(sch, job_specs(Settings(), sources, now))
            timings[label] = time.perf_counter() - t0
            sch.shutdown()
        add, keep = timings["first start (add)"], timings["restart (keep)"]
        print(f"job store, 202 jobs on SQLite: first start {add * 1e3:.0f} ms ({add / 202 * 1e3:.2f} ms/job, baseline) "
              f"| restart {keep * 1e3:.0f} ms = {keep / add:.2f}x")


if __name__ == "__main__":
    bench_render()
    bench_job_store()
