"""Properties of the score that must hold for every profile and every signal of the fixture world."""
import copy
from dataclasses import replace
from datetime import timedelta

import pytest

from radar.rank.fixture import Scenario
from radar.rank.needs import load_needs
from radar.rank.pipeline import World, rank_world
from radar.rank.score import contribution, recency, score_org
from radar.rank.warm import ContactView
from radar.settings import Ranking
from tests.rank_helpers import scenarios, world

MODEL = load_needs()
SCENARIOS = scenarios()
IDS = [s.name for s in SCENARIOS]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_a_newer_signal_never_scores_lower_than_the_same_signal_older(scenario: Scenario) -> None:
    w, today = world()
    checked = 0
    for org in w.orgs:
        for sig in org.signals:
            for older_by in (1, 20, 45, 90, 200, 400):
                newer = contribution(sig, MODEL, scenario.profile, Ranking(), today)
                older = contribution(replace(sig, event_date=sig.event_date - timedelta(days=older_by)), MODEL,
                                     scenario.profile, Ranking(), today)
                if newer is None:
                    assert older is None
                    continue
                checked += 1
                assert older is not None
                # For a negative signal "scores lower" means weighs more against.
                if newer.value >= 0:
                    assert newer.value >= older.value - 1e-12, (org.name, sig.type, older_by)
                else:
                    assert newer.value <= older.value + 1e-12, (org.name, sig.type, older_by)
    assert checked > 100


def test_recency_is_flat_during_the_lead_time_then_halves_every_half_life() -> None:
    from datetime import date

    d = date(2026, 1, 1)
    assert recency(d, d + timedelta(days=30), 100, lead_days=60) == 1.0
    assert recency(d, d + timedelta(days=160), 100, lead_days=60) == pytest.approx(0.5)
    assert recency(d, d - timedelta(days=5), 100) == 1.0  # a date in the future is not above 1


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_adding_a_warm_contact_never_lowers_a_score(scenario: Scenario) -> None:
    w, today = world()
    before = {r.org.name: r.score for r in rank_world(w, MODEL, scenario.profile, Ranking(), today)}
    raised = 0
    for org in w.orgs:
        w2, _ = world()
        target = next(o for o in w2.orgs if o.name == org.name)
        w2.contacts.append(ContactView(999, "New Friend", "Engineer", target.name, target.id))
        after = {r.org.name: r.score for r in rank_world(w2, MODEL, scenario.profile, Ranking(), today)}
        assert after.get(org.name, 0.0) >= before.get(org.name, 0.0)
        raised += after.get(org.name, 0.0) > before.get(org.name, 0.0)
    assert raised > 5  # the bonus does something


def test_a_contact_at_an_investor_is_a_warm_path_worth_less_than_one_inside() -> None:
    w, today = world()
    profile = SCENARIOS[0].profile
    org = next(o for o in w.orgs if o.name == "Mintbridge")  # investor: Saltmarsh Growth (Tom Okoye)
    r = next(r for r in rank_world(w, MODEL, profile, Ranking(), today) if r.org.name == "Mintbridge")
    assert {"name": "Tom Okoye", "position": "Partner", "company": "Saltmarsh Growth",
            "via": "investor Saltmarsh Growth"} in [
        {k: v for k, v in p.items() if k != "contact_id"} for p in r.warm_paths]
    inside = score_org(copy.deepcopy(org), MODEL, profile, Ranking(), today, investor_contacts=0)
    org2 = copy.deepcopy(org)
    org2.contacts = ["Someone Inside"]
    assert (score_org(org2, MODEL, profile, Ranking(), today).score
            > score_org(copy.deepcopy(org), MODEL, profile, Ranking(), today, investor_contacts=1).score
            > inside.score)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=IDS)
def test_an_excluded_organization_never_appears(scenario: Scenario) -> None:
    w, today = world()
    ranked = rank_world(w, MODEL, scenario.profile, Ranking(), today)
    assert not set(scenario.profile.exclude) & {r.org.name for r in ranked}
    for victim in [r.org.name for r in ranked[:3]]:
        for spelling in (victim, victim.upper() + ", Inc.", "The " + victim.lower()):
            profile = scenario.profile.model_copy(update={"exclude": [*scenario.profile.exclude, spelling]})
            w2, _ = world()
            names = [r.org.name for r in rank_world(w2, MODEL, profile, Ranking(), today)]
            assert victim not in names
            assert len(names) == len(ranked) - 1


def test_exclusion_by_domain_and_by_alias() -> None:
    w, today = world()
    profile = SCENARIOS[0].profile
    w.orgs[0].domain = "tallyforge.example"
    w.orgs[1].aliases = ["Quillon"]
    excluded = profile.model_copy(update={"exclude": ["https://www.tallyforge.example/about", "quillon"]})
    names = [r.org.name for r in rank_world(w, MODEL, excluded, Ranking(), today)]
    assert "Tallyforge Payments" not in names and "Quillon Bank" not in names and names


def test_weights_from_the_users_config_take_effect() -> None:
    profile = SCENARIOS[0].profile
    w, today = world()
    base = {r.org.name: r for r in rank_world(w, MODEL, profile, Ranking(), today)}
    w, _ = world()
    no_search = {r.org.name: r for r in rank_world(w, MODEL, profile, Ranking(weights={"search_mandate": 0.0}), today)}
    assert "Quillon Bank" in base
    # Quillon's search mandate no longer counts; its Toronto office still does, a little.
    assert no_search["Quillon Bank"].score < base["Quillon Bank"].score / 3
    w, _ = world()
    doubled = {r.org.name: r for r in rank_world(w, MODEL, profile, Ranking(weights={"leadership_change": 2.0}), today)}
    assert doubled["Ledgerline"].score == pytest.approx(2 * base["Ledgerline"].score, rel=1e-3)


def test_inline_need_overrides_from_the_config_take_effect() -> None:
    from radar.settings import Settings

    settings = Settings.model_validate({"ranking": {"needs": {"leadership_change": {"weight": 0.0}}}})
    model = load_needs(None, settings.ranking.needs)
    w, today = world()
    names = [r.org.name for r in rank_world(w, model, SCENARIOS[1].profile, Ranking(), today)]
    assert "Stratamesh" not in names and "Tallowmere Health" not in names  # only a departure each


def test_turnaround_profiles_count_layoffs_for_not_against() -> None:
    w, today = world()
    turnaround = next(s for s in SCENARIOS if s.name == "turnaround_executive").profile
    plain = turnaround.model_copy(update={"turnaround": False, "statement": "Chief executive", "roles": ["CEO"]})
    assert "Heliotrope Solar" in [r.org.name for r in rank_world(w, MODEL, turnaround, Ranking(), today)]
    w, _ = world()
    assert "Heliotrope Solar" not in [r.org.name for r in rank_world(w, MODEL, plain, Ranking(), today)]


def test_low_confidence_and_old_signals_do_not_rank() -> None:
    w, today = world()
    ranked = [r.org.name for r in rank_world(w, MODEL, SCENARIOS[0].profile, Ranking(), today)]
    assert "Rumorly" not in ranked  # confidence 0.2 < min_confidence 0.3
    assert "Quarryhill Software" not in ranked[:10]  # a two-year-old round


def test_every_ranked_organization_has_a_brief_traceable_to_its_signals() -> None:
    for sc in SCENARIOS:
        w, today = world()
        for r in rank_world(w, MODEL, sc.profile, Ranking(), today, limit=10):
            ids = {s.id for s in r.org.signals}
            assert 3 <= len(r.brief) <= 5, (sc.name, r.org.name, r.brief)
            assert all(line["signal_id"] in ids and line["text"] for line in r.brief)
            assert r.why_now and "{" not in r.why_now


def test_hostile_attributes_stay_plain_text_in_briefs_and_why_now() -> None:
    w, today = world()
    org = next(o for o in w.orgs if o.name == "Ledgerline")
    org.signals[0].attributes.update(person="{org.__class__} Omar\n<script>x</script>", title="=HYPERLINK(\"x\")\r\nVP")
    r = next(r for r in rank_world(World([org]), MODEL, SCENARIOS[0].profile, Ranking(), today))
    text = r.why_now + " ".join(b["text"] for b in r.brief)
    assert "\n" not in text and "\r" not in text
    assert "<class" not in text  # attribute values are not re-formatted
