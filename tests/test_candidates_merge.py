"""Merging two reports' attributes: gaps filled, lists joined, known values kept."""
from radar.nlp.candidates import Candidate, merge_attributes
from radar.nlp.detect import merge


def test_gaps_filled_and_lists_joined() -> None:
    kept = {"round": "unknown", "amount": 5e6, "investors": ["Alpha"], "lead_investor": None}
    other = {"round": "series_a", "amount": 9e6, "investors": ["Beta", "Alpha"], "lead_investor": "",
             "currency": "USD"}
    assert merge_attributes(kept, other) == {"round": "series_a", "amount": 5e6, "investors": ["Alpha", "Beta"],
                                             "lead_investor": None, "currency": "USD"}
    assert kept["round"] == "unknown"  # the inputs are left as they were


def test_within_a_document_the_detector_merges_alike() -> None:
    # nlp.detect keeps its own loop (signals work); the two must not drift apart.
    a = Candidate("funding", "Acme", "series_a", 0.9, "Acme raised $5M.", {"amount": 5e6, "investors": ["Alpha"]})
    b = Candidate("funding", "Acme", "series_a", 0.5, "Acme, backed by Beta...",
                  {"amount": None, "investors": ["Beta"], "currency": "USD"})
    expected = merge_attributes(dict(a.attributes), dict(b.attributes))
    (merged,) = merge([a, b])
    assert merged.attributes == expected
