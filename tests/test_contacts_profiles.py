"""Each profile has its own contacts: `radar contacts import|list --profile NAME`, and a profile's
ranking and digest show warm paths through its contacts only, while the config's profile keeps
its own. SQLite and PostgreSQL."""
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from radar import profiles
from radar.cli import main
from radar.contacts import import_contacts, list_contacts
from radar.digest.weekly import build_week
from radar.errors import UsageError
from radar.rank.fixture import store_world
from radar.rank.world import top
from radar.settings import Settings
from tests.rank_helpers import scenarios, world
from tests.test_contacts_import import LINKEDIN, _write

# Two people: one at a company of the fixture world, one at its investor.
ANA = ("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
       "Lena,Voss,https://www.linkedin.com/in/lena-voss,,Tallyforge Payments,Staff Engineer,12 Nov 2023\n")


def _base() -> Settings:
    return Settings.model_validate({"profile": scenarios()[0].profile.model_dump()})


def _warm(engine: Engine, settings: Settings, org: str) -> set[str]:
    _, today = world()
    ranked = top(engine, settings, today, limit=50)
    return {p["name"] for r in ranked if r.org.name == org for p in r.warm_paths}


def test_one_person_in_two_profiles_is_two_contacts_and_each_list_shows_its_own(engine: Engine, tmp_path: Path) -> None:
    profiles.add(engine, "ana", "ana@example.com", {})
    path = _write(tmp_path, "c.csv", LINKEDIN)
    assert import_contacts(engine, path).new == 4
    assert import_contacts(engine, path, profiles.key_of(engine, "ana")).new == 4
    # Again for ana: nothing new, nothing changed, in either profile.
    again = import_contacts(engine, path, profiles.key_of(engine, "ana"))
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)
    with engine.connect() as c:
        rows = sorted(tuple(r) for r in c.execute(text("select profile, count(*) from contact group by profile")))
    assert rows == [("default", 4), ("profile:ana", 4)]
    assert len(list_contacts(engine, "profile:ana")) == 4
    import_contacts(engine, _write(tmp_path, "more.csv", ANA),
                    profiles.key_of(engine, "ana"))
    assert {c["name"] for c in list_contacts(engine, "profile:ana")} - {c["name"] for c in list_contacts(engine)} \
        == {"Lena Voss"}
    # Removing the profile removes its contacts, not the config's.
    assert profiles.remove(engine, "ana")
    with engine.connect() as c:
        assert [tuple(r) for r in c.execute(text("select profile, count(*) from contact group by profile"))] == [
            ("default", 4)]


def test_an_unknown_profile_is_refused_naming_the_profiles(engine: Engine) -> None:
    with pytest.raises(UsageError, match="none yet"):
        profiles.key_of(engine, "ana")
    profiles.add(engine, "bo", "bo@example.com", {})
    with pytest.raises(UsageError, match=r"no profile named 'ana'; the profiles are: bo"):
        profiles.key_of(engine, "ana")


def test_a_profiles_ranking_and_digest_use_its_contacts_and_the_config_keeps_its_own(
        engine: Engine, tmp_path: Path) -> None:
    w, today = world()
    store_world(engine, w)  # the world's contacts are the config's profile's
    base = _base()
    row = profiles.add(engine, "ana", "ana@example.com", scenarios()[0].profile.model_dump(mode="json"))
    ana = profiles.settings_for(engine, base, row.id)  # type: ignore[arg-type]  # a stored row has an id
    config_warm = _warm(engine, base, "Tallyforge Payments")
    assert config_warm and "Lena Voss" not in config_warm
    assert _warm(engine, ana, "Tallyforge Payments") == set()  # ana knows no one yet

    import_contacts(engine, _write(tmp_path, "ana.csv", ANA), profiles.key_of(engine, "ana"))
    assert _warm(engine, ana, "Tallyforge Payments") == {"Lena Voss"}
    assert _warm(engine, base, "Tallyforge Payments") == config_warm
    _, ana_view = build_week(engine, ana, today)
    _, config_view = build_week(engine, base, today)
    ana_paths = " ".join(p for i in ana_view.items for p in i.warm_paths)
    config_paths = " ".join(p for i in config_view.items for p in i.warm_paths)
    assert "Lena Voss" in ana_paths and "Lena Voss" not in config_paths
    assert config_paths and not any(n in ana_paths for n in config_warm)


def test_cli_contacts_import_and_list_with_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(tmp_path / "radar.db")]
    path = _write(tmp_path, "ana.csv", ANA)
    assert main(db + ["contacts", "import", str(path), "--profile", "ana"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no profile named 'ana'" in err
    assert main(db + ["profiles", "add", "ana", "--email", "ana@example.com"]) == 0
    assert main(db + ["contacts", "import", str(path), "--profile", "ana"]) == 0
    assert "1 new" in capsys.readouterr().err
    assert main(db + ["contacts", "list", "--profile", "ana", "--json"]) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == ["Lena Voss"]
    assert main(db + ["contacts", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
