"""`radar orgs top|show|explain` and `radar recruiters` on a stored fixture world, through the CLI."""
import csv
import io
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.rank_helpers import world

PROFILE = """
[general]
data_dir = "{dir}"
timezone = "UTC"
[profile]
functions = ["engineering"]
seniority = ["vp", "head", "director"]
industries = ["fintech"]
locations = ["New York"]
skills = ["payments"]
exclude = ["Ledgerline"]
statement = "Lead engineering at a fintech."
"""


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from radar.db import make_engine, migrate
    from radar.rank.fixture import store_world

    d = tmp_path_factory.mktemp("rankcli")
    engine = make_engine(f"sqlite:///{d / 'r.db'}")
    migrate(engine)
    w, today = world()
    for o in w.orgs:  # shift the world to today so the CLI's clock finds it fresh
        for s in o.signals:
            s.event_date = s.event_date + (date.today() - today)
    ledger = next(o for o in w.orgs if o.name == "Ledgerline")
    ledger.signals[0].attributes["search_firm"] = "Hidden Search Ltd"  # excluded: its recruiter must not show
    ledger.signals[0].type = "search_mandate"
    evil = next(o for o in w.orgs if o.name == "Clearmark Regtech")
    evil.signals[0].evidence = '=HYPERLINK("http://evil.example","click")'
    store_world(engine, w)
    engine.dispose()
    cfg = d / "radar.toml"
    cfg.write_text(PROFILE.format(dir=d))
    return cfg, d / "r.db"


def radar(stored: tuple[Path, Path], *args: str) -> subprocess.CompletedProcess[str]:
    cfg, db = stored
    return subprocess.run([sys.executable, "-m", "radar", "--config", str(cfg), "--db", str(db), *args],
                          capture_output=True, text=True, timeout=120, cwd=cfg.parent)


def test_orgs_top_in_every_format(stored: tuple[Path, Path]) -> None:
    table = radar(stored, "orgs", "top", "-n", "5")
    assert table.returncode == 0 and "Tallyforge" in table.stdout
    rows = json.loads(radar(stored, "orgs", "top", "-n", "30", "--json").stdout)
    assert rows[0]["organization"] == "Tallyforge Payments" and rows[0]["brief"] and rows[0]["why_now"]
    assert "Ledgerline" not in {r["organization"] for r in rows}  # excluded
    lines = radar(stored, "orgs", "top", "-n", "3", "--jsonl").stdout.strip().splitlines()
    assert len(lines) == 3 and all(json.loads(x)["rank"] for x in lines)
    out = radar(stored, "orgs", "top", "-n", "30", "--csv").stdout
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row]
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    fintech = json.loads(radar(stored, "orgs", "top", "--industry", "cybersecurity", "--json").stdout)
    assert fintech and all("cybersecurity" in r["industries"] for r in fintech)


def test_orgs_show_and_explain(stored: tuple[Path, Path]) -> None:
    show = radar(stored, "orgs", "show", "tallyforge")
    assert show.returncode == 0
    assert "fintech: its facts (radar orgs show)" in show.stdout
    assert "Priya Raman" in show.stdout and "Series B" in show.stdout
    ex = json.loads(radar(stored, "orgs", "explain", "Tallyforge Payments", "--json").stdout)[0]
    assert ex["rank"] == 1 and ex["signals"][0]["value"] >= ex["signals"][-1]["value"]
    assert {f["factor"] for f in ex["factors"]} >= {"signals", "fit", "relevance", "warm_paths"}
    assert ex["signals"][0]["evidence"] and ex["why_now"]
    text = radar(stored, "orgs", "explain", "Tallyforge Payments")
    assert "Why now:" in text.stdout and "Audition brief:" in text.stdout
    excluded = radar(stored, "orgs", "explain", "Ledgerline")
    assert excluded.returncode == 1 and "excluded" in excluded.stderr
    unknown = radar(stored, "orgs", "show", "Nonexistent Widgets")
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1


def test_recruiters_lists_only_searches_at_ranked_organizations(stored: tuple[Path, Path]) -> None:
    rows = json.loads(radar(stored, "recruiters", "--json").stdout)
    firms = {r["firm"]: r for r in rows}
    assert "Harrowgate Partners" in firms and firms["Harrowgate Partners"]["employer"] == "Quillon Bank"
    assert firms["Harrowgate Partners"]["evidence"].startswith("Quillon Bank has retained")
    assert "Hidden Search Ltd" not in firms  # its employer is excluded
    few = json.loads(radar(stored, "recruiters", "--limit", "1", "--json").stdout)
    assert all(r["employer_rank"] == 1 for r in few)


def test_rank_eval_runs_outside_the_checkout(tmp_path: Path) -> None:
    """The fixture world ships in the package: `radar rank eval` needs no checkout beside it."""
    r = subprocess.run([sys.executable, "-m", "radar", "rank", "eval", "--json"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert len(rows) >= 5 and all(0.0 <= row["ndcg_at_10"] <= 1.0 for row in rows)
    assert "mean NDCG@10" in r.stderr
