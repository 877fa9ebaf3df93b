"""The rank cache (SQLite and PostgreSQL): `top` reads a stored ranking only while it is fresh,
and what it returns from the cache is what ranking everything again returns."""
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from radar import store
from radar.models import Organization, RankCache, Signal
from radar.rank import cache as rank_cache
from radar.rank.explain import explanation
from radar.rank.fixture import store_world
from radar.rank.score import Ranked
from radar.rank.world import model_for, refresh_rank_cache, top
from radar.settings import Settings
from tests.rank_helpers import scenarios, world


def _settings(**extra: Any) -> Settings:
    return Settings.model_validate({"profile": scenarios()[0].profile.model_dump(), **extra})


def _stored(engine: Engine, settings: Settings) -> tuple[date, str] | None:
    key = rank_cache.profile_key(settings, model_for(settings))
    with engine.connect() as c:
        row = c.execute(select(col(RankCache.day), col(RankCache.data_version))
                        .where(col(RankCache.profile_key) == key, col(RankCache.position) == 0)).first()
    return (row[0], row[1]) if row else None


def _fresh(engine: Engine, settings: Settings, today: date) -> bool:
    return store.read_ranking(engine, rank_cache.profile_key(settings, model_for(settings)), today, 1) is not None


def _shown(ranked: list[Ranked]) -> list[dict[str, Any]]:
    return [explanation(r, i) for i, r in enumerate(ranked, 1)]


def test_cached_top_equals_a_full_ranking(engine: Engine) -> None:
    w, today = world()
    store_world(engine, w)
    settings = _settings()
    assert not _fresh(engine, settings, today)
    cold = top(engine, settings, today, limit=10)
    assert _fresh(engine, settings, today)
    warm = top(engine, settings, today, limit=10)
    assert _shown(warm) == _shown(cold) and len(cold) == 10
    assert [r.org.industries for r in warm] == [r.org.industries for r in cold]
    # The industry filter reads the stored industries and agrees with ranking again.
    cached = top(engine, settings, today, limit=5, industry="fintech")
    store.clear_rankings(engine)
    assert _shown(cached) == _shown(top(engine, settings, today, limit=5, industry="fintech")) and cached


def test_a_new_signal_makes_it_stale(engine: Engine) -> None:
    w, today = world()
    store_world(engine, w)
    settings = _settings()
    before = top(engine, settings, today, limit=50)
    last = before[-1].org
    with Session(engine) as s:
        s.add(Signal(key="new-one", organization_id=last.id, type="funding", subtype="series_a", event_date=today,
                     confidence=0.95, evidence=f"{last.name} raised a $30 million Series A.",
                     attributes={"amount": 30e6}))
        s.commit()
    assert not _fresh(engine, settings, today)
    after = top(engine, settings, today, limit=50)
    moved = next(r for r in after if r.org.id == last.id)
    assert moved.score > before[-1].score and any(c.signal.evidence.endswith("Series A.") for c in moved.contributions)
    assert _fresh(engine, settings, today)


def test_a_changed_weight_a_new_day_and_refresh(engine: Engine) -> None:
    w, today = world()
    store_world(engine, w)
    settings = _settings()
    assert refresh_rank_cache(engine, settings, today) == len(top(engine, settings, today, limit=1000))
    heavier = _settings(ranking={"weights": {"funding": 3.0}})
    assert not _fresh(engine, heavier, today)
    assert _fresh(engine, settings, today)  # each profile keeps its own ranking
    top(engine, heavier, today)
    assert _fresh(engine, heavier, today) and _fresh(engine, settings, today)
    tomorrow = today + timedelta(days=1)
    assert not _fresh(engine, settings, tomorrow)
    top(engine, settings, tomorrow)
    stored = _stored(engine, settings)
    assert stored is not None and stored[0] == tomorrow


def test_excluded_organizations_never_appear(engine: Engine) -> None:
    w, today = world()
    store_world(engine, w)
    settings = _settings()
    first = top(engine, settings, today, limit=3)[0].org.name
    excluding = _settings(profile={**scenarios()[0].profile.model_dump(), "exclude": [first]})
    assert not _fresh(engine, excluding, today)
    for _ in range(2):  # ranked again, then read from the cache
        names = [r.org.name for r in top(engine, excluding, today, limit=1000)]
        assert first not in names and names
    with engine.connect() as c:
        key = rank_cache.profile_key(excluding, model_for(excluding))
        ids = set(c.execute(select(col(RankCache.organization_id)).where(col(RankCache.profile_key) == key)).scalars())
        excluded_id = c.execute(select(col(Organization.id)).where(col(Organization.name) == first)).scalar()
    assert excluded_id not in ids


def test_an_edit_the_version_cannot_see_is_caught_by_the_score_check(engine: Engine) -> None:
    w, today = world()
    store_world(engine, w)
    settings = _settings()
    best = top(engine, settings, today, limit=1)[0]
    # Confidence changed in place, without a new mention: the data version stays the same,
    # but the organization no longer scores what was stored, so everything is ranked again.
    with engine.begin() as c:
        c.execute(update(Signal).where(col(Signal.organization_id) == best.org.id).values(confidence=0.31))
    assert _fresh(engine, settings, today)
    again = top(engine, settings, today, limit=1)[0]
    assert (again.org.id, again.score) != (best.org.id, best.score)
    with engine.connect() as c:
        n = c.execute(select(func.count()).select_from(RankCache)
                      .where(col(RankCache.organization_id) == best.org.id)).scalar()
    assert n == 1  # stored again, once


def test_explain_reads_its_place_from_the_cache(engine: Engine) -> None:
    from radar.rank.world import org_report

    w, today = world()
    store_world(engine, w)
    settings = _settings()
    third = top(engine, settings, today, limit=3)[2].org.name
    cached = org_report(engine, settings, third, today)
    store.clear_rankings(engine)
    full = org_report(engine, settings, third, today)
    assert cached.position == full.position == 3 and not cached.excluded
    assert cached.ranked is not None and full.ranked is not None
    assert explanation(cached.ranked, cached.position) == explanation(full.ranked, full.position)
    assert ((cached.org.industry_origins, cached.org.aliases, cached.org.contacts)
            == (full.org.industry_origins, full.org.aliases, full.org.contacts))


def _add_signal(engine: Engine, org_id: int, today: date, key: str) -> None:
    with Session(engine) as s:
        org = s.get(Organization, org_id)
        assert org is not None
        s.add(Signal(key=key, organization_id=org_id, type="funding", subtype="series_b", event_date=today,
                     confidence=0.95, evidence=f"{org.name} raised a $60 million Series B.",
                     attributes={"amount": 60e6}))
        s.commit()


def test_new_signals_rank_only_their_organizations_again(engine: Engine) -> None:
    w, today = world()
    store_world(engine, w)
    settings = _settings()
    before = top(engine, settings, today, limit=1000)
    last = before[-1].org
    assert last.id is not None
    _add_signal(engine, last.id, today, "incremental-1")
    assert refresh_rank_cache(engine, settings, today, touched={last.id}) == len(before)
    assert _fresh(engine, settings, today)
    key = rank_cache.profile_key(settings, model_for(settings))
    assert store.read_ranking(engine, key, today, 1, complete=True) is None  # partly ranked: not for the digest
    partial = top(engine, settings, today, limit=1000)
    moved = next(i for i, r in enumerate(partial) if r.org.id == last.id)
    assert moved < len(partial) - 1 and partial[moved].score > before[-1].score
    # Only the relevance of the organization ranked alone may differ from a whole ranking (it
    # keeps its stored one): every other organization keeps its score, and the order is by score.
    assert [r.score for r in partial] == sorted((r.score for r in partial), reverse=True)
    rest = {r.org.id: r.score for r in before if r.org.id != last.id}
    assert {r.org.id: r.score for r in partial if r.org.id != last.id} == rest
    complete = top(engine, settings, today, limit=1000, complete=True)  # the digest ranks everything
    assert store.read_ranking(engine, key, today, 1, complete=True) is not None
    store.clear_rankings(engine)
    assert _shown(complete) == _shown(top(engine, settings, today, limit=1000))


def test_a_new_day_or_other_changes_rank_everything_even_with_touched(engine: Engine) -> None:
    w, today = world()
    store_world(engine, w)
    settings = _settings()
    top(engine, settings, today, limit=5)
    first = top(engine, settings, today, limit=1)[0].org
    assert first.id is not None
    _add_signal(engine, first.id, today + timedelta(days=1), "incremental-2")
    refresh_rank_cache(engine, settings, today + timedelta(days=1), touched={first.id})
    key = rank_cache.profile_key(settings, model_for(settings))
    assert store.read_ranking(engine, key, today + timedelta(days=1), 1, complete=True) is not None  # whole
    assert not store.only_added("5:5:5:5:5:5:0@-:abc", "6:6:5:5:5:5:1@2026-11-02T00:00:00:abc")  # a contact
    assert store.only_added("5:5:5:5:5:5:0@-:abc", "6:7:9:5:6:8:0@-:abc")
    assert not store.only_added("5:5:5:5:5:5:0@-:abc", "4:5:5:5:5:5:0@-:abc")  # a signal removed


def test_a_correction_set_or_removed_ranks_its_organization_again(engine: Engine) -> None:
    from radar.entities.profile import parse_assignments, set_facts
    from radar.models import OrgFact
    from radar.pipeline import rank_corrected

    w, today = world()
    store_world(engine, w)
    settings = _settings()
    key = rank_cache.profile_key(settings, model_for(settings))
    before = top(engine, settings, today, limit=1000)
    # Somewhere else than the profile's New York: the correction moves its location fit (and, its
    # first fact, replaces what the fixture wrote on the organization).
    org = next(r.org for r in before if r.org.location not in (None, "New York") and r.org.id is not None)
    assert org.id is not None

    def correct(pairs: list[str]) -> None:
        with Session(engine) as s:
            row = s.get(Organization, org.id)
            assert row is not None
            set_facts(s, row, parse_assignments(pairs))
            s.commit()

    def stored() -> float:
        # What `radar orgs top --limit 5` ranks by when the organization is not among the rows shown.
        entry = store.read_ranked(engine, key, today, org.id or 0)
        assert entry is not None
        return entry.score

    def ranked_again() -> float:
        return next(r.score for r in top(engine, settings, today, limit=1000, complete=True) if r.org.id == org.id)

    old = stored()
    correct(["location=New York"])
    with Session(engine) as s:  # a later crawled fact: removing the correction leaves max(id) as it was
        s.add(OrgFact(organization_id=org.id, field="ticker", value="ZZZ", confidence=0.9, origin="crawled",
                      method="test"))
        s.commit()
    rank_corrected(engine, settings, {org.id}, today)
    corrected = stored()
    assert corrected != old and corrected == ranked_again()
    correct(["location="])  # removed: nothing known of its place now, and the data version cannot tell
    assert stored() == corrected and _fresh(engine, settings, today)  # the stale row, before this change
    rank_corrected(engine, settings, {org.id}, today)
    assert stored() != corrected and stored() == ranked_again()
