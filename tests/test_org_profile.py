"""Organization profiles: facts stored as documents are extracted, conflicts resolved by trust and
recency, user corrections winning over later crawls, and `radar orgs set|show` on them."""
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from radar.entities.profile import apply, parse_assignments, resolve, set_facts
from radar.errors import UsageError
from radar.extract import extract
from radar.models import Organization, OrgFact
from tests.test_extract_store import add_doc

RELEASE = ("Ravelwood Payments, a Toronto-based payments company, has raised $40 million in a Series B round "
           "led by Northwind Ventures.\n\nAbout Ravelwood Payments\nRavelwood Payments provides payment processing "
           "and card issuing for marketplaces. Headquartered in Toronto, the company's 180 employees work across "
           "Canada. Visit www.ravelwood.com.\n")
LATER = ("Ravelwood Payments, a Montreal-based fintech, has appointed Dana Kohl as Chief Technology Officer.\n\n"
         "About Ravelwood Payments\nRavelwood Payments provides payment processing. The company is headquartered "
         "in Montreal, Quebec and has 260 employees.\n")


def org(engine: Engine, name: str = "Ravelwood Payments") -> Organization:
    with Session(engine) as s:
        return s.exec(select(Organization).where(Organization.name == name)).one()


def test_extraction_stores_facts_and_fills_the_organization(engine: Engine) -> None:
    add_doc(engine, "https://wire.example/ravelwood-b", RELEASE)
    extract(engine)
    o = org(engine)
    assert (o.domain, o.location, o.employees, o.size, o.stage) == ("ravelwood.com", "Toronto", 180, "51-200",
                                                                    "series_b")
    assert "fintech" in o.industries
    with Session(engine) as s:
        rows = s.exec(select(OrgFact).where(OrgFact.organization_id == o.id)).all()
        assert all(r.origin == "crawled" and r.document_id and r.url == "https://wire.example/ravelwood-b"
                   and r.observed_on == date(2026, 11, 3) for r in rows)
    again = extract(engine, everything=True)  # re-reading a document replaces its facts, never duplicates
    assert again.documents == 1
    with Session(engine) as s:
        assert len(s.exec(select(OrgFact).where(OrgFact.organization_id == o.id)).all()) == len(rows)


def test_a_newer_report_moves_the_head_count_and_a_user_correction_wins_over_later_crawls(engine: Engine) -> None:
    add_doc(engine, "https://wire.example/ravelwood-b", RELEASE, day=3)
    extract(engine)
    with Session(engine) as s:
        o = s.exec(select(Organization).where(Organization.name == "Ravelwood Payments")).one()
        set_facts(s, o, parse_assignments(["location=Toronto, Ontario", "domain=https://www.ravelwood.co/"]))
        s.commit()
    add_doc(engine, "https://wire.example/ravelwood-cto", LATER, day=20)
    extract(engine)
    o = org(engine)
    assert o.employees == 260 and o.size == "201-1000"  # a head count changes: the newest wins
    assert (o.location, o.domain) == ("Toronto, Ontario", "ravelwood.co")  # yours, whatever was crawled later
    with Session(engine) as s:
        row = s.get(Organization, o.id)
        assert row is not None
        set_facts(s, row, parse_assignments(["location="]))  # correction removed
        s.commit()
    assert org(engine).location in ("Toronto", "Montreal, Quebec", "Montreal")


def test_resolution_prefers_trust_then_agreement_then_recency() -> None:
    def fact(value: str, conf: float, doc: int, day: int, field: str = "location") -> OrgFact:
        return OrgFact(id=doc, organization_id=1, field=field, value=value, confidence=conf, document_id=doc,
                       observed_on=date(2026, 1, day))

    got = resolve([fact("Palo Alto, Calif.", 0.6, 1, 20), fact("Santa Clara, CA", 0.95, 2, 1)])
    assert got["location"][0].value == "Santa Clara, CA"  # the EDGAR address beats a newer dateline
    got = resolve([fact("Toronto", 0.8, 1, 1), fact("Toronto, Ontario", 0.8, 2, 2), fact("Ottawa", 0.82, 3, 3)])
    assert got["location"][0].value == "Toronto, Ontario" and got["location"][0].sources == 2
    got = resolve([fact("fintech", 0.95, 1, 1, "industry"), fact("ai_software", 0.7, 2, 1, "industry"),
                   fact("health_biotech", 0.5, 3, 1, "industry")])
    assert [c.value for c in got["industry"]] == ["fintech", "ai_software"]


def test_bad_corrections_are_refused_with_the_valid_choices() -> None:
    for bad, words in (("size=huge", "1-10"), ("stage=unicorn", "series_a"), ("industry=fintec", "fintech"),
                       ("colour=red", "domain"), ("employees=many", "whole number"), ("domain=acme", "domain")):
        try:
            parse_assignments([bad])
        except UsageError as e:
            assert words in str(e), (bad, str(e))
        else:
            raise AssertionError(f"{bad} was accepted")
    assert parse_assignments(["industry=fintech, ai_software", "stage=acquired"]) == [
        ("industry", ["fintech", "ai_software"]), ("stage", ["acquired"])]


def radar(cfg: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "radar", "--config", str(cfg), *args], capture_output=True,
                          text=True, timeout=120)


def test_cli_set_and_show_print_each_fact_with_its_source(tmp_path: Path) -> None:
    from radar.db import make_engine, migrate

    db = tmp_path / "data" / "radar.db"
    db.parent.mkdir()
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    add_doc(engine, "https://wire.example/ravelwood-b", RELEASE)
    extract(engine)
    engine.dispose()
    cfg = tmp_path / "radar.toml"
    cfg.write_text(f'[general]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    done = radar(cfg, "orgs", "set", "Ravelwood Payments", "size=201-1000", "industry=fintech,ai_software")
    assert done.returncode == 0, done.stderr
    shown = radar(cfg, "orgs", "show", "Ravelwood Payments")
    assert shown.returncode == 0, shown.stderr
    assert "* domain: ravelwood.com  (link in the About boilerplate" in shown.stdout
    assert "https://wire.example/ravelwood-b" in shown.stdout
    assert "* size: 201-1000  (set by you (radar orgs set); 1.00;" in shown.stdout
    as_json = json.loads(radar(cfg, "orgs", "show", "Ravelwood Payments", "--json").stdout)[0]
    assert as_json["size"] == "201-1000" and as_json["domain"] == "ravelwood.com"
    used = {(f["field"], f["value"]) for f in as_json["facts"] if f["used"]}
    assert {("industry", "fintech"), ("industry", "ai_software"), ("location", "Toronto")} <= used
    bad = radar(cfg, "orgs", "set", "Ravelwood Payments", "size=huge")
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "1-10" in bad.stderr
    missing = radar(cfg, "orgs", "set", "Nobody Atall", "domain=x.com")
    assert missing.returncode != 0 and "no organization called 'Nobody Atall'" in missing.stderr


def test_two_organizations_whose_boilerplate_names_one_domain_do_not_stop_extraction(engine: Engine) -> None:
    # A unit's release and its parent's both say "Visit www.ravelwood.com": the domain column is
    # unique, so the first organization keeps it and the second keeps the fact only.
    add_doc(engine, "https://wire.example/ravelwood-b", RELEASE, day=3)
    extract(engine)
    unit = RELEASE.replace("Ravelwood Payments", "Ravelwood Issuing Labs")
    add_doc(engine, "https://wire.example/ravelwood-issuing", unit, day=5)
    summary = extract(engine)
    assert summary.documents == 1
    first, second = org(engine), org(engine, "Ravelwood Issuing Labs")
    assert first.domain == "ravelwood.com" and second.domain is None
    assert second.location == "Toronto"  # its other facts are written
    with Session(engine) as s:
        assert s.exec(select(OrgFact).where(OrgFact.organization_id == second.id, OrgFact.field == "domain")).all()


def test_two_organizations_given_one_domain_before_a_flush(engine: Engine) -> None:
    # Storage applies a batch's profiles one after another in one session: the second must see
    # the first's unflushed domain, or the commit breaks the unique column and loses the batch.
    with Session(engine) as s:
        a, b = Organization(name="Alcoa Inc.", normalized="alcoa"), Organization(name="Alcoa Howmet",
                                                                                  normalized="alcoa howmet")
        s.add_all([a, b])
        s.commit()
        for o in (a, b):
            assert o.id is not None
            s.add(OrgFact(organization_id=o.id, field="domain", value="alcoa.com", method="About boilerplate link"))
        s.commit()
        apply(s, a)
        apply(s, b)
        s.commit()
        assert (a.domain, b.domain) == ("alcoa.com", None)
