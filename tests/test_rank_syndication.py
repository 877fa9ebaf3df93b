"""An organization's source industries count every source a syndicated story was seen in,
so a ranking does not depend on which source a parallel crawl happened to store first."""
from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from radar import store
from radar.models import Organization, Signal, SignalMention
from radar.rank.world import top
from radar.settings import Settings, SourceEntry

TODAY = date(2026, 11, 26)


def test_story_seen_in_two_sources_counts_both_industries(engine: Engine, settings: Settings) -> None:
    fin, ai = store.sync_sources(engine, [
        SourceEntry(name="fin-wire", url="https://fin.example/feed", industries=["fintech"]),
        SourceEntry(name="ai-wire", url="https://ai.example/feed", industries=["ai_software"]),
    ])
    when = datetime(2026, 11, 23, tzinfo=UTC)
    text = "Northwind Ledger raised $42 million in a Series B round led by Harbor Peak Ventures."
    doc, _ = store.save_document(engine, url="https://news.example/nw", source_id=fin.id, text=text, title="Northwind",
                                 published_at=when)
    copy, is_new = store.save_document(engine, url="https://news.example/nw?ref=ai", source_id=ai.id, text=text,
                                       title="Northwind", published_at=when, other_urls=["https://mirror.example/nw"])
    assert copy.id == doc.id and not is_new
    with Session(engine) as s:
        org = Organization(name="Northwind Ledger", normalized="northwind ledger")
        s.add(org)
        s.flush()
        sig = Signal(key="nw-b", organization_id=org.id,  # type: ignore[arg-type]  # set by the flush
                     type="funding", subtype="series_b", event_date=when.date(), confidence=0.9, evidence=text,
                     attributes={"round": "series_b", "amount": 42e6}, document_id=doc.id)
        s.add(sig)
        s.flush()
        s.add(SignalMention(signal_id=sig.id, document_id=doc.id,  # type: ignore[arg-type]  # set by the flush
                            evidence=text))
        s.commit()
    settings.profile.functions = ["engineering"]
    ranked = top(engine, settings, TODAY, limit=5)
    (r,) = [r for r in ranked if r.org.name == "Northwind Ledger"]
    assert {"fintech", "ai_software"} <= set(r.org.industries)
