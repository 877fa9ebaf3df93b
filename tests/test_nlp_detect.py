"""The detector on sentences written for these tests: subjects, attributes, hedges, negatives."""
from typing import Any

import pytest

from radar.extract import with_targets
from radar.nlp.candidates import Candidate
from radar.nlp.detect import Detector


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector()  # the spaCy model loads once per process (model.load_pipeline is cached)


def detect(detector: Detector, text: str, title: str | None = None) -> list[Candidate]:
    return next(detector.detect([(text, title)]))


def only(cands: list[Candidate], type_: str) -> list[Candidate]:
    return [c for c in cands if c.type == type_]


def one(cands: list[Candidate], type_: str) -> Candidate:
    found = only(cands, type_)
    assert len(found) == 1, [(c.type, c.org) for c in cands]
    return found[0]


def test_funding_subject_is_the_company_not_the_lead_investor(detector: Detector) -> None:
    c = one(detect(detector, "Acme raised $20M in a round led by Northwind Ventures."), "funding")
    assert c.org == "Acme"
    assert c.attributes["lead_investor"] == "Northwind Ventures"
    assert c.attributes["amount"] == 20_000_000 and c.attributes["currency"] == "USD"
    assert "Northwind Ventures" in c.attributes["investors"]
    assert c.evidence.startswith("Acme raised")


def test_funding_in_passive_voice_and_foreign_currency(detector: Detector) -> None:
    c = one(detect(detector, "A €12 million Series B has been raised by Ostrava Robotics, "
                             "with Quayside Capital leading the round."), "funding")
    assert (c.org, c.subtype, c.attributes["currency"], c.attributes["amount"]) == (
        "Ostrava Robotics", "series_b", "EUR", 12_000_000)
    assert c.attributes["lead_investor"] == "Quayside Capital"


def test_investor_led_round_in_a_company(detector: Detector) -> None:
    c = one(detect(detector, "Harrowgate Partners has led a $7 million seed round in Pinecone Dental, "
                             "a maker of 3D-printed aligners."), "funding")
    assert c.org == "Pinecone Dental"
    assert c.subtype == "seed"


def test_a_vc_fund_close_is_not_a_company_round(detector: Detector) -> None:
    assert not only(detect(detector, "Harrowgate Partners closed its $300 million Fund III, its largest fund to date."),
                    "funding")


def test_investors_in_the_next_sentence_complete_the_round(detector: Detector) -> None:
    text = ("Tallis Bio raised $30 million in a Series A. "
            "Greyfield Capital led the round, joined by Orchard Lane Ventures.")
    c = one(detect(detector, text), "funding")
    assert c.org == "Tallis Bio"
    assert c.attributes["lead_investor"] == "Greyfield Capital"
    assert set(c.attributes["investors"]) >= {"Greyfield Capital", "Orchard Lane Ventures"}


@pytest.mark.parametrize("text", [
    "Brindle Pay is said to be in talks to raise $50 million, according to people familiar with the matter.",
    "Brindle Pay may raise a Series C next year, its chief executive said.",
    "Brindle Pay denied reports that it had raised $50 million.",
])
def test_speculation_and_denial_yield_no_funding(detector: Detector, text: str) -> None:
    assert not only(detect(detector, text), "funding")


def test_appointment_with_title_function_and_seniority(detector: Detector) -> None:
    c = one(detect(detector, "Lumenfield Analytics has appointed Grace Obi as Vice President of Engineering."),
            "leadership_change")
    assert (c.org, c.subtype) == ("Lumenfield Analytics", "appointed")
    assert c.attributes["person"] == "Grace Obi"
    assert c.attributes["title"] == "Vice President of Engineering"
    assert (c.attributes["function"], c.attributes["seniority"]) == ("engineering", "vp")


def test_departure_and_promotion(detector: Detector) -> None:
    c = one(detect(detector, "Corbel Freight said its Chief Financial Officer, Ian Marsh, will step down in June."),
            "leadership_change")
    assert (c.org, c.subtype, c.attributes["person"]) == ("Corbel Freight", "departed", "Ian Marsh")
    assert (c.attributes["function"], c.attributes["seniority"]) == ("finance", "c_level")
    p = one(detect(detector, "Keisha Grant has been promoted to Head of Design at Oriel Studios."), "leadership_change")
    assert (p.org, p.subtype, p.attributes["seniority"]) == ("Oriel Studios", "promoted", "head")


def test_an_executive_quoted_is_not_a_leadership_change(detector: Detector) -> None:
    text = '"Demand is strong," said Priya Raman, chief executive of Corbel Freight, at an industry dinner in Chicago.'
    assert not only(detect(detector, text), "leadership_change")


def test_previous_employer_is_not_the_subject(detector: Detector) -> None:
    c = one(detect(detector, "Halcyon Grid hired Tom Reyes, formerly of Westbury Energy, as Chief Operating Officer."),
            "leadership_change")
    assert c.org == "Halcyon Grid"


def test_search_mandate_with_firm(detector: Detector) -> None:
    c = one(detect(detector, "Corbel Freight has retained Ashdown Search Partners "
                             "to find a new Chief Technology Officer."), "search_mandate")
    assert c.org == "Corbel Freight"
    assert c.attributes["search_firm"] == "Ashdown Search Partners"
    assert c.attributes["role"] == "Chief Technology Officer"


def test_acquisition_gives_a_signal_to_each_side(detector: Detector) -> None:
    """The detector reports the acquirer (the guide's signal); storage adds the target's side."""
    found = detect(detector, "Marrow Health has agreed to acquire Tinsel Labs for $80 million in cash.")
    assert [c.org for c in only(found, "acquisition")] == ["Marrow Health"]
    cands = only(with_targets(found), "acquisition")
    by_side = {c.subtype: c for c in cands}
    assert by_side["acquirer"].org == "Marrow Health" and by_side["acquirer"].attributes["target"] == "Tinsel Labs"
    assert by_side["target"].org == "Tinsel Labs" and by_side["target"].attributes["acquirer"] == "Marrow Health"


def test_passive_acquisition_and_called_off_deal(detector: Detector) -> None:
    cands = only(with_targets(detect(detector, "Tinsel Labs was acquired by Marrow Health on Monday.")), "acquisition")
    assert {(c.subtype, c.org) for c in cands} == {("acquirer", "Marrow Health"), ("target", "Tinsel Labs")}
    assert not only(detect(detector, "Marrow Health's planned acquisition of Tinsel Labs was called off on Friday."),
                    "acquisition")


def test_ipo_filing_with_exchange(detector: Detector) -> None:
    c = one(detect(detector, "Quillmark Software filed for an initial public offering and plans to list on the "
                             "Nasdaq Global Select Market."), "ipo")
    assert (c.org, c.subtype) == ("Quillmark Software", "filing")
    assert c.attributes["exchange"] == "Nasdaq Global Select Market"


def test_product_launch_but_not_a_campaign(detector: Detector) -> None:
    c = one(detect(detector, "Quillmark Software launched Inkwell, a code-review assistant for small teams."),
            "product_launch")
    assert (c.org, c.attributes["product"]) == ("Quillmark Software", "Inkwell")
    assert not only(detect(detector, "Quillmark Software launched an advertising campaign, "
                                     "Write Better, in five cities."), "product_launch")


def test_partnership_and_customer_win(detector: Detector) -> None:
    c = one(detect(detector, "Tessera Grid has signed a supply agreement with Nordwall Steel."), "partnership")
    assert (c.org, c.attributes["partner"]) == ("Tessera Grid", "Nordwall Steel")
    w = one(detect(detector, "Riverton Bank has selected Paylark to run its merchant payments."), "partnership")
    assert (w.org, w.subtype, w.attributes["partner"]) == ("Paylark", "customer_win", "Riverton Bank")


def test_expansion_hiring_and_layoffs(detector: Detector) -> None:
    e = one(detect(detector, "Paylark has opened a new office in Lisbon."), "expansion")
    assert (e.org, e.subtype, e.attributes["location"]) == ("Paylark", "new_office", "Lisbon")
    h = one(detect(detector, "Paylark plans to hire 120 engineers in Lisbon over the next year."), "hiring_surge")
    assert (h.org, h.attributes["number"], h.attributes["functions"], h.attributes["locations"]) == (
        "Paylark", 120, ["engineering"], ["Lisbon"])
    lay = one(detect(detector, "Corbel Freight will cut 300 jobs, or 8% of its workforce."), "layoffs")
    assert (lay.org, lay.attributes["number"], lay.attributes["percent"]) == ("Corbel Freight", 300, 8)


@pytest.mark.parametrize("text", [
    "Corbel Freight has no plans to cut jobs this year, its chief executive said.",
    "Corbel Freight, which cut 200 jobs last year, reported higher quarterly revenue.",
    "Tech employers announced 40,000 job cuts in March, according to a monthly survey.",
    "The weather in Lisbon was sunny on Tuesday.",
])
def test_negatives_yield_nothing(detector: Detector, text: str) -> None:
    assert detect(detector, text) == []


def test_the_company_refers_back_to_the_subject(detector: Detector) -> None:
    text = "Paylark raised $15 million in a Series A. The company also opened an office in Madrid."
    e = one(detect(detector, text), "expansion")
    assert e.org == "Paylark"


def test_results_keep_input_order_and_empty_inputs(detector: Detector) -> None:
    texts: list[tuple[str, Any]] = [("", None), ("Paylark has opened a new office in Lisbon.", None),
                                    ("Nothing here.", None)] * 30
    results = list(detector.detect(texts))
    assert len(results) == 90
    assert [bool(r) for r in results[:3]] == [False, True, False]
    assert all(bool(results[i]) == (i % 3 == 1) for i in range(90))


def test_hostile_text_is_kept_as_plain_data(detector: Detector) -> None:
    text = "Acme <script>alert(1)</script> Robotics raised $5 million in a seed round'); DROP TABLE signal;--"
    for c in detect(detector, text):
        assert c.evidence in text  # evidence is the sentence itself; escaping happens where it is rendered


def test_the_amount_belongs_to_the_round_not_to_a_fund_beside_it(detector: Detector) -> None:
    text = ("Harbor Peak Ventures, which closed a $500 million fund last month, "
            "led a $25 million Series A in Tallis Bio.")
    c = one(detect(detector, text), "funding")
    assert (c.org, c.attributes["amount"], c.attributes["round"]) == ("Tallis Bio", 25_000_000, "series_a")


def test_a_person_the_document_names_is_never_the_organization(detector: Detector) -> None:
    text = ("Siemens named Klaus Kleinfeld chief executive on Monday. Klaus Kleinfeld announced the acquisition "
            "of Orbit Networks.")
    orgs = {c.org for c in detect(detector, text)}
    assert "Klaus Kleinfeld" not in orgs
