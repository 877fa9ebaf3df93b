"""Grounding's name cleaning: a reader's name, not the words a sentence wrapped around it."""
import pytest

from radar.nlp.grounding import clean_org


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
