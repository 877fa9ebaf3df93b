"""Benchmark: start-up of light commands against `python -c pass` (issue 15: `radar signals
--limit 5` under 0.4 s on the 1,000,000-signal database of bench_queries).

Each round runs, one after the other in new processes: `python -c pass` (the baseline: the
interpreter alone), `radar --help`, `radar signals --limit 5`, `radar signals --type funding
--json` and `radar orgs top --limit 20 --json` (its ranking stored first, as the service
keeps it). Wall and CPU time (user + system of the child) per command, median over the
rounds, as ratios to the baseline of the same rounds. The database is bench_queries' (generated into
$RADAR_BENCH_DIR, default /tmp/radar-bench, when missing).

Run: .venv/bin/python tests/benchmarks/bench_startup.py [--rounds 15] [--before ../main/.venv/bin/python]
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.benchmarks.bench_queries import generate


def database() -> Path:
    from radar.db import head_revision

    folder = Path(os.environ.get("RADAR_BENCH_DIR", "/tmp/radar-bench"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"queries-1000000-50000-{head_revision()}.db"
    if not path.exists():
        generate(f"sqlite:///{path}", 1_000_000, 50_000)
    return path


def fresh_ranking(db: str) -> None:
    """The ranking `radar orgs top` reads, stored for the CLI's profile and today (ranking the
    1,000,000 signals takes about a minute), so that the command measures its start-up."""
    from radar.cli.state import State
    from radar.clock import today_for
    from radar.db import make_engine
    from radar.rank.world import refresh_rank_cache

    settings = State(db=db).settings()
    engine = make_engine(settings.database_url())
    refresh_rank_cache(engine, settings, today_for(settings))
    engine.dispose()


def run(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one child process, started in the checkout of its interpreter
    (`python -m radar` imports the package of the working directory first)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=Path(cmd[0]).absolute().parents[2])
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert done.returncode == 0, done.stderr
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--before", help="another checkout's interpreter (its .venv/bin/python): its commands run in "
                                     "the same rounds, labelled 'before'")
    args = ap.parse_args()
    db = str(database())
    fresh_ranking(db)
    cmds = {"python -c pass (baseline)": [sys.executable, "-c", "pass"]}
    for tag, python in (("", sys.executable), (" (before)", args.before)):
        if python is None:
            continue
        radar = [python, "-m", "radar", "--db", db]
        cmds.update({f"radar --help{tag}": [*radar, "--help"],
                     f"radar signals --limit 5{tag}": [*radar, "signals", "--limit", "5"],
                     f"radar signals --type funding --json{tag}": [*radar, "signals", "--type", "funding", "--json"],
                     f"radar orgs top --limit 20 --json{tag}": [*radar, "orgs", "top", "--limit", "20", "--json"]})
    for cmd in cmds.values():  # warm the page cache and the bytecode
        run(cmd)
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in cmds}
    for _ in range(args.rounds):
        for label, cmd in cmds.items():
            times[label].append(run(cmd))
    base_wall = statistics.median(w for w, _ in times["python -c pass (baseline)"])
    base_cpu = statistics.median(c for _, c in times["python -c pass (baseline)"])
    print(f"new process each, median of {args.rounds} interleaved rounds; 1,000,000-signal database")
    print(f"{'command':40} {'wall s':>7} {'CPU s':>7} {'wall - baseline':>16} {'wall / baseline':>16}")
    for label, samples in times.items():
        wall = statistics.median(w for w, _ in samples)
        cpu = statistics.median(c for _, c in samples)
        print(f"{label:40} {wall:7.3f} {cpu:7.3f} {wall - base_wall:16.3f} {wall / base_wall:16.1f}")
    print(f"target: radar signals --limit 5 under 0.4 s (baseline CPU {base_cpu:.3f} s)")


if __name__ == "__main__":
    main()
