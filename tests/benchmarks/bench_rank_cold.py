"""Benchmark: a cold ranking of every organization against reading and scoring the rows once.

Issue 15's target: the whole ranking (`refresh_rank_cache` with no stored ranking: load the
world, classify industries, relevance, warm paths, scores, store) within 2x of its floor,
measured in the same run and interleaved: the same signal rows (every column ranking reads,
attributes decoded) read with sqlite3 and scored once (confidence x exponential decay,
summed per organization). CPU seconds of this process.
The database (bench_queries.generate, 5 signals per organization) is cached in
$RADAR_BENCH_DIR (default /tmp/radar-bench).

The first round is reported apart: in a process that ranked before, industries and BM25 word
counts are derived again only for organizations with new evidence (radar.rank.memo.EvidenceMemo).

Run: .venv/bin/python tests/benchmarks/bench_rank_cold.py [--orgs 50000] [--rounds 3]
"""
import argparse
import json
import math
import resource
import sqlite3
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_queries import TODAY
from tests.benchmarks.bench_service_job import database


def floor(path: Path) -> int:
    since = (TODAY - timedelta(days=730)).isoformat()
    totals: dict[int, float] = {}
    with sqlite3.connect(path) as con:
        for _, oid, _, _, when, conf, _, attrs, _, _, _, _ in con.execute(
                "SELECT id, organization_id, type, subtype, event_date, confidence, evidence, attributes, url, "
                "mentions, title, document_id FROM signal WHERE event_date >= ?", (since,)):
            if attrs and attrs != "{}":
                json.loads(attrs)
            age = (TODAY - date.fromisoformat(when[:10])).days
            totals[oid] = totals.get(oid, 0.0) + conf * math.exp(-age / 180)
    return len(totals)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--orgs", type=int, default=50_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from radar import store
    from radar.db import make_engine
    from radar.rank.world import refresh_rank_cache
    from radar.settings import load_settings

    path = database(args.orgs)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    settings = load_settings(None, {"general.database_url": url})
    settings.profile.functions = ["engineering"]
    settings.profile.seniority = ["vp", "head"]
    base, cold = [], []
    ranked = 0
    for _ in range(args.rounds):
        t = time.process_time()
        floor(path)
        base.append(time.process_time() - t)
        store.clear_rankings(engine)
        t = time.process_time()
        ranked = refresh_rank_cache(engine, settings, TODAY)
        cold.append(time.process_time() - t)
    store.clear_rankings(engine)
    engine.dispose()
    ratio = statistics.median(c / b for c, b in zip(cold, base, strict=True))
    print(f"{args.orgs:,} organizations, {ranked:,} ranked; CPU s, median of {args.rounds} interleaved rounds")
    print(f"floor (sqlite3 rows read and scored once): {statistics.median(base):.2f} s")
    # The first round is the process's first ranking: every organization's industries are
    # classified and its words counted. Later rounds are what the service's daily or digest
    # ranking costs in a process that ranked before: only organizations with new evidence are
    # derived again.
    print(f"first cold ranking of the process: {cold[0]:.2f} s = {cold[0] / base[0]:.1f}x the floor of its round")
    print(f"cold ranking (refresh_rank_cache, nothing stored): {statistics.median(cold):.2f} s = {ratio:.1f}x the floor"
          " (target within 2x)")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
