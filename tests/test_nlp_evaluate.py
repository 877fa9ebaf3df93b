"""Scoring by the issue's measure: (type, organization) pairs per document."""
from radar.nlp.candidates import Candidate
from radar.nlp.evaluate import Gold, Report, score_record


def _lead(org: str) -> Candidate:
    return Candidate("leadership_change", org, None, 0.9, "evidence", {})


def test_two_labelled_appointments_at_one_company_are_one_pair() -> None:
    report = Report()
    gold = [Gold("leadership_change", "Agilent Technologies"), Gold("leadership_change", "Agilent")]
    score_record(report, "doc", gold, [_lead("Agilent Technologies, Inc.")])
    s = report.per_type["leadership_change"]
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)


def test_two_companies_are_two_pairs_and_a_missing_one_is_missed() -> None:
    report = Report()
    gold = [Gold("leadership_change", "Alcoa"), Gold("leadership_change", "Skype")]
    score_record(report, "doc", gold, [_lead("Alcoa"), _lead("Reuters")])
    s = report.per_type["leadership_change"]
    assert (s.tp, s.fp, s.fn) == (1, 1, 1)
