"""radar.queries: each filter of `radar signals`, on SQLite and PostgreSQL, with hostile values."""
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from radar.entities.normalize import normalize_name
from radar.errors import UsageError
from radar.models import Document, OrgAlias, Organization, Signal, SignalMention, Source
from radar.queries import SignalFilter, build_filter, explain, find_signals, like_pattern, parse_day, parse_types
from radar.settings import Settings

TODAY = date(2026, 11, 20)


def seed_world(engine: Engine) -> dict[str, int]:
    """A small fictional world: three sources, five organizations, a dozen signals. Returns ids by name."""
    ids: dict[str, int] = {}
    with Session(engine, expire_on_commit=False) as s:
        srcs = {n: Source(name=n, url=f"https://{n}.example/feed")
                for n in ("techwire", "fintech-daily", "climate-briefs")}
        orgs = {
            "northwind": Organization(name="Northwind Ledger", normalized=normalize_name("Northwind Ledger"),
                                      domain="northwind.example", industries=["fintech"], location="New York"),
            "quill": Organization(name="Quillfeather AI", normalized=normalize_name("Quillfeather AI"),
                                  domain="quillfeather.example", industries=["ai_software"]),
            "bright": Organization(name="Brightkeel Energy", normalized=normalize_name("Brightkeel Energy"),
                                   industries=["climate_energy"]),
            "odd": Organization(name="Odd_100% Labs", normalized=normalize_name("Odd_100% Labs"), domain="odd.example",
                                industries=["ai_software", "fintech"]),
            "kestrel": Organization(name="Kestrel Mint", normalized=normalize_name("Kestrel Mint"),
                                    domain="kestrelmint.example", industries=["fintech"]),
        }
        s.add_all([*srcs.values(), *orgs.values()])
        s.flush()
        s.add(OrgAlias(organization_id=orgs["kestrel"].id,  # type: ignore[arg-type]  # set by the flush
                       alias="KMint Payments", normalized="kmint payments"))
        docs = {}
        for i, (src, title) in enumerate([("techwire", "Quillfeather raises Series A"),
                                          ("fintech-daily", "Northwind Ledger closes Series B"),
                                          ("climate-briefs", "Brightkeel Energy series C"),
                                          ("techwire", "Odd_100% Labs 100% growth"),
                                          ("fintech-daily", "Kestrel Mint appoints VP"),
                                          ("techwire", "Northwind syndicated copy")]):
            d = Document(url=f"https://news.example/{i}", source_id=srcs[src].id, title=title, text=title,
                         content_hash=f"h{i}", published_at=datetime(2026, 11, 1, tzinfo=UTC))
            s.add(d)
            s.flush()
            docs[i] = d
        rows: list[tuple[str, str, str, str | None, date, float, str, int]] = [
            # key, org, type, subtype, date, confidence, evidence, doc index
            ("s1", "quill", "funding", "series_a", date(2026, 11, 18), 0.9,
             "Quillfeather AI raised $20 million in a Series A.", 0),
            ("s2", "northwind", "funding", "series_b", date(2026, 11, 10), 0.8,
             "Northwind Ledger closed a $45 million Series B.", 1),
            ("s3", "bright", "funding", "series_c", date(2026, 9, 1), 0.7, "Brightkeel Energy raised a Series C.", 2),
            ("s4", "odd", "hiring_surge", None, date(2026, 11, 15), 0.6,
             "Odd_100% Labs plans 100% headcount growth.", 3),
            ("s5", "kestrel", "leadership_change", "appointed", date(2026, 11, 12), 0.85,
             "Kestrel Mint appointed Dana Reyes as VP of Engineering.", 4),
            ("s6", "northwind", "expansion", None, date(2026, 10, 1), 0.4,
             "Northwind Ledger opens a Toronto office.", 1),
            ("s7", "quill", "product_launch", None, date(2025, 12, 1), 0.5,
             "=HYPERLINK(\"http://evil.example\") launch", 0),
            ("s8", "bright", "layoffs", None, date(2026, 11, 19), 0.3, "Brightkeel cuts 40 jobs.", 2),
        ]
        for key, org, typ, sub, when, conf, ev, doc in rows:
            sig = Signal(key=key, organization_id=orgs[org].id,  # type: ignore[arg-type]  # set by the flush
                         type=typ, subtype=sub, event_date=when, confidence=conf,
                         evidence=ev, document_id=docs[doc].id, url=docs[doc].url, title=docs[doc].title,
                         attributes={"person": "Dana Reyes", "title": "VP of Engineering", "function": "engineering",
                                     "seniority": "vp"} if typ == "leadership_change" else {})
            s.add(sig)
            s.flush()
            s.add(SignalMention(signal_id=sig.id, document_id=docs[doc].id,  # type: ignore[arg-type]  # flushed above
                                evidence=ev))
            ids[key] = sig.id  # type: ignore[assignment]  # set by the flush
        # A second outlet reported Northwind's round: the signal counts for both sources.
        s.add(SignalMention(signal_id=ids["s2"], document_id=docs[5].id,  # type: ignore[arg-type]  # set by the flush
                            evidence="copy"))
        s.commit()
        ids.update({f"org:{k}": o.id for k, o in orgs.items()})  # type: ignore[misc]  # set by the flush
    return ids


def keys(rows: list[Any], ids: dict[str, int]) -> list[str]:
    back = {v: k for k, v in ids.items() if not k.startswith("org:")}
    return [back[r.id] for r in rows]


def q(engine: Engine, ids: dict[str, int], settings: Settings | None = None, **kw: Any) -> list[str]:
    f = build_filter(today=TODAY, **kw)
    return keys(find_signals(engine, f, settings, TODAY), ids)


def test_no_filter_lists_newest_first(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids) == ["s8", "s1", "s4", "s5", "s2", "s6", "s3", "s7"]
    assert q(engine, ids, limit=3) == ["s8", "s1", "s4"]


def test_type_filter_repeatable_and_comma_separated(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, types=["funding"]) == ["s1", "s2", "s3"]
    assert q(engine, ids, types=["layoffs,leadership-change"]) == ["s8", "s5"]


def test_org_filter_matches_name_part_and_alias(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, org="northwind") == ["s2", "s6"]
    assert q(engine, ids, org="KMint") == ["s5"]
    assert q(engine, ids, org="Nobody Inc") == []


def test_industry_filter_and_overrides(engine: Engine, settings: Settings) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, industry="fintech") == ["s4", "s5", "s2", "s6"]
    # The user moved Odd Labs out of fintech and Brightkeel into it.
    settings.industries.overrides = {"Odd_100% Labs": ["ai_software"],
                                     "Brightkeel Energy": ["fintech", "climate_energy"]}
    assert q(engine, ids, settings, industry="fintech") == ["s8", "s5", "s2", "s6", "s3"]


def test_since_until_absolute_and_relative(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, since="7d") == ["s8", "s1", "s4"]
    assert q(engine, ids, since="2w") == ["s8", "s1", "s4", "s5", "s2"]
    assert q(engine, ids, until="2026-10-31") == ["s6", "s3", "s7"]
    assert q(engine, ids, since="2026-09-01", until="2026-10-01") == ["s6", "s3"]


def test_min_confidence(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, min_confidence=0.8) == ["s1", "s5", "s2"]


def test_source_filter_counts_every_mention(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, source="techwire") == ["s1", "s4", "s2", "s7"]
    assert q(engine, ids, source="fintech-daily") == ["s5", "s2", "s6"]
    with pytest.raises(UsageError, match="unknown source 'nope'.*climate-briefs"):
        q(engine, ids, source="nope")


def test_text_searches_evidence_and_titles(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, text="toronto") == ["s6"]
    # s7 and s8 match only through the title of the document they came from.
    assert q(engine, ids, text="SERIES") == ["s8", "s1", "s2", "s6", "s3", "s7"]


def test_wildcards_in_user_text_are_literal(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, text="100%") == ["s4"]
    assert q(engine, ids, text="%") == ["s4"]
    assert q(engine, ids, text="_") == ["s4"]
    assert q(engine, ids, org="Odd_100% Labs") == ["s4"]
    assert q(engine, ids, org="northwind_ledger") == []  # "_" is not a one-character wildcard
    assert like_pattern("a%b_c\\") == "%a\\%b\\_c\\\\%"


def test_hostile_values_are_parameters_not_sql(engine: Engine) -> None:
    ids = seed_world(engine)
    for hostile in ("'; DROP TABLE signal; --", "\" OR 1=1 --", "x' OR '1'='1"):
        assert q(engine, ids, org=hostile) == []
        assert q(engine, ids, text=hostile) == []
        assert q(engine, ids, industry=hostile) == []
    with Session(engine) as s:
        assert s.execute(select(func.count()).select_from(Signal)).scalar_one() == 8


def test_filters_combine(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, types=["funding"], industry="fintech", since="30d") == ["s2"]
    assert q(engine, ids, types=["funding", "expansion"], org="northwind", min_confidence=0.5) == ["s2"]


def test_sort_by_confidence(engine: Engine) -> None:
    ids = seed_world(engine)
    assert q(engine, ids, sort="confidence") == ["s1", "s5", "s2", "s3", "s4", "s7", "s6", "s8"]


def test_sort_by_score_agrees_with_the_ranking(engine: Engine, settings: Settings) -> None:
    from radar.rank.world import top

    seed_world(engine)
    settings.profile.functions = ["engineering"]
    settings.profile.seniority = ["vp"]
    rows = find_signals(engine, build_filter(today=TODAY, sort="score", limit=8), settings, TODAY)
    scores = [r.score for r in rows if r.score is not None]
    assert scores == sorted(scores, reverse=True) and len(scores) == len(rows) == 8
    ranked = top(engine, settings, TODAY, limit=100)
    expected = {c.signal.id: round(c.value, 4) for r in ranked for c in r.contributions}
    assert expected, "the ranking should score some of these signals"
    for row in rows:
        assert row.score == pytest.approx(expected.get(row.id, 0.0), abs=1e-4)
    top3 = find_signals(engine, build_filter(today=TODAY, sort="score", limit=3), settings, TODAY)
    assert [r.id for r in top3] == [r.id for r in rows[:3]]


@pytest.mark.parametrize("value, expected", [
    ("2026-01-31", date(2026, 1, 31)), ("7d", date(2026, 11, 13)), ("4w", date(2026, 10, 23)),
    ("3m", date(2026, 8, 20)), ("1y", date(2025, 11, 20)), ("today", TODAY), ("yesterday", date(2026, 11, 19)),
    (" 10D ", date(2026, 11, 10)),
])
def test_parse_day(value: str, expected: date) -> None:
    assert parse_day(value, TODAY, "--since") == expected


@pytest.mark.parametrize("value", ["7x", "last week", "2026-13-01", "-3d", "1e9d", "2026/01/01"])
def test_bad_dates_name_the_option_and_the_forms(value: str) -> None:
    with pytest.raises(UsageError, match=r"--since .* is not a date; use YYYY-MM-DD or an age such as 7d"):
        parse_day(value, TODAY, "--since")


def test_bad_values_are_refused() -> None:
    with pytest.raises(UsageError, match="unknown signal type 'fundng'; allowed: funding, leadership_change"):
        parse_types(["fundng"])
    with pytest.raises(UsageError, match="out of range"):
        build_filter(today=TODAY, min_confidence=1.5)
    with pytest.raises(UsageError, match="after --until"):
        build_filter(today=TODAY, since="2026-11-01", until="2026-10-01")
    with pytest.raises(UsageError, match="unknown sort 'best'; allowed: date, score, confidence"):
        build_filter(today=TODAY, sort="best")
    with pytest.raises(UsageError, match="--limit"):
        build_filter(today=TODAY, limit=0)


def test_explain_shows_the_index_for_a_type_filter(sqlite_engine: Engine) -> None:
    seed_world(sqlite_engine)
    plan = " | ".join(explain(sqlite_engine, SignalFilter(types=("funding",))))
    assert "ix_signal_type_date" in plan, plan


def test_sort_by_score_top_k_is_the_head_of_every_match_scored(engine: Engine, settings: Settings) -> None:
    """The threshold search (which stops early, and reads groups scoring zero or less only when
    too few matches score above zero) returns the first `limit` of all matches in score order."""
    import random

    from radar.vocabulary import SIGNAL_TYPES

    rng = random.Random(3)
    with Session(engine) as s:
        orgs = [Organization(name=f"Gen Org {i}", normalized=f"gen org {i}") for i in range(40)]
        s.add_all(orgs)
        s.flush()
        for i in range(300):
            typ = rng.choice(SIGNAL_TYPES)
            s.add(Signal(key=f"g{i}", organization_id=rng.choice(orgs).id or 0, type=typ,
                         subtype=rng.choice([None, "series_a", "series_b"]) if typ == "funding" else None,
                         event_date=TODAY - timedelta(days=rng.randint(0, 900)),
                         confidence=round(rng.uniform(0.3, 0.95), 2), evidence=f"Gen Org did {typ}",
                         attributes=rng.choice([{}, {"title": "VP Engineering"}, {"count": 300}]),
                         mentions=rng.choice([1, 1, 2, 5])))
        s.commit()
    settings.profile.functions = ["engineering"]
    settings.profile.seniority = ["vp"]
    for kw in ({}, {"since": "90d"}, {"types": ["layoffs"]}):  # layoffs count against an engineering leader
        every = find_signals(engine, build_filter(today=TODAY, sort="score", limit=500, **kw), settings, TODAY)
        assert every and {r.score is not None and r.score > 0 for r in every} == ({False} if kw.get("types") else
                                                                                   {True, False})
        for limit in (1, 5, 20, 60):
            head = find_signals(engine, build_filter(today=TODAY, sort="score", limit=limit, **kw), settings, TODAY)
            assert [(r.id, r.score) for r in head] == [(r.id, r.score) for r in every[:limit]], (kw, limit)
