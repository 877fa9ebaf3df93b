"""The quality gate: detector scores must not fall below the floors in tests/quality/nlp_floors.toml."""
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from radar.nlp.detect import Detector
from radar.nlp.evaluate import Report, evaluate, read_labeled
from tests.conftest import DATA, corpus_or_skip

FLOORS = tomllib.loads((Path(__file__).parent / "quality" / "nlp_floors.toml").read_text(encoding="utf-8"))


def _f1(report: Report, name: str) -> float:
    return next(r["f1"] for r in report.rows() if r["type"] == name)


@pytest.fixture(scope="module")
def devset() -> list[dict[str, Any]]:
    return read_labeled((DATA / "nlp_devset.jsonl").read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def dev_report(devset: list[dict[str, Any]]) -> Report:
    return evaluate(devset, Detector())


def test_no_floor_below_its_target_without_a_written_reason() -> None:
    reasons = FLOORS.get("reasons", {})
    for key, target in FLOORS["targets"].items():
        floor = FLOORS["devset"].get(key, FLOORS["edgar_8k"].get("item_502_f1") if key == "edgar_8k_item_502" else None)
        assert floor is not None, f"no floor for {key}"
        if floor < target:
            assert len(str(reasons.get(key, ""))) > 40, f"floor {key}={floor} is below its target {target}: write the reason"


@pytest.mark.parametrize("type_", [k for k in FLOORS["devset"] if k != "micro"])
def test_devset_f1_per_type_at_or_above_floor(dev_report: Report, type_: str) -> None:
    assert _f1(dev_report, type_) >= FLOORS["devset"][type_], dev_report.rows()


def test_devset_micro_and_heldout_half(devset: list[dict[str, Any]], dev_report: Report) -> None:
    assert _f1(dev_report, "all (micro)") >= FLOORS["devset"]["micro"]
    odd = [r for r in devset if int(str(r["id"]).rsplit("-", 1)[1]) % 2 == 1]
    assert _f1(evaluate(odd, Detector()), "all (micro)") >= FLOORS["heldout"]["micro"]


def test_phrasings2_micro_floor() -> None:
    records = read_labeled((DATA / "nlp_phrasings2.jsonl").read_text(encoding="utf-8").splitlines())
    assert _f1(evaluate(records, Detector()), "all (micro)") >= FLOORS["phrasings2"]["micro"]


def test_edgar_8k_item_502_floor() -> None:
    path = corpus_or_skip() / "events" / "edgar_8k_items.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = evaluate(records, Detector())
    assert _f1(report, "leadership_change") >= FLOORS["edgar_8k"]["item_502_f1"], report.rows()
