"""Ranking from the database (SQLite and PostgreSQL): top() fills what the digest and exports read."""
from datetime import date
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from radar.models import Document, Organization, Signal, SignalMention, Source
from radar.rank.fixture import store_world
from radar.rank.needs import load_needs
from radar.rank.pipeline import rank_world
from radar.rank.world import org_report, top
from radar.settings import Profile, Settings
from tests.rank_helpers import scenarios, world


def _settings(profile: Profile, **extra: Any) -> Settings:
    return Settings.model_validate({"profile": profile.model_dump(), **extra})


def test_top_from_the_database_matches_the_in_memory_ranking(engine: Engine) -> None:
    w, today = world()
    store_world(engine, w)
    for sc in scenarios()[:3]:
        got = top(engine, _settings(sc.profile), today, limit=10)
        w2, _ = world()
        for o in w2.orgs:
            o.texts = []  # the file's descriptions are not stored as documents
        want = rank_world(w2, load_needs(), sc.profile, Settings().ranking, today, limit=10)
        assert [r.org.name for r in got] == [r.org.name for r in want]
        assert [r.score for r in got] == [r.score for r in want]
        assert [r.brief for r in got] == [r.brief for r in want]
        for r in got:
            assert 3 <= len(r.brief) <= 5 and r.why_now
    eng = top(engine, _settings(scenarios()[0].profile), today, limit=5)
    tally = next(r for r in eng if r.org.name == "Tallyforge Payments")
    assert {p["via"] for p in tally.warm_paths} == {"works there", "investor Saltmarsh Growth"}
    quillon = next(r for r in eng if r.org.name == "Quillon Bank")
    assert quillon.recruiters and quillon.recruiters[0]["firm"] == "Harrowgate Partners"
    assert set(quillon.recruiters[0]) >= {"firm", "role", "evidence", "url", "date"}


def test_industry_filter_and_overrides_from_the_config(engine: Engine) -> None:
    w, today = world()
    store_world(engine, w)
    profile = scenarios()[0].profile
    only = top(engine, _settings(profile), today, limit=50, industry="cybersecurity")
    assert {r.org.name for r in only} <= {"Shieldwarden", "Driftgate Security", "Vexel Identity"} and only
    assert all("cybersecurity" in r.org.industries for r in only)
    moved = top(engine, _settings(profile, industries={"overrides": {"Vexel Identity": ["fintech"]}}), today, limit=50,
                industry="fintech")
    assert "Vexel Identity" in [r.org.name for r in moved]


def test_industries_come_from_sources_and_keywords_of_the_documents(engine: Engine) -> None:
    today = date(2026, 11, 26)
    with Session(engine) as s:
        src = Source(name="payments-wire", url="https://example.org/feed", industries=["fintech"])
        org = Organization(name="Opalcrest", normalized="opalcrest")
        s.add(src)
        s.add(org)
        s.flush()
        doc = Document(url="https://example.org/a", source_id=src.id, title="Opalcrest raises Series B",
                       text="Opalcrest, a payments startup offering embedded finance and card issuing, "
                            "raised a Series B.",
                       content_hash="h1")
        s.add(doc)
        s.flush()
        sig = Signal(key="k1", organization_id=org.id,  # type: ignore[arg-type]  # set by the flush
                     type="funding", subtype="series_b", event_date=date(2026, 11, 20), confidence=0.8,
                     evidence="Opalcrest raised a Series B.", attributes={}, document_id=doc.id)
        s.add(sig)
        s.flush()
        s.add(SignalMention(signal_id=sig.id, document_id=doc.id))  # type: ignore[arg-type]  # set by the flush
        s.commit()
    rep = org_report(engine, Settings(), "Opalcrest", today)
    assert rep.org.industries[0] == "fintech"
    origins = " ".join(rep.org.industry_origins["fintech"])
    assert "fintech sources" in origins and "keywords" in origins


def test_a_documents_form_d_industry_group_gives_the_organization_its_industry(engine: Engine) -> None:
    from radar.rank.world import load_world

    today = date(2026, 11, 20)
    with Session(engine) as s:
        orgs = [Organization(name=n, normalized=n.lower()) for n in ("Quarry Row Bio", "Plain Widgets")]
        s.add_all(orgs)
        s.flush()
        for i, (org, meta) in enumerate(zip(orgs, ({"form": "D", "industry_group": "Biotechnology"},
                                                   {"form": "8-K", "note": "no industry here"}), strict=True)):
            doc = Document(url=f"https://sec.example/{i}", title="Filing", text="A filing.", content_hash=f"h{i}",
                           meta=meta)
            s.add(doc)
            s.flush()
            s.add(Signal(key=f"k{i}", organization_id=org.id or 0, type="funding", event_date=today, confidence=0.8,
                         evidence=f"{org.name} raised money.", document_id=doc.id))
        s.commit()
    industries = {o.name: o.industries for o in load_world(engine, Settings(), today).orgs}
    assert industries == {"Quarry Row Bio": ["health_biotech"], "Plain Widgets": []}
