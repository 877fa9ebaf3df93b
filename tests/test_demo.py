"""`radar demo`: the whole job on the bundled sample site, over real HTTP on 127.0.0.1."""
import subprocess
import sys
from pathlib import Path


def test_demo_ranks_funded_and_hiring_companies_first(tmp_path: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "radar", "demo", "--dir", str(tmp_path), "--top", "5"],
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    headings = [line for line in r.stdout.splitlines() if line.startswith("## ")]
    assert len(headings) == 5
    top5 = " ".join(headings)
    # Northwind Ledger raised a Series B; Corvane Analytics appointed a CTO (demo_data/README.md).
    # Top 5, not top 3: with all ten signal types extracted, Kestrel Mint (VP of Engineering
    # appointed) and Quillfeather AI (Series A, New York office) fit this profile as well.
    assert "Northwind Ledger" in top5
    assert "Corvane Analytics" in top5
    assert "crawled techwire: ok" in r.stderr
    assert (tmp_path / "radar.db").exists()
    assert list((tmp_path / "digests").glob("digest-*.md"))
