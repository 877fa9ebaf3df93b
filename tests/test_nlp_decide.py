"""The decision's features: what a reading of an 8-K says beyond its sentence."""
from radar.nlp.candidates import Candidate
from radar.nlp.decide import aggregate
from radar.nlp.detect import Proposal
from radar.nlp.filings import parse_8k


def _reading(type_: str, org: str) -> Proposal:
    return Proposal(Candidate(type_, org, evidence="The Company completed the acquisition of Beta."), p=0.6,
                    ratio=2.0, rule=True, subj=True, only=True, coref=True, ner_org=False, ner_other=False, index=3)


def test_filer_items_and_earnings_release_are_features() -> None:
    text = "Item 2.01 Completion of Acquisition. The Company completed the acquisition of Beta Labs."
    filing = parse_8k(text, {"form": "8-K", "items": ["Results of Operations and Financial Condition"],
                             "company": "ACME HOLDINGS INC /DE/"})
    assert filing is not None and filing.items == ["2.01", "2.02"]
    rows = aggregate([_reading("acquisition", "Acme Holdings"), _reading("layoffs", "Beta Labs")], "", text,
                     filing=filing)
    feats = {r.cand.type: r.features for r in rows}
    assert feats["acquisition"]["filer"] == 1.0 and feats["acquisition"]["item"] == 1.0
    assert feats["layoffs"]["filer"] == 0.0 and feats["layoffs"]["item"] == 0.0  # no 2.05 declared
    assert feats["acquisition"]["results"] == feats["layoffs"]["results"] == 1.0


def test_news_has_no_filing_features() -> None:
    rows = aggregate([_reading("acquisition", "Acme")], "Acme buys Beta", "Acme bought Beta.")
    assert {k: rows[0].features[k] for k in ("filing", "filer", "item", "results")} == dict.fromkeys(
        ("filing", "filer", "item", "results"), 0.0)
