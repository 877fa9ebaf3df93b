"""Grounding's name cleaning: a reader's name, not the words a sentence wrapped around it."""
import pytest

from radar.nlp.grounding import buyer_of_sale, clean_org


@pytest.mark.parametrize(("raw", "name"), [
    ("Californian AMD", "AMD"),
    ("Swiss Novartis", "Novartis"),
    ("United Kingdom Corus Group", "Corus Group"),
    ("Board of Directors of Aarons, Inc.", "Aarons, Inc."),
    # the place word is the name's own when what follows means nothing alone
    ("American Airlines", "American Airlines"),
    ("British Airways", "British Airways"),
    ("American Express", "American Express"),
    ("New Zealand Post", "New Zealand Post"),
])
def test_clean_org(raw: str, name: str) -> None:
    assert clean_org(raw) == name


@pytest.mark.parametrize(("sentence", "seller", "named", "buyer"), [
    ("Agilent completed the sale of its camera module business to Flextronics.", "Agilent", ["Agilent"],
     "Flextronics"),  # the small model tags Flextronics as a nationality: the words after "to" still name it
    ("MG Rover has been sold to Chinese company Nanjing Automobile.", "MG Rover", ["MG Rover", "Nanjing Automobile"],
     "Nanjing Automobile"),
    ("Acme sold its stake to Chinese investors.", "Acme", ["Acme"], None),
    ("Acme bought Beta Labs.", "Acme", ["Acme", "Beta Labs"], None),
])
def test_the_buyer_of_a_sale(sentence: str, seller: str, named: list[str], buyer: str | None) -> None:
    assert buyer_of_sale(sentence, seller, named) == buyer
