"""The weekly job: one digest per ISO week, kept on disk, "new since the last digest"."""
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Optional

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from radar.clock import digest_today
from radar.digest.weekly import run_weekly, write_digest
from radar.models import DigestRun
from radar.settings import Settings
from tests.digest_samples import seed

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def runs(engine: Engine) -> list[DigestRun]:
    with Session(engine) as s:
        return list(s.exec(select(DigestRun).order_by(col(DigestRun.id))))


def test_once_per_iso_week_unless_forced(engine: Engine, settings: Settings) -> None:
    seed(engine, digest_today(settings, NOW))
    first = run_weekly(engine, settings, now=NOW)
    assert first.status == "rendered" and first.iso_week == "2026-W48" and first.organizations == 3
    assert first.path is not None and first.path.exists()
    assert first.path.with_suffix(".txt").exists() and first.path.with_suffix(".md").exists()
    again = run_weekly(engine, settings, now=NOW + timedelta(days=2))
    assert again.status == "skipped" and again.run_id == first.run_id
    assert len(runs(engine)) == 1
    forced = run_weekly(engine, settings, force=True, now=NOW + timedelta(days=2))
    # Forced: rendered again into the week's one row (one row per profile and week).
    assert forced.status == "rendered" and forced.run_id == first.run_id
    assert [r.iso_week for r in runs(engine)] == ["2026-W48"]
    first_org = runs(engine)[0].organizations[0]
    assert first_org == {"name": "Northwind Ledger", "score": pytest.approx(first_org["score"]), "rank": 1}


def test_new_since_the_previous_weeks_digest(engine: Engine, settings: Settings) -> None:
    seed(engine, digest_today(settings, NOW))
    with Session(engine) as s:
        s.add(DigestRun(iso_week="2026-W47", status="sent",
                        organizations=[{"name": "Quillfeather AI", "rank": 1, "score": 1.0},
                                       {"name": "Gone Corp", "rank": 2, "score": 0.5}]))
        s.commit()
    out = run_weekly(engine, settings, now=NOW)
    assert out.path is not None
    text = out.path.with_suffix(".txt").read_text()
    assert "New since the 2026-W47 digest: Northwind Ledger, Evil" in text
    assert "Quillfeather AI  [NEW]" not in text and "1. Northwind Ledger  [NEW]" in text
    assert "No longer in the list: Gone Corp" in text


def test_week_follows_the_digest_timezone(engine: Engine, config_file: Path) -> None:
    from radar.settings import load_settings

    config_file.write_text(config_file.read_text() + '[schedule]\ntimezone = "Pacific/Auckland"\n')
    settings = load_settings(config_file)
    # Sunday 20:00 UTC is already Monday in Auckland: the next ISO week there.
    out = run_weekly(engine, settings, now=datetime(2026, 11, 29, 20, 0, tzinfo=UTC))
    assert out.iso_week == "2026-W49"


@pytest.mark.parametrize("name,fmt,marker", [("d.html", None, "<!DOCTYPE html>"), ("d.md", None, "# radar digest"),
                                             ("d.txt", "html", "<!DOCTYPE html>"), ("d.htm", "md", "# radar digest")])
def test_out_file_format_from_suffix_or_option(sqlite_engine: Engine, settings: Settings, tmp_path: Path, name: str,
                                               fmt: Optional[str], marker: str) -> None:
    seed(sqlite_engine, digest_today(settings))
    ranked, path, text = write_digest(sqlite_engine, settings, tmp_path / name, fmt)
    assert path == tmp_path / name and path.read_text().startswith(marker) and len(ranked) == 3
    assert runs(sqlite_engine) == []  # a file only: nothing recorded, nothing sent
    if marker.startswith("<!"):
        assert "<svg" in text  # a file for a browser gets inline SVG charts


def test_unwritable_out_is_a_radar_error_and_leaves_no_temp_file(sqlite_engine: Engine, settings: Settings,
                                                                 tmp_path: Path) -> None:
    from radar.errors import RadarError

    seed(sqlite_engine, digest_today(settings))
    folder = tmp_path / "out"
    target = folder / "a-directory.html"
    target.mkdir(parents=True)
    with pytest.raises(RadarError, match="cannot write the digest"):
        write_digest(sqlite_engine, settings, target, None)
    assert list(folder.iterdir()) == [target]  # the temporary file beside it was removed
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RadarError, match="cannot write the digest"):
        write_digest(sqlite_engine, settings, blocker / "sub" / "d.html", None)
