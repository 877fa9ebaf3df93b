"""The ranking quality gate: NDCG@10 per scenario of the fixture world may not fall below its floor."""
import subprocess
import sys
from pathlib import Path

import pytest

from radar.errors import ConfigError
from radar.rank.evaluate import below_floors, evaluate, ndcg_at_k, read_floors, write_floors
from tests.rank_helpers import FLOORS_FILE, SCENARIOS_FILE, WORLD_FILE, scenarios, world


def test_the_fixture_world_is_big_enough_and_every_scenario_reasoned() -> None:
    w, _ = world()
    assert len(w.orgs) >= 40 and all(o.signals for o in w.orgs)
    names = {o.name for o in w.orgs}
    sc = scenarios()
    assert len(sc) >= 6
    for s in sc:
        assert len(s.expected) == 5 and set(s.expected) <= names, s.name


def test_ndcg_is_one_for_the_expected_order_and_lower_otherwise() -> None:
    expected = ["a", "b", "c", "d", "e"]
    assert ndcg_at_k(expected + ["x"], expected) == pytest.approx(1.0)
    assert ndcg_at_k(["b", "a", "c", "d", "e"], expected) < 1.0
    assert ndcg_at_k(["x", "y"], expected) == 0.0


def test_every_scenario_is_at_or_above_its_floor() -> None:
    results = evaluate(WORLD_FILE, SCENARIOS_FILE)
    assert below_floors(results, read_floors(FLOORS_FILE)) == []


def test_floors_are_not_lowered_without_the_explicit_flag(tmp_path: Path) -> None:
    results = evaluate(WORLD_FILE, SCENARIOS_FILE)
    floors = tmp_path / "floors.toml"
    floors.write_text("[ndcg_at_10]\n" + "\n".join(f"{r.name} = 1.0" for r in results) + "\n")
    if all(r.ndcg >= 1.0 for r in results):
        pytest.skip("every scenario is perfect; nothing could be lowered")
    with pytest.raises(ConfigError, match="--allow-lower"):
        write_floors(floors, results)
    write_floors(floors, results, allow_lower=True)
    assert below_floors(results, read_floors(floors)) == []


def test_rank_eval_cli_prints_ndcg_per_scenario_and_fails_below_a_floor(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "radar", "rank", "eval", "--world", str(WORLD_FILE), "--scenarios",
           str(SCENARIOS_FILE)]
    ok = subprocess.run(cmd + ["--floors", str(FLOORS_FILE), "--csv"], capture_output=True, text=True,
                        timeout=120, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    lines = ok.stdout.strip().splitlines()
    assert lines[0].startswith("scenario,ndcg_at_10") and len(lines) == 1 + len(scenarios())
    strict = tmp_path / "strict.toml"
    strict.write_text("[ndcg_at_10]\n" + "\n".join(f"{s.name} = 1.01" for s in scenarios()) + "\n")
    bad = subprocess.run(cmd + ["--floors", str(strict)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert bad.returncode == 1 and "below its floor" in bad.stderr and bad.stderr.count("radar: error") == 1
    missing = subprocess.run([sys.executable, "-m", "radar", "rank", "eval", "--world", str(tmp_path / "nope.toml")],
                             capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
