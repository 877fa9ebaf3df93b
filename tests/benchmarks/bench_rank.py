"""Benchmark: ranking a world of organizations for one profile, in memory and from SQLite.

Baselines measured in the same run (the machine is shared and noisy, so ratios matter):
- in memory: one plain pass over the same signals (confidence × exponential decay), the least
  any ranking must do;
- from the database: reading the same signal rows with one SELECT.
Run: .venv/bin/python tests/benchmarks/bench_rank.py
"""
import copy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
# E402 below: these imports come after the path set-up of a script run directly.

from sqlmodel import Session, select

from radar.db import make_engine, migrate
from radar.models import Signal
from radar.rank.fixture import SCENARIOS_FILE, WORLD_FILE, load_scenarios, load_world_file, store_world
from radar.rank.needs import load_needs
from radar.rank.pipeline import World, rank_world
from radar.settings import Ranking, Settings

COPIES = 50  # 47 organizations × 50 = 2,350 organizations, 3,000 signals


def big_world(copies: int) -> tuple[World, date]:
    base, today = load_world_file(WORLD_FILE)
    orgs, oid, sid = [], 0, 0
    for k in range(copies):
        for o in base.orgs:
            oid += 1
            c = copy.deepcopy(o)
            c.id, c.name = oid, f"{o.name} {k}"
            for s in c.signals:
                sid += 1
                s.id = sid
            orgs.append(c)
    return World(orgs, list(base.contacts)), today


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def main() -> None:
    model = load_needs()
    profile = load_scenarios(SCENARIOS_FILE)[0].profile
    world, today = big_world(COPIES)
    n_orgs, n_sig = len(world.orgs), sum(len(o.signals) for o in world.orgs)

    def baseline() -> float:
        return sum(s.confidence * 0.5 ** (max((today - s.event_date).days, 0) / 180) for o in world.orgs
                   for s in o.signals)

    base = timed(baseline)
    full = timed(lambda: rank_world(copy.deepcopy(world), model, profile, Ranking(), today, limit=20), repeat=3)
    copy_cost = timed(lambda: copy.deepcopy(world), repeat=3)
    rank_only = max(full - copy_cost, 1e-9)
    print(f"in memory: {n_orgs} organizations, {n_sig} signals")
    print(f"  baseline pass      {base * 1000:8.1f} ms")
    print(f"  rank_world         {rank_only * 1000:8.1f} ms  ({n_sig / rank_only:,.0f} signals/s)  ratio "
          f"{rank_only / base:.0f}x baseline")

    with tempfile.TemporaryDirectory() as d:
        engine = make_engine(f"sqlite:///{d}/bench.db")
        migrate(engine)
        store_world(engine, world)
        settings = Settings.model_validate({"profile": profile.model_dump()})
        from radar.rank.world import top

        def read_rows() -> int:
            with Session(engine) as s:
                return len(s.exec(select(Signal)).all())

        rows = timed(read_rows, repeat=3)
        db_top = timed(lambda: top(engine, settings, today, limit=20), repeat=3)
        print("from SQLite:")
        print(f"  SELECT all signals {rows * 1000:8.1f} ms")
        print(f"  top(limit=20)      {db_top * 1000:8.1f} ms  ratio {db_top / rows:.1f}x reading the rows")
        engine.dispose()


if __name__ == "__main__":
    main()
