"""The digest reads as written English: no doubled words, singular units, a "bring" list
that follows what each organization's news is about, one evidence line per sentence naming
its people, and a score bar as wide as its score in a real browser."""
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from radar.digest.html import render_html
from radar.digest.markdown import markdown_from_view
from radar.digest.text import render_text
from radar.digest.view import build_view
from radar.rank.brief import build_brief
from radar.rank.needs import load_needs
from radar.rank.phrases import fill, text_values
from radar.rank.pipeline import rank_world
from radar.rank.score import Contribution, OrgView, Ranked, SignalView
from radar.settings import Profile, Ranking
from tests.rank_helpers import scenarios, world

MODEL = load_needs()
# "the the", "in the in the", and the gaps an empty function name leaves ("a plan for after").
DOUBLED = re.compile(r"\b(\w+(?: \w+)?) \1\b|\b(for after|where could|grow at a|in in)\b", re.I)
TODAY = date(2026, 11, 26)


def _lines(r: Ranked) -> list[str]:
    return [r.why_now] + [b["text"] for b in r.brief]


def test_no_doubled_words_and_no_one_months_in_any_scenario() -> None:
    for sc in scenarios():
        w, today = world()
        for r in rank_world(w, MODEL, sc.profile, Ranking(), today, limit=15):
            for line in _lines(r):
                assert not DOUBLED.search(line), (sc.name, r.org.name, line)
                assert not re.search(r"\b1 months\b", line), (sc.name, r.org.name, line)


@pytest.mark.parametrize("function", ["executive", None])
def test_every_template_reads_without_a_function(function: str | None) -> None:
    # A new CEO's signal (function "executive") for a profile with no function of its own:
    # nothing to put where a template names the function.
    sig = SignalView(1, "leadership_change", "appointed", TODAY, 0.9, "x", {}, None)
    facts = {"person": "Dana Reyes", "title": "CEO", "function": function} if function else {"person": "Dana Reyes"}
    values = text_values(sig, facts, Profile(), "Acme", 30.0)
    for type_model in MODEL.values():
        for rule in type_model.rules:
            for template in (rule.why, rule.problem, rule.show):
                text = fill(template, values)
                assert not DOUBLED.search(text), (template, text)
                assert "1 months" not in text, text


def _appointment(i: int, person: str, title: str, evidence: str) -> SignalView:
    return SignalView(i, "leadership_change", "appointed", TODAY - timedelta(days=3), 0.9, evidence,
                      {"person": person, "title": title, "function": "engineering", "seniority": "vp"},
                      "https://news.example.com/people")


def _ranked(org: str, signals: list[SignalView], texts: list[str]) -> Ranked:
    view = OrgView(len(org), org, [], signals=signals)
    view.texts = texts
    rule = MODEL["leadership_change"].rules[0]
    contributions = [Contribution(s, 1.0, {}, rule=rule, facts=dict(s.attributes), lead_days=30.0) for s in signals]
    return Ranked(view, float(len(signals)), {}, contributions)


def test_bring_lists_only_the_skills_an_organizations_news_is_about() -> None:
    profile = Profile(functions=["engineering"], skills=["payments", "machine learning infrastructure", "security"])
    pay = _ranked("Paylane", [_appointment(1, "Ann Lee", "VP of Engineering",
                                           "Paylane, the payments network, appointed Ann Lee as VP of Engineering.")],
                  ["payments for marketplaces"])
    ml = _ranked("Tensorly", [_appointment(2, "Bo Chen", "VP of Engineering",
                                           "Tensorly named Bo Chen VP of Engineering to scale its machine learning "
                                           "infrastructure.")], [])
    plain = _ranked("Quietco", [_appointment(3, "Cy Park", "VP of Engineering",
                                             "Quietco appointed Cy Park as VP of Engineering.")], [])
    shows = {r.org.name: next(b["text"] for b in build_brief(r, profile) if b["text"].startswith("Show:"))
             for r in (pay, ml, plain)}
    assert shows["Paylane"].endswith("(bring: payments)")
    assert shows["Tensorly"].endswith("(bring: machine learning infrastructure)")
    assert "bring:" not in shows["Quietco"]  # nothing in its news matches a skill: no made-up list


def test_one_evidence_line_per_sentence_naming_each_person() -> None:
    sentence = "Acme appointed Ann Lee as Chief Financial Officer and Bo Chen as Chief Technology Officer."
    r = _ranked("Acme", [_appointment(1, "Ann Lee", "Chief Financial Officer", sentence),
                         _appointment(2, "Bo Chen", "Chief Technology Officer", sentence)], [])
    view = build_view([r], TODAY)
    (item,) = view.items
    assert len(item.evidence) == 1
    assert "Ann Lee" in item.evidence[0].kind and "Bo Chen" in item.evidence[0].kind
    for rendered in (markdown_from_view(view, "radar digest"), render_text(view, "radar digest"), render_html(view)):
        text = " ".join(rendered.split())  # the plain-text part wraps its lines
        assert text.count("Chief Financial Officer and Bo Chen") == 1
        assert "Ann Lee" in text and "Bo Chen" in text


def test_score_bar_cells_follow_the_score(tmp_path: object) -> None:
    r = _ranked("Acme", [_appointment(1, "Ann Lee", "VP of Engineering", "Acme appointed Ann Lee.")], [])
    zero = replace(r, org=OrgView(99, "Zero Inc", [], signals=r.org.signals), score=0.0)
    view = build_view([r, zero], TODAY)
    assert [i.bar for i in view.items] == [1.0, 0.0]
    for email in (True, False):
        html = render_html(view, email=email)
        assert 'width="0%"' not in html  # a 0% cell is drawn half the track wide by Chromium
