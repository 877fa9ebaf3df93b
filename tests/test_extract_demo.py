"""Extraction on the bundled demo site against its answer key (radar/demo_data/README.md)."""
import sqlite3
import subprocess
import sys
from pathlib import Path

# (type, organization) pairs of the answer key that the extractor finds today.
EXPECTED = {
    ("funding", "Quillfeather AI"), ("funding", "Brightkeel Energy"), ("funding", "Northwind Ledger"),
    ("leadership_change", "Tallowmere Health"), ("leadership_change", "Ravelstone Payments"),
    ("leadership_change", "Corvane Analytics"), ("leadership_change", "Kestrel Mint"),
    ("expansion", "Solvane Grid"), ("expansion", "Quillfeather AI"), ("layoffs", "Petalcart"),
    ("product_launch", "Mosswick Software"), ("product_launch", "Solvane Grid"), ("hiring_surge", "Greyloft Labs"),
    ("acquisition", "Kestrel Mint"), ("acquisition", "Tallyhop"), ("ipo", "Cindergate Systems"),
    ("search_mandate", "Ravelstone Payments"),
}
# Noise pages and tricky negatives of the answer key: no signal may name these.
NEVER = {("funding", "Harbor Peak Ventures"), ("product_launch", "Pennyroyal Money")}


def test_demo_site_signals_match_the_answer_key(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "radar", "demo", "--dir", str(tmp_path)], capture_output=True, text=True,
                       timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    con = sqlite3.connect(tmp_path / "radar.db")
    rows = con.execute("select s.type, o.name, s.mentions from signal s "
                       "join organization o on o.id = s.organization_id").fetchall()
    found = {(t, n) for t, n, _ in rows}
    assert EXPECTED <= found, EXPECTED - found
    assert not (NEVER & found)
    assert all(t != "funding" or n != "Northwind Ledger" or m == 1 for t, n, m in rows)  # syndicated copy: one document
    names = [n for (n,) in con.execute("select name from organization")]
    assert "Engineering" not in names and len(names) == len(set(names))
    con.close()
