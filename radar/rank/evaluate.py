"""`radar rank eval`: how well the ranking agrees with reasoned expectations (NDCG@10), per
scenario, and the floors a change must not fall below (trafilatura's eval gate)."""
import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from radar.errors import ConfigError
from radar.rank.fixture import load_scenarios, load_world_file
from radar.rank.needs import TypeModel, load_needs
from radar.rank.pipeline import rank_world
from radar.settings import Ranking

K = 10


@dataclass
class ScenarioResult:
    name: str
    ndcg: float
    expected: list[str]
    got: list[str]


def ndcg_at_k(got: list[str], expected: list[str], k: int = K) -> float:
    """Graded NDCG: the i-th expected organization has relevance len(expected) - i."""
    grade = {name: len(expected) - i for i, name in enumerate(expected)}
    dcg = sum(grade.get(name, 0) / math.log2(i + 2) for i, name in enumerate(got[:k]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(grade.values(), reverse=True)[:k]))
    return dcg / ideal if ideal else 0.0


def evaluate(world_file: Path, scenarios_file: Path, model: Optional[dict[str, TypeModel]] = None,
             ranking: Optional[Ranking] = None) -> list[ScenarioResult]:
    """Rank the world for each scenario's profile and score it against the expected top 5."""
    model = model or load_needs()
    ranking = ranking or Ranking()
    out = []
    for sc in load_scenarios(scenarios_file):
        world, today = load_world_file(world_file)  # fresh per scenario: ranking fills in views
        got = [r.org.name for r in rank_world(world, model, sc.profile, ranking, today, limit=K)]
        out.append(ScenarioResult(sc.name, round(ndcg_at_k(got, sc.expected), 4), sc.expected, got))
    return out


def read_floors(path: Path) -> dict[str, float]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"floors file {path} does not exist; "
                          f"create it with 'radar rank eval --write-floors {path}'") from None
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"floors file {path}: cannot read it ({e})") from None
    return {k: float(v) for k, v in raw.get("ndcg_at_10", {}).items()}


def below_floors(results: list[ScenarioResult], floors: dict[str, float]) -> list[str]:
    """One line per scenario under its floor, or without a floor at all."""
    problems = []
    for r in results:
        if r.name not in floors:
            problems.append(f"{r.name}: no floor pinned")
        elif r.ndcg + 1e-9 < floors[r.name]:
            problems.append(f"{r.name}: NDCG@10 {r.ndcg:.4f} is below its floor {floors[r.name]:.4f}")
    return problems


def write_floors(path: Path, results: list[ScenarioResult], allow_lower: bool = False) -> None:
    """Pin the current scores as floors; refuses to lower an existing floor unless allowed."""
    old = read_floors(path) if path.exists() else {}
    lowered = [r.name for r in results if r.name in old and r.ndcg < old[r.name] - 1e-9]
    if lowered and not allow_lower:
        raise ConfigError(f"this would lower the floor of {', '.join(lowered)}; pass --allow-lower if that is intended")
    lines = ["# NDCG@10 floors of the ranking scenarios (radar/rank/data/rank_world_scenarios.toml).",
             "# Written by `radar rank eval --write-floors`; lowering one needs --allow-lower.", "[ndcg_at_10]"]
    lines += [f"{r.name} = {math.floor(r.ndcg * 1000) / 1000:.3f}" for r in results]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
