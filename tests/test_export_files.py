"""File exports: HubSpot and Twenty CSVs, JSON Lines and vCards, read back and compared with the documented formats."""
import csv
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import vobject
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar.errors import RadarError, UsageError
from radar.export.run import ExportOptions, ExportSummary, export
from radar.models import Contact, ExportItem, ExportRun, Organization, Signal
from radar.settings import Settings
from tests.test_queries_filters import TODAY, seed_world

HOSTILE = "=cmd|' /C calc'!A0"


def export_world(engine: Engine) -> dict[str, int]:
    """seed_world plus the user's contacts, one of them with a hostile name and a line break in the title."""
    ids = seed_world(engine)
    with Session(engine) as s:
        s.add(Contact(key="ann@northwind.example", first_name="Ann", last_name="Lee", full_name="Ann Lee",
                      email="ann@northwind.example", position="Head of Data", company="Northwind Ledger",
                      organization_id=ids["org:northwind"]))
        s.add(Contact(key="x@quill.example", first_name=HOSTILE, last_name="Smith, Jr; III",
                      full_name=f"{HOSTILE} Smith", email="x@quill.example", position="CTO\r\nEND:VCARD\r\nBEGIN:VCARD",
                      company="Quillfeather AI", organization_id=ids["org:quill"]))
        s.commit()
    return ids


def run(engine: Engine, settings: Settings, target: str, out: Path, **kw: Any) -> ExportSummary:
    return export(engine, settings, ExportOptions(target=target, out=out, **kw), TODAY)


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def add_signal(engine: Engine, org_id: int, key: str, evidence: str) -> None:
    with Session(engine) as s:
        s.add(Signal(key=key, organization_id=org_id, type="partnership", event_date=date(2026, 11, 19), confidence=0.9,
                     evidence=evidence, url="https://news.example/new"))
        s.commit()


# ---------------------------------------------------------------- HubSpot

def test_hubspot_files_use_hubspot_column_names(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    export_world(engine)
    summary = run(engine, settings, "hubspot", tmp_path)
    cols, companies = read_csv(tmp_path / "hubspot-companies.csv")
    # HubSpot's required import properties: companies by "Company domain name"; contacts
    # "First name", "Last name", "Email"; notes "Activity date", "Note body" (see docs/export.md).
    assert cols[0] == "Company domain name" and "Company name" in cols
    assert {r["Company domain name"] for r in companies} == {"northwind.example", "quillfeather.example", "odd.example",
                                                             "kestrelmint.example"}
    cols, contacts = read_csv(tmp_path / "hubspot-contacts.csv")
    assert {"First name", "Last name", "Email"} <= set(cols)
    assert {r["Email"] for r in contacts} == {"ann@northwind.example", "x@quill.example"}
    cols, notes = read_csv(tmp_path / "hubspot-notes.csv")
    assert cols == ["Activity date", "Note body", "Company domain name"]
    series_b = next(n for n in notes if "Series B" in n["Note body"])
    assert series_b["Activity date"] == "2026-11-10" and "https://news.example/1" in series_b["Note body"]
    # A company without a known domain still goes out, by name, in its own file, marked as such.
    cols, by_name = read_csv(tmp_path / "hubspot-companies-without-domain.csv")
    assert cols[0] == "Company domain name" and len(by_name) == 1 and by_name[0]["Company domain name"] == ""
    assert by_name[0]["Company name"] and "no domain known" in by_name[0]["Description"]
    assert summary.counts["companies without a domain"] == 1
    # Its two signals' notes, which HubSpot could not attach to it, are left out and counted.
    assert summary.skipped == {"notes of companies without a domain": 2, "people without an email": 1}


def test_every_csv_cell_is_formula_safe(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    export_world(engine)
    run(engine, settings, "hubspot", tmp_path)
    run(engine, settings, "twenty", tmp_path)
    for path in tmp_path.glob("*.csv"):
        for row in read_csv(path)[1]:
            for cell in row.values():
                assert not cell.startswith(("=", "+", "-", "@")), (path.name, cell)
    _, contacts = read_csv(tmp_path / "hubspot-contacts.csv")
    assert any(r["First name"] == "'" + HOSTILE for r in contacts)


def test_hubspot_since_last_sends_only_new_notes(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    ids = export_world(engine)
    run(engine, settings, "hubspot", tmp_path / "one")
    again = run(engine, settings, "hubspot", tmp_path / "two", since_last=True)
    assert again.sent == 0 and not (tmp_path / "two").exists()
    add_signal(engine, ids["org:northwind"], "new1", "Northwind Ledger partners with Harbor Bank.")
    third = run(engine, settings, "hubspot", tmp_path / "three", since_last=True)
    _, notes = read_csv(tmp_path / "three" / "hubspot-notes.csv")
    assert ([n["Note body"].split("\n")[0] for n in notes]
            == ["partnership on 2026-11-19: Northwind Ledger partners with Harbor Bank."])
    assert third.counts["notes"] == 1 and "contacts" not in third.counts
    # A full export writes every note again (docs/export.md: import those only into an empty HubSpot).
    full = run(engine, settings, "hubspot", tmp_path / "four")
    assert full.counts["notes"] == 7


# ---------------------------------------------------------------- Twenty CSV

def test_twenty_csv_companies_first_people_by_company_domain(engine: Engine, settings: Settings,
                                                             tmp_path: Path) -> None:
    export_world(engine)
    summary = run(engine, settings, "twenty", tmp_path)
    assert [p.name for p in summary.paths] == ["twenty-1-companies.csv", "twenty-2-people.csv"]
    cols, companies = read_csv(tmp_path / "twenty-1-companies.csv")
    assert cols[:2] == ["name", "Domain / Domain URL"]
    assert {"name": "Northwind Ledger", "Domain / Domain URL": "https://northwind.example",
            "Address / City": "New York"} in companies
    cols, people = read_csv(tmp_path / "twenty-2-people.csv")
    assert cols == ["firstName", "lastName", "email", "jobTitle", "companyDomain"]
    ann = next(p for p in people if p["email"] == "ann@northwind.example")
    assert ann["companyDomain"] == "https://northwind.example" and ann["jobTitle"] == "Head of Data"
    domains = {c["Domain / Domain URL"] for c in companies}
    assert all(p["companyDomain"] in domains for p in people)


# ---------------------------------------------------------------- JSON Lines

def test_jsonl_one_record_per_organization_with_stable_ids(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    ids = export_world(engine)
    run(engine, settings, "jsonl", tmp_path / "a.jsonl")
    first = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert len(first) == len({r["id"] for r in first}) == 5
    north = next(r for r in first if r["name"] == "Northwind Ledger")
    assert north["rank"] >= 1 and north["score"] > 0 and {"signals", "fit"} <= set(north["factors"])
    assert {s["type"] for s in north["signals"]} == {"funding", "expansion"}
    # A new signal elsewhere changes nothing in Northwind's ids.
    add_signal(engine, ids["org:quill"], "new2", "Quillfeather AI partners with Lumen Bank.")
    run(engine, settings, "jsonl", tmp_path / "b.jsonl")
    second = {r["name"]: r for r in map(json.loads, (tmp_path / "b.jsonl").read_text().splitlines())}
    assert second["Northwind Ledger"]["id"] == north["id"]
    assert sorted(s["id"] for s in second["Northwind Ledger"]["signals"]) == sorted(s["id"] for s in north["signals"])


def test_jsonl_since_last_and_records_of_runs(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    ids = export_world(engine)
    assert run(engine, settings, "jsonl", tmp_path / "a.jsonl").sent == 5
    nothing = run(engine, settings, "jsonl", tmp_path / "b.jsonl", since_last=True)
    assert nothing.sent == 0 and nothing.unchanged == 5 and not (tmp_path / "b.jsonl").exists()
    add_signal(engine, ids["org:quill"], "new3", "Quillfeather AI partners with Lumen Bank.")
    changed = run(engine, settings, "jsonl", tmp_path / "c.jsonl", since_last=True)
    names = [json.loads(x)["name"] for x in (tmp_path / "c.jsonl").read_text().splitlines()]
    assert names == ["Quillfeather AI"] and changed.unchanged == 4
    with Session(engine) as s:
        items = s.exec(select(ExportItem).where(ExportItem.target == "jsonl")).all()
        runs = s.exec(select(ExportRun).where(ExportRun.target == "jsonl")).all()
    assert len(items) == 5  # one row per record, updated in place
    assert [r.status for r in runs] == ["ok", "ok", "ok"] and [r.records for r in runs] == [5, 0, 1]


def test_unwritable_destination_is_one_clear_error_and_nothing_is_marked(engine: Engine, settings: Settings,
                                                                         tmp_path: Path) -> None:
    export_world(engine)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(RadarError, match="cannot write .*choose another --out"):
        run(engine, settings, "jsonl", blocker / "out.jsonl")
    with Session(engine) as s:
        assert s.exec(select(ExportItem)).all() == []
        assert s.exec(select(ExportRun)).one().status == "failed"


def test_bad_target_and_options(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown export target 'salesforce'; allowed: hubspot, twenty"):
        run(engine, settings, "salesforce", tmp_path)
    with pytest.raises(UsageError, match="--push is for --to twenty"):
        run(engine, settings, "jsonl", tmp_path, push=True)
    with pytest.raises(UsageError, match="--vcard-version 2.1"):
        run(engine, settings, "vcard", tmp_path, vcard_version="2.1")


# ---------------------------------------------------------------- vCard

@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcards_parse_back_with_every_field(engine: Engine, settings: Settings, tmp_path: Path, version: str) -> None:
    export_world(engine)
    run(engine, settings, "vcard", tmp_path / "people.vcf", vcard_version=version)
    text = (tmp_path / "people.vcf").read_bytes().decode("utf-8")
    cards = {c.fn.value: c for c in vobject.readComponents(text)}
    assert set(cards) == {"Dana Reyes", "Ann Lee", f"{HOSTILE} Smith"}
    dana = cards["Dana Reyes"]
    assert dana.version.value == version
    assert dana.n.value.family == "Reyes" and dana.n.value.given == "Dana"
    assert dana.org.value == ["Kestrel Mint"] and dana.title.value == "VP of Engineering"
    assert "appointed Dana Reyes" in dana.note.value and "https://news.example/4" in dana.note.value
    assert dana.categories.value == ["radar", "leadership change"]
    assert dana.uid.value.startswith("urn:uuid:")
    # The hostile contact stays one card whose fields hold the text literally.
    evil = cards[f"{HOSTILE} Smith"]
    assert evil.n.value.family == "Smith, Jr; III" and evil.n.value.given == HOSTILE
    assert evil.title.value == "CTO\nEND:VCARD\nBEGIN:VCARD"
    lines = text.split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines) and "\n" not in "".join(lines)


def test_vcard_uids_are_stable_across_runs(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    export_world(engine)
    run(engine, settings, "vcard", tmp_path / "a.vcf")
    run(engine, settings, "vcard", tmp_path / "b.vcf")
    uids = [sorted(c.uid.value for c in vobject.readComponents((tmp_path / n).read_text())) for n in ("a.vcf", "b.vcf")]
    assert uids[0] == uids[1] and len(set(uids[0])) == 3


def test_export_sees_ranking_industry_overrides_untouched(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    export_world(engine)
    settings.profile.exclude = ["Northwind Ledger"]
    run(engine, settings, "jsonl", tmp_path / "x.jsonl")
    names = {json.loads(x)["name"] for x in (tmp_path / "x.jsonl").read_text().splitlines()}
    assert "Northwind Ledger" not in names and len(names) == 4
    with Session(engine) as s:
        assert s.exec(select(Organization)).all()  # export never writes organizations
    assert datetime.now(UTC)


def test_jsonl_carries_recruiters_with_their_dates(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    ids = export_world(engine)
    with Session(engine) as s:
        s.add(Signal(key="nw-search", organization_id=ids["org:northwind"], type="search_mandate",
                     subtype="executive_search", event_date=date(2026, 11, 18), confidence=0.9,
                     url="https://news.example/search",
                     evidence="Northwind Ledger has retained Marrowby Search Partners to find a CFO.",
                     attributes={"role": "Chief Financial Officer", "search_firm": "Marrowby Search Partners",
                                 "function": "finance", "seniority": "c_level"}))
        s.commit()
    run(engine, settings, "jsonl", tmp_path / "orgs.jsonl")
    records = [json.loads(line) for line in (tmp_path / "orgs.jsonl").read_text(encoding="utf-8").splitlines()]
    northwind = next(r for r in records if r["name"] == "Northwind Ledger")
    assert [(x["firm"], x["date"]) for x in northwind["recruiters"]] == [("Marrowby Search Partners", "2026-11-18")]


def test_write_atomic_failure_leaves_no_temp_file(tmp_path: Path) -> None:
    from radar.errors import RadarError
    from radar.export.files import write_atomic

    target = tmp_path / "out.jsonl"
    target.mkdir()
    with pytest.raises(RadarError, match="cannot write"):
        write_atomic(target, "{}\n")
    assert list(tmp_path.iterdir()) == [target]


def test_jsonl_and_webhook_records_serialize_recruiter_and_brief_dates() -> None:
    # The ranker's recruiters carry a datetime.date (radar.rank.recruiters); the demo's
    # `export --to jsonl` crashed with "Object of type date is not JSON serializable".
    from radar.export import jsonl
    from radar.export.records import OrgRecord, item

    org = OrgRecord("u1", 1, "Ravelstone", None, [], None, 1, 2.0, {}, "why",
                    brief=[{"date": date(2026, 11, 5)}],
                    recruiters=[{"firm": "Hale", "date": date(2026, 11, 16), "url": None}])
    line = jsonl.render([item(org.key, "organizations", org.as_json())])
    record = json.loads(line)
    assert record["recruiters"][0]["date"] == "2026-11-16" and record["brief"][0]["date"] == "2026-11-05"


@pytest.mark.parametrize("target", ["hubspot", "twenty"])
def test_stdout_out_is_refused_for_folder_targets(engine: Engine, settings: Settings, tmp_path: Path, target: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    # `--out -` used to create a folder literally named "-" in the working directory.
    monkeypatch.chdir(tmp_path)
    export_world(engine)
    with pytest.raises(UsageError, match="--out - .* is for --to jsonl or vcard"):
        run(engine, settings, target, Path("-"))
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("target", ["hubspot", "twenty"])
def test_nothing_to_export_names_no_folder_it_did_not_create(engine: Engine, settings: Settings, tmp_path: Path,
                                                              target: str) -> None:
    folder = tmp_path / "not-yet"
    summary = run(engine, settings, target, folder)  # an empty database: nothing ranked
    assert summary.sent == 0 and not folder.exists()
    assert str(folder) not in summary.destination
