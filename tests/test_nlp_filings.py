"""SEC filings: Item 5.02 of real 8-K filings (../shared/corpus/events) and Form D notices."""
import json
from pathlib import Path
from typing import Any

import pytest

from radar.nlp.candidates import Candidate
from radar.nlp.detect import Detector
from radar.nlp.filings import form_d_candidate, item_number, parse_8k
from tests.conftest import corpus_or_skip

# Our own annotation of the 5.02 filings (the corpus labels only the item): who, which title,
# which direction. Compensation-only filings name the officer whose arrangement is reported:
# by SIGNALS-GUIDE.md pay and contract changes alone are no leadership change, so these must
# yield none.
EXPECTED_502 = {
    "edgar8k:0000019617-26-000241": [("Doug Petno", "Co-President", "appointed"), ("Marianne Lake", "CEO", "departed")],
    "edgar8k:0000072333-23-000015": [("Erik B. Nordstrom", "Chief Executive Officer", "compensation")],
    "edgar8k:0000943374-24-000509": [("David Ball", "President and Chief Executive Officer", "compensation")],
    "edgar8k:0000950137-05-004969": [("Thomas J. Ridge", "Class I director", "appointed")],
    "edgar8k:0001045810-26-000024": [("Jen-Hsun Huang", "President and Chief Executive Officer", "compensation")],
    "edgar8k:0001193125-23-048785": [("Martin Small", "Chief Financial Officer", "appointed"),
                                     ("Gary S. Shedlin", "Chief Financial Officer", "departed")],
    "edgar8k:0001493152-25-001317": [("Jan H. Loeb", "President and CEO", "compensation")],
    "edgar8k:0001628280-25-058337": [("Dina Powell McCormick", "member of the Board of Directors", "departed")],
    "edgar8k:afcgamma_2023-03-17_8-K.html": [("Brett Kaufman", "Chief Financial Officer and Treasurer", "departed"),
                                             ("Brandon Hetzel", "Chief Financial Officer and Treasurer", "appointed")],
}


@pytest.fixture(scope="module")
def filings_8k() -> list[dict[str, Any]]:
    path = corpus_or_skip() / "events" / "edgar_8k_items.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def detected(filings_8k: list[dict[str, Any]]) -> dict[str, list[Candidate]]:
    detector = Detector()
    return {r["id"]: cands
            for r, cands in zip(filings_8k, detector.detect((r["text"], None) for r in filings_8k), strict=True)}


def _changes(filing_id: str) -> list[tuple[str, str, str]]:
    return [e for e in EXPECTED_502.get(filing_id, []) if e[2] != "compensation"]


def test_item_502_detection_f1(filings_8k: list[dict[str, Any]], detected: dict[str, list[Candidate]]) -> None:
    tp = fp = fn = 0
    for r in filings_8k:
        gold = bool(_changes(r["id"]))
        found = any(c.type == "leadership_change" for c in detected[r["id"]])
        tp += gold and found
        fp += found and not gold
        fn += gold and not found
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert tp == sum(1 for k in EXPECTED_502 if _changes(k))
    assert f1 >= 0.95, (tp, fp, fn)


def test_a_502_that_only_changes_pay_is_no_leadership_change(detected: dict[str, list[Candidate]]) -> None:
    pay_only = [k for k, v in EXPECTED_502.items() if v and not _changes(k)]
    assert pay_only
    for k in pay_only:
        assert not [c for c in detected[k] if c.type == "leadership_change"], k


@pytest.mark.parametrize("filing_id", sorted(k for k in EXPECTED_502 if _changes(k)))
def test_item_502_person_title_and_direction(filing_id: str, detected: dict[str, list[Candidate]]) -> None:
    got = {(c.attributes.get("person"), str(c.attributes.get("title")).lower(), c.subtype)
           for c in detected[filing_id] if c.type == "leadership_change"}
    for person, title, direction in _changes(filing_id):
        assert (person, title.lower(), direction) in got, got


def test_registrant_is_the_subject(detected: dict[str, list[Candidate]]) -> None:
    orgs = {c.org for c in detected["edgar8k:0001193125-23-048785"]}
    assert orgs == {"BlackRock, Inc."}


def test_stored_8k_metadata_marks_the_item_without_a_cover_page() -> None:
    text = ("Item 5.02 Departure of Directors or Certain Officers. On May 1, 2026, Rowan Ledger Corp. appointed "
            "Ana Silva as Chief Financial Officer.")
    filing = parse_8k(text, {"form": "8-K", "items": ["5.02"], "company": "Rowan Ledger Corp."})
    assert filing is not None and filing.registrant == "Rowan Ledger Corp." and "5.02" in filing.sections
    cands = next(Detector().detect([(text, None, {"kind": "8-K", "form": "8-K", "items": ["5.02"],
                                                  "company": "Rowan Ledger Corp."})]))
    lc = [c for c in cands if c.type == "leadership_change"]
    assert [(c.org, c.attributes["person"], c.attributes["title"], c.subtype) for c in lc] == [
        ("Rowan Ledger Corp.", "Ana Silva", "Chief Financial Officer", "appointed")]


@pytest.mark.parametrize(("declared", "number"), [
    ("5.02", "5.02"), ("Item 2.05", "2.05"),
    ("Departure of Directors or Certain Officers; Election of Directors; Appointment of Certain Officers", "5.02"),
    ("Cost Associated with Exit or Disposal Activities", "2.05"),
    ("Entry into a Material Definitive Agreement", "1.01"),
    ("Something the form does not list", None),
])
def test_declared_items_by_number_or_by_title(declared: str, number: str | None) -> None:
    # EDGAR's index lists an 8-K's items by title; the text's headings give numbers.
    assert item_number(declared) == number
    filing = parse_8k("Other Events. The company moved.", {"form": "8-K", "items": [declared]})
    assert filing is not None and filing.items == ([number] if number else [])


def _as_meta(record: dict[str, Any]) -> dict[str, Any]:
    """The shape the ingestion stores (Document.meta["formd"]) from a corpus record."""
    return {"issuer": record["org"], "cik": record["cik"], "industry_group": record["industry_group"],
            "total_offering": record["total_offering_amount"], "amount_sold": record["total_amount_sold"],
            "date_first_sale": record["date_of_first_sale"], "related_persons": record["related_persons"]}


def test_form_d_offerings_become_funding_and_funds_do_not() -> None:
    path = corpus_or_skip() / "events" / "edgar_formd_offerings.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_org = {r["org"]: form_d_candidate(_as_meta(r)) for r in records}
    shepherd = by_org["Shepherd's Finance, LLC"]
    assert shepherd is not None and shepherd.type == "funding"
    assert shepherd.attributes["amount"] == 5_725_051 and shepherd.attributes["total_offering"] == 8_000_000
    assert shepherd.attributes["date_first_sale"] == "2017-03-16"
    funds = [r["org"] for r in records if r["industry_group"] == "Pooled Investment Fund"]
    assert funds and all(by_org[f] is None for f in funds)


def test_form_d_with_unreadable_amounts_keeps_the_signal_without_them() -> None:
    c = form_d_candidate({"issuer": "Quarry Row Bio, Inc.", "amount_sold": "Indefinite", "total_offering": None,
                          "industry_group": "Biotechnology"})
    assert c is not None and c.attributes["amount"] is None and c.confidence < 0.9
    assert form_d_candidate({"issuer": ""}) is None


def test_corpus_texts_are_not_copied_into_the_repo() -> None:
    root = Path(__file__).resolve().parents[1]
    for path in (root / "tests").rglob("*"):
        if path.is_file() and path.suffix in (".jsonl", ".json", ".htm", ".html", ".txt"):
            assert "JPMorganChase" not in path.read_text(encoding="utf-8", errors="ignore")
