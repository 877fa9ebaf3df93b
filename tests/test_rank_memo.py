"""What ranking keeps per organization between rankings (radar.rank.memo): industries and BM25
word counts, derived again as soon as the organization gets new evidence."""
from collections import Counter
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from radar.industries import Evidence, classify
from radar.models import Document, Organization, Signal, SignalMention, Source
from radar.rank.memo import EvidenceMemo
from radar.rank.relevance import token_stats
from radar.settings import Settings

WORDS = ("payment", "platform", "security")


def test_the_memo_gives_what_computing_again_gives_and_follows_new_evidence() -> None:
    memo = EvidenceMemo(limit=2)
    ev = Evidence(texts=["Acme builds payment rails for banks and a fintech lending platform."])
    fresh = (classify(ev), token_stats(WORDS, ev.texts))
    assert memo.derive(1, ev, WORDS) == fresh
    assert memo.derive(1, ev, WORDS) == fresh  # kept
    grown = Evidence(texts=[*ev.texts, "Acme also sells cybersecurity software and endpoint security."],
                     source_industries=Counter({"cybersecurity": 2}))
    got = memo.derive(1, grown, WORDS)
    assert got == (classify(grown), token_stats(WORDS, grown.texts)) != fresh  # new evidence: derived again
    assert got[1][1]["security"] == 1
    # Other words (another profile) are counted again, the industries are not affected.
    assert memo.derive(1, grown, ("banks",)) == (classify(grown), token_stats(("banks",), grown.texts))
    # Split differently, the same words are other evidence (the digest keeps text boundaries).
    assert memo.derive(2, Evidence(texts=["fin", "tech"]), WORDS)[0] == classify(Evidence(texts=["fin", "tech"]))
    assert memo.derive(2, Evidence(texts=["fintech"]), WORDS)[0] == classify(Evidence(texts=["fintech"]))
    memo.derive(3, ev, WORDS)  # over the limit: forgets, still right
    assert memo.derive(1, grown, WORDS) == (classify(grown), token_stats(WORDS, grown.texts))


def _add_signal(engine: Engine, org_id: int, n: int, source_id: int, text: str, when: date) -> None:
    with Session(engine) as s:
        doc = Document(url=f"https://example.org/{n}", source_id=source_id, title=f"News {n}", text=text,
                       content_hash=f"h{n}")
        s.add(doc)
        s.flush()
        sig = Signal(key=f"k{n}", organization_id=org_id, type="funding", subtype="series_b", event_date=when,
                     confidence=0.8, evidence=text.split(". ")[0] + ".", attributes={}, document_id=doc.id)
        s.add(sig)
        s.flush()
        s.add(SignalMention(signal_id=sig.id, document_id=doc.id))  # type: ignore[arg-type]  # set by the flush
        s.commit()


def test_an_organization_with_new_evidence_is_classified_and_counted_again(engine: Engine) -> None:
    """In one process (as the service ranks), a second whole ranking after new evidence for one
    organization gives exactly what a process that never ranked before gives."""
    import radar.rank.world as world_module
    from radar.rank.pipeline import prepare
    from radar.rank.world import load_world

    today = date(2026, 11, 26)
    settings = Settings.model_validate({"profile": {"statement": "I build payment platforms and security tools"}})
    with Session(engine) as s:
        src = Source(name="wire", url="https://example.org/feed", industries=[])
        orgs = [Organization(name=n, normalized=n.lower()) for n in ("Opalcrest", "Brindle Works")]
        s.add(src)
        s.add_all(orgs)
        s.commit()
        ids = [o.id or 0 for o in orgs]
        source_id = src.id or 0
    _add_signal(engine, ids[0], 1, source_id, "Opalcrest raised a Series B. Opalcrest makes garden tools.", today)
    _add_signal(engine, ids[1], 2, source_id, "Brindle Works raised a Series B. Brindle Works sells payment "
                                              "platform software.", today)

    def ranked() -> dict[str, tuple[list[str], float]]:
        world = load_world(engine, settings, today)
        relevance = prepare(world, settings.profile).relevance
        return {o.name: (o.industries, relevance.get(o.id, 1.0)) for o in world.orgs}

    before = ranked()
    assert before["Opalcrest"][0] == [] and before["Opalcrest"][1] < before["Brindle Works"][1]
    _add_signal(engine, ids[0], 3, source_id, "Opalcrest raised more. Opalcrest, a neobank offering card issuing "
                                              "and a payment platform, also sells endpoint security.", today)
    after = ranked()  # the memo holds both organizations from the first ranking
    world_module._DERIVED = EvidenceMemo()  # a new process
    try:
        assert after == ranked()
    finally:
        world_module._DERIVED = EvidenceMemo()
    assert after["Opalcrest"][0] == ["fintech"] and after["Opalcrest"][1] > before["Opalcrest"][1]
    assert after["Brindle Works"][0] == before["Brindle Works"][0]
