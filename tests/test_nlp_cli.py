"""The `radar nlp detect` and `radar nlp eval` contracts, run as a user runs them."""
import json
import subprocess
import sys
from pathlib import Path


def radar(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    # No config file and no database anywhere near: the contracts need neither.
    return subprocess.run([sys.executable, "-m", "radar", *args], input=stdin, capture_output=True, text=True,
                          timeout=300, cwd=cwd, env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_detect_streams_one_line_per_record_in_order(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "text": "Acme raised $20M in a round led by Northwind Ventures."},
        {"id": 2, "text": "Nothing happened today."},
        {"id": "c", "title": "Corbel Freight names Priya Raman Chief Operating Officer", "text": ""},
    ]
    r = radar(["nlp", "detect", "-"], tmp_path, "\n".join(json.dumps(x) for x in lines) + "\n\n")
    assert r.returncode == 0, r.stderr
    out = [json.loads(x) for x in r.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 2, "c"]
    funding = out[0]["signals"][0]
    assert set(funding) == {"type", "subtype", "org", "confidence", "evidence", "attributes"}
    assert (funding["type"], funding["org"], funding["attributes"]["lead_investor"]) == (
        "funding", "Acme", "Northwind Ventures")
    assert out[1]["signals"] == []
    assert out[2]["signals"][0]["attributes"]["person"] == "Priya Raman"
    assert not list(tmp_path.glob("**/*.db"))


def test_detect_reads_a_file_and_rejects_bad_input_in_one_line(tmp_path: Path) -> None:
    f = tmp_path / "in.jsonl"
    f.write_text('{"id": 1, "text": "Paylark has opened a new office in Lisbon."}\n', encoding="utf-8")
    ok = radar(["nlp", "detect", str(f)], tmp_path)
    assert ok.returncode == 0 and json.loads(ok.stdout)["signals"][0]["type"] == "expansion"
    for bad, needle in (('{"id": 1}\n', "line 1 has no string 'text'"), ("not json\n", "line 1 is not valid JSON"),
                        ('\n["a list"]\n', "line 2 is not a JSON object")):
        r = radar(["nlp", "detect", "-"], tmp_path, bad)
        assert r.returncode == 2 and needle in r.stderr and len(r.stderr.strip().splitlines()) == 1
    missing = radar(["nlp", "detect", str(tmp_path / "nope.jsonl")], tmp_path)
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_eval_reports_per_type_scores_as_json(tmp_path: Path) -> None:
    f = tmp_path / "gold.jsonl"
    records = [
        {"id": 1, "text": "Acme raised $20M in a Series A led by Northwind Ventures.",
         "events": [{"type": "funding", "org": "Acme", "attributes": {"amount": 20000000}}]},
        {"id": 2, "text": "Paylark has opened a new office in Lisbon.",
         "events": [{"type": "expansion", "org": "Paylark"}]},
        {"id": 3, "text": "Corbel Freight has no plans to cut jobs.", "events": []},
        {"id": 4, "text": "Old news.",
         "events": [{"type": "financing_equity", "trigger": None, "args": {"org": "Zed"}}]},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    r = radar(["nlp", "eval", str(f), "--format", "json"], tmp_path)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    rows = {row["type"]: row for row in report["types"]}
    assert rows["funding"]["support"] == 2  # financing_equity maps to funding (label_map.toml)
    assert (rows["funding"]["tp"], rows["funding"]["fn"], rows["funding"]["precision"]) == (1, 1, 1.0)
    assert rows["expansion"]["f1"] == 1.0
    assert {"type", "precision", "recall", "f1", "support"} <= set(rows["all (micro)"])
    table = radar(["nlp", "eval", str(f)], tmp_path)
    assert table.returncode == 0 and "funding" in table.stdout
    bad = radar(["nlp", "eval", str(f), "--format", "xml"], tmp_path)
    assert bad.returncode == 2 and "table or json" in bad.stderr


def test_input_that_is_not_utf8_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(b'{"id": 1, "text": "ok"}\n{"id": 2, "text": "J\xe9r\xf4me"}\n')
    for cmd in (["nlp", "detect", str(bad)], ["nlp", "eval", str(bad)]):
        r = radar(cmd, tmp_path)
        assert r.returncode == 2, r.stderr
        assert "not UTF-8" in r.stderr and r.stderr.strip().count("\n") == 0 and "Traceback" not in r.stderr
