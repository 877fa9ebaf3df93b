"""`radar extract`: documents to stored signals, deduplicated across sources, idempotent."""
import hashlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from radar.extract import extract
from radar.models import Document, Organization, Signal, SignalMention


def add_doc(engine: Engine, url: str, text: str, *, title: str | None = None, kind: str = "article",
            meta: dict[str, Any] | None = None, day: int = 3) -> int:
    with Session(engine) as s:
        d = Document(url=url, title=title, text=text, kind=kind, meta=meta or {},
                     content_hash=hashlib.sha1(text.encode()).hexdigest(),
                     published_at=datetime(2026, 11, day, 9, tzinfo=UTC))
        s.add(d)
        s.commit()
        assert d.id is not None
        return d.id


def signals(engine: Engine) -> list[tuple[str, str, str | None, int]]:
    with Session(engine) as s:
        rows = s.exec(select(Signal, Organization).join(Organization,
                                                        col(Organization.id) == Signal.organization_id)).all()
        return sorted((sig.type, org.name, sig.subtype, sig.mentions) for sig, org in rows)


def test_one_event_from_two_sources_is_one_signal_with_two_mentions(engine: Engine) -> None:
    add_doc(engine, "https://wire.example/a",
            "Tessel Robotics has raised $20 million in a Series B round led by Northwind Ventures.")
    add_doc(engine, "https://trade.example/b",
            "Pittsburgh's Tessel Robotics raised a $20M Series B, with Northwind Ventures leading.", day=4)
    seen: list[tuple[int, int]] = []
    summary = extract(engine, progress=lambda done, total: seen.append((done, total)))
    assert (summary.documents, summary.signals_new, summary.mentions_new, summary.failed) == (2, 1, 2, 0)
    assert seen[-1] == (2, 2)
    assert signals(engine) == [("funding", "Tessel Robotics", "series_b", 2)]
    with Session(engine) as s:
        sig = s.exec(select(Signal)).one()
        assert sig.event_date.day == 3  # the earliest report dates the event
        assert sig.attributes["lead_investor"] == "Northwind Ventures"
        assert len(s.exec(select(Organization).where(Organization.normalized == "tessel robotics")).all()) == 1


def test_rerun_is_idempotent_and_all_drops_what_rules_no_longer_find(engine: Engine) -> None:
    doc = add_doc(engine, "https://wire.example/c",
                  "Paylark has opened a new office in Lisbon. Paylark plans to hire 120 engineers in Lisbon.")
    first = extract(engine)
    assert first.signals_new == 2
    assert extract(engine).documents == 0  # nothing new
    again = extract(engine, everything=True)
    assert (again.documents, again.signals_new, again.mentions_new) == (1, 0, 0)
    assert signals(engine) == [("expansion", "Paylark", "new_office", 1), ("hiring_surge", "Paylark", "hiring_plan", 1)]
    with Session(engine) as s:  # the stored text changes (a correction): the hiring plan is gone
        row = s.get(Document, doc)
        assert row is not None
        row.text = "Paylark has opened a new office in Lisbon."
        s.add(row)
        s.commit()
    extract(engine, everything=True)
    assert signals(engine) == [("expansion", "Paylark", "new_office", 1)]
    with Session(engine) as s:
        assert len(s.exec(select(SignalMention)).all()) == 1


def test_filings_are_read_as_filings(engine: Engine) -> None:
    add_doc(engine, "https://sec.example/formd/1", "", kind="form-D", meta={
        "form": "D", "formd": {"issuer": "Quarry Row Bio, Inc.", "cik": "0001234567", "industry_group": "Biotechnology",
                               "total_offering": "10000000", "amount_sold": "7500000", "date_first_sale": "2026-10-01",
                               "related_persons": [{"name": "Ana Silva", "relationships": ["Executive Officer"]}]}})
    add_doc(engine, "https://sec.example/8k/1",
            "Item 5.02 Departure of Directors or Certain Officers. "
            "On November 2, 2026, the board of Quarry Row Bio, Inc. appointed Tomas Berg as Chief Financial Officer.",
            kind="8-K", meta={"form": "8-K", "items": ["5.02"], "cik": "1234567", "company": "Quarry Row Bio, Inc.",
                              "filed": "2026-11-03"})
    summary = extract(engine)
    assert summary.failed == 0
    with Session(engine) as s:
        orgs = s.exec(select(Organization)).all()
        assert [(o.name, o.cik) for o in orgs] == [("Quarry Row Bio, Inc.", "1234567")]
        by_type = {sig.type: sig for sig in s.exec(select(Signal))}
    assert by_type["funding"].attributes["amount"] == 7_500_000
    assert by_type["funding"].event_date.isoformat() == "2026-10-01"
    lc = by_type["leadership_change"]
    assert (lc.subtype, lc.attributes["person"], lc.attributes["title"], lc.attributes["function"]) == (
        "appointed", "Tomas Berg", "Chief Financial Officer", "finance")
    assert lc.event_date.isoformat() == "2026-11-03"


def test_hostile_text_is_stored_as_data(engine: Engine) -> None:
    text = "Acme Robotics raised $5 million in a seed round from <b>Evil</b> Capital'); DROP TABLE signal;--"
    add_doc(engine, "https://x.example/h", text)
    add_doc(engine, "https://x.example/empty", "")
    summary = extract(engine)
    assert summary.documents == 2 and summary.failed == 0
    with Session(engine) as s:
        sig = s.exec(select(Signal)).one()
        assert sig.evidence == text
        assert s.exec(select(Document).where(col(Document.extractor_version).is_(None))).all() == []
