"""Common newswire phrasings of each signal type (written for these tests): the detector must
cover verb classes, voice and headline style, not one wording per type. The phrasings are
fictional sentences of the team's, so they measure no quality on real news (the real test
split does, tests/test_nlp_quality_gate.py): they are a regression suite, with a floor on
the share read right, and the misses listed when it falls."""
import tomllib
from pathlib import Path

import pytest

from radar.entities.normalize import normalize_name
from radar.nlp.detect import Detector

FLOORS = tomllib.loads((Path(__file__).parent / "quality" / "nlp_floors.toml").read_text(encoding="utf-8"))

CASES = [
    # expansion
    ("Paylark is expanding into Brazil with a new office in Sao Paulo.", "expansion", "Paylark"),
    ("Kiteworks Energy will open a manufacturing plant in Ohio next year.", "expansion", "Kiteworks Energy"),
    ("Dunmore Foods has launched in Canada, its first market outside the United States.", "expansion", "Dunmore Foods"),
    ("Ferro Logistics announced plans to build a $200 million distribution hub near Dallas.", "expansion",
     "Ferro Logistics"),
    ("Corbel Freight opened its European headquarters in Amsterdam on Monday.", "expansion", "Corbel Freight"),
    ("Larch Motors broke ground on a new battery plant in Georgia.", "expansion", "Larch Motors"),
    ("Glimmer AI is setting up a research lab in London.", "expansion", "Glimmer AI"),
    ("Kiteworks Energy picked Kentucky for its second battery plant.", "expansion", "Kiteworks Energy"),
    ("Paylark is opening branches in Ireland for the first time.", "expansion", "Paylark"),
    ("Corbel Freight will relocate its headquarters to Atlanta.", "expansion", "Corbel Freight"),
    # acquisition
    ("Marrow Health will buy Tinsel Labs for $80 million.", "acquisition", "Marrow Health"),
    ("Marrow Health completed the acquisition of Tinsel Labs.", "acquisition", "Marrow Health"),
    ("Marrow Health announced it has acquired Tinsel Labs, a maker of lab software.", "acquisition", "Marrow Health"),
    ("Tinsel Labs agreed to be acquired by Marrow Health.", "acquisition", "Marrow Health"),
    ("Marrow Health snapped up Tinsel Labs for an undisclosed sum.", "acquisition", "Marrow Health"),
    ("Marrow Health to buy Tinsel Labs in $80 million deal", "acquisition", "Marrow Health"),
    ("Marrow Health has struck a deal to acquire Tinsel Labs.", "acquisition", "Marrow Health"),
    ("Marrow Health said on Tuesday that it would acquire Tinsel Labs.", "acquisition", "Marrow Health"),
    ("Gorse Capital has bought a majority stake in Tinsel Labs.", "acquisition", "Gorse Capital"),
    ("The acquisition of Tinsel Labs by Marrow Health closed on Friday.", "acquisition", "Marrow Health"),
    ("Marrow Health nabs lab-software startup Tinsel Labs", "acquisition", "Marrow Health"),
    ("Marrow Health will pay $80 million for Tinsel Labs.", "acquisition", "Marrow Health"),
    ("Tinsel Labs agreed to sell itself to Marrow Health.", "acquisition", "Marrow Health"),
    ("Marrow Health has completed its previously announced acquisition of Tinsel Labs.", "acquisition",
     "Marrow Health"),
    ("Marrow Health has acquired Tinsel Labs and Quire Data.", "acquisition", "Marrow Health"),
    ("Marrow Health, which agreed to buy Tinsel Labs in March, said the deal would close soon.", "acquisition",
     "Marrow Health"),
    ("Marrow Health will acquire all outstanding shares of Tinsel Labs for $14 per share.", "acquisition",
     "Marrow Health"),
    # partnership
    ("Tessera Grid and Nordwall Steel announced a strategic partnership.", "partnership", "Nordwall Steel"),
    ("Tessera Grid partnered with Nordwall Steel to cut emissions at its mills.", "partnership", "Tessera Grid"),
    ("Tessera Grid has won a $40 million contract from Leeds City Council.", "partnership", "Tessera Grid"),
    ("Tessera Grid signed a multi-year deal with Nordwall Steel.", "partnership", "Tessera Grid"),
    ("Nordwall Steel has chosen Tessera Grid as its energy storage provider.", "partnership", "Tessera Grid"),
    ("Tessera Grid has been selected by Nordwall Steel to supply batteries for its mills.", "partnership",
     "Tessera Grid"),
    ("Tessera Grid teams up with Nordwall Steel on green steel", "partnership", "Tessera Grid"),
    ("Tessera Grid was awarded a $60 million contract by the city of Leeds.", "partnership", "Tessera Grid"),
    ("Tessera Grid lands supply deal with Nordwall Steel", "partnership", "Tessera Grid"),
    # product launch
    ("Quillmark Software today announced the launch of Inkwell, a code-review assistant.", "product_launch",
     "Quillmark Software"),
    ("Quillmark Software rolled out Inkwell 2.0 to all of its users.", "product_launch", "Quillmark Software"),
    ("Quillmark Software unveils Inkwell Pro for enterprise teams", "product_launch", "Quillmark Software"),
    ("Quillmark Software debuted Inkwell at its annual developer conference.", "product_launch", "Quillmark Software"),
    ("Quillmark Software released Inkwell 3, its most capable assistant yet.", "product_launch", "Quillmark Software"),
    # search mandate
    ("Corbel Freight has begun a search for a new chief executive.", "search_mandate", "Corbel Freight"),
    ("Corbel Freight is looking for a new CFO after the departure of Ian Marsh.", "search_mandate", "Corbel Freight"),
    ("Corbel Freight has hired Ashdown Search Partners to find a successor to chief executive Ian Marsh.",
     "search_mandate", "Corbel Freight"),
    ("Corbel Freight said it would launch a search for a permanent CEO.", "search_mandate", "Corbel Freight"),
    ("Corbel Freight has tapped headhunter Ashdown Search to recruit a new CEO.", "search_mandate", "Corbel Freight"),
    ("Corbel Freight said it has engaged executive search firm Ashdown Partners to identify a new CFO.",
     "search_mandate", "Corbel Freight"),
    ("Corbel Freight is on the hunt for a chief marketing officer.", "search_mandate", "Corbel Freight"),
    # leadership change
    ("Corbel Freight named Priya Raman its new chief executive.", "leadership_change", "Corbel Freight"),
    ("Priya Raman will join Corbel Freight as Chief Operating Officer in May.", "leadership_change", "Corbel Freight"),
    ("Ian Marsh, the chief executive of Corbel Freight, resigned on Monday.", "leadership_change", "Corbel Freight"),
    ("Corbel Freight announced that Priya Raman has been appointed Chief Revenue Officer.", "leadership_change",
     "Corbel Freight"),
    ("Priya Raman has been named president of Corbel Freight.", "leadership_change", "Corbel Freight"),
    ("Corbel Freight's chief financial officer Ian Marsh is retiring after 12 years.", "leadership_change",
     "Corbel Freight"),
    # funding
    ("Paylark has secured $25 million in Series B funding from Greyfield Capital.", "funding", "Paylark"),
    ("Paylark bags $8M seed round to expand its payments API", "funding", "Paylark"),
    ("Greyfield Capital invested $10 million in Paylark's Series A.", "funding", "Paylark"),
    ("Paylark, a London payments startup, announced a $25 million Series B on Tuesday.", "funding", "Paylark"),
    # hiring, layoffs, ipo
    ("Paylark will add 300 jobs in Manchester over the next two years.", "hiring_surge", "Paylark"),
    ("Paylark is laying off 120 employees as it restructures its sales team.", "layoffs", "Paylark"),
    ("Paylark plans to eliminate 10% of its workforce.", "layoffs", "Paylark"),
    ("Paylark priced its IPO at $18 a share on the New York Stock Exchange.", "ipo", "Paylark"),
    ("Paylark shares surged 40% in their trading debut on the Nasdaq.", "ipo", "Paylark"),
]


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector()


def test_phrasings_are_detected_for_their_subject(detector: Detector) -> None:
    """The acquirer carries an acquisition (the target's side is added when signals are stored)."""
    found = detector.detect([(text, None) for text, _, _ in CASES])
    misses = []
    for (text, type_, org), cands in zip(CASES, found, strict=True):
        if normalize_name(org) not in {normalize_name(c.org) for c in cands if c.type == type_}:
            misses.append((text, [(c.type, c.org) for c in cands]))
    share = 1 - len(misses) / len(CASES)
    assert share >= FLOORS["phrasings"]["share"], misses


@pytest.mark.parametrize("text, amount, currency", [
    ("Northwind Ledger lands $42M Series B led by Harbor Peak Ventures", 42_000_000, "USD"),
    ("Brisa Health raised $1.5B in growth funding.", 1_500_000_000, "USD"),
    ("Fennel Robotics secures €8m seed round", 8_000_000, "EUR"),
    ("Oakline Pay raised $600K from angel investors.", 600_000, "USD"),
])
def test_funding_amount_keeps_its_scale_suffix(detector: Detector, text: str, amount: float, currency: str) -> None:
    (found,) = [c for c in next(detector.detect([(text, None)])) if c.type == "funding"]
    assert found.attributes["amount"] == amount and found.attributes["currency"] == currency
