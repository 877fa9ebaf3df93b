"""Grounding and hedges: a reader's name, not the words a sentence wrapped around it;
no event where others only expect one."""
import pytest

from radar.nlp.grounding import buyer_of_sale, clean_org, conjoined, is_generic
from radar.nlp.hedges import strong_hedge


@pytest.mark.parametrize(("raw", "name"), [
    ("Californian AMD", "AMD"),
    ("Swiss Novartis", "Novartis"),
    ("United Kingdom Corus Group", "Corus Group"),
    ("Board of Directors of Aarons, Inc.", "Aarons, Inc."),
    ("New Zealand's Rank Group Limited", "Rank Group Limited"),
    ("Macy's Inc.", "Macy's Inc."),
    # the place word is the name's own when what follows means nothing alone
    ("American Airlines", "American Airlines"),
    ("British Airways", "British Airways"),
    ("American Express", "American Express"),
    ("New Zealand Post", "New Zealand Post"),
    ("Irish Stock Exchange", "Irish Stock Exchange"),  # every word after the place means nothing alone
    ("Asset Purchase Agreement, JDSU", "JDSU"),  # a filing's term run into the name after it
    ("Agilent Technologies, Inc.", "Agilent Technologies, Inc."),
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


@pytest.mark.parametrize(("sentence", "hedged"), [
    ("BP CEO Tony Hayward to resign, say analysts", True),
    ("Analysts expect Acme to cut 300 jobs next year.", True),
    ("Acme cut 300 jobs on Monday.", False),
    ("Acme, which analysts rate highly, named Jane Doe chief executive.", False),
])
def test_what_others_expect_is_no_event(sentence: str, hedged: bool) -> None:
    assert strong_hedge(sentence) is hedged


@pytest.mark.parametrize("name", ["Asset Purchase Agreement", "Post-Closing Covenant", "UCC Search Listing Results",
                                  "Item 2.01 Completion of Acquisition or Disposition of Assets", "Chancellor", "MP",
                                  "Purchaser", "WiMAX Forum Taipei Showcase & Conference", "Paris Air Show"])
def test_parts_of_filings_and_roles_are_no_organizations(name: str) -> None:
    assert is_generic(name)


@pytest.mark.parametrize("name", ["Acme Holdings", "Rank Group Limited", "Agreement Capital Partners",
                                  "World Economic Forum", "Indian National Congress"])
def test_names_are_not_generic(name: str) -> None:
    assert not is_generic(name)


@pytest.mark.parametrize(("text", "heading"), [
    # headings and table labels of filings' exhibits: no subject, auxiliary or object, no closing mark
    ("Thousands of metric tons", True),
    ("Update on Growth Projects", True),
    ("Freshwater-Use Intensity", True),
    # sentences, whatever their length or punctuation
    ("Acme opens an office in Berlin", False),
    ("Dexia to extend into Southeastern Europe", False),
    ("The company cut 400 jobs.", False),
    ("Revenue rose 4 percent.", False),
])
def test_is_heading(text: str, heading: bool) -> None:
    from radar.nlp.model import load_pipeline
    from radar.nlp.syntax import is_heading

    assert is_heading(load_pipeline()(text)) is heading


@pytest.mark.parametrize(("name", "text", "parts"), [
    ("Alcatel and Lucent", "Alcatel and Lucent will merge. Alcatel shareholders get 0.19 shares per Lucent share.",
     ["Alcatel", "Lucent"]),
    ("XM and Sirius", "XM and Sirius announce merger deal. XM Satellite Radio and Sirius Satellite Radio said ...",
     ["XM", "Sirius"]),
    # one company's name: the document never names its parts alone
    ("Procter and Gamble", "Procter and Gamble will buy Gillette. Procter and Gamble said on Friday ...", []),
    ("Johnson & Johnson", "Johnson & Johnson cut 3,000 jobs; Johnson & Johnson said ...", []),
])
def test_conjoined(name: str, text: str, parts: list[str]) -> None:
    assert conjoined(name, text) == parts


@pytest.mark.parametrize(("text", "people"), [
    ("Klaus Kleinfeld, President and Chief Executive Officer, will review Alcoa's priorities.",
     {"Klaus Kleinfeld", "Kleinfeld"}),
    ("George W. Bush has nominated Goldman Sachs CEO Henry Paulson to succeed him.", {"Henry Paulson", "Paulson"}),
    ("Presidents Susilo Bambang Yudhoyono and President Thabo Mbeki of South Africa spoke. Mbeki signed.",
     {"Thabo Mbeki", "Mbeki"}),
    ("Byrraju Ramalinga Raju, founder and chairman of Satyam, resigned.", {"Byrraju Ramalinga Raju", "Raju"}),
    # an organization with a title beside it is still an organization
    ("Acme Robotics Inc., Chairman Jane Doe said.", {"Jane Doe", "Doe"}),
    ("Northwind Ledger Group, the CEO said on Monday.", set()),
    # a surname that is also a company's name stays the company's
    ("Bill Ford, chairman of Ford Motor, said Ford would cut jobs.", {"Bill Ford"}),
])
def test_titled_people(text: str, people: set[str]) -> None:
    from radar.nlp.grounding import titled_people

    assert titled_people(text) == people


@pytest.mark.parametrize(("name", "exchange"), [
    ("Australian Stock Exchange", True), ("London Stock Exchange", True), ("NYSE", True), ("Deutsche Börse", True),
    ("Snowy Hydro", False), ("Exchange Bank", False),
])
def test_is_exchange(name: str, exchange: bool) -> None:
    from radar.nlp.grounding import is_exchange

    assert is_exchange(name) is exchange


@pytest.mark.parametrize(("sentence", "word", "name"), [
    ("Six Apart acquires Rojo", "Apart", "Six Apart"),
    ("7-Eleven acquires Chicago-based White Hen chain", "Eleven", "7-Eleven"),
    ("Yesterday Google bought YouTube.", "Google", "Google"),
])
def test_proper_span_takes_the_whole_name(sentence: str, word: str, name: str) -> None:
    from radar.nlp.model import load_pipeline
    from radar.nlp.syntax import proper_span

    doc = load_pipeline()(sentence)
    span = proper_span(next(t for t in doc if t.text == word))
    assert span is not None and span.text == name


@pytest.mark.parametrize(("name", "sentence", "filer", "owner"), [
    ("Aarons Sales & Lease Ownership",
     "During the first quarter the Aarons Sales & Lease Ownership division opened 14 new stores.", "Aaron Rents, Inc.",
     "Aaron Rents, Inc."),
    ("Packaging", "Alcoa's Packaging unit was sold to Rank Group.", None, "Alcoa"),
    ("Electronic Measurement", "We will restructure our Electronic Measurement segment.", "Agilent Technologies, Inc.",
     "Agilent Technologies, Inc."),
    ("Google", "Google opened an office in Dublin.", None, None),  # no unit: its own event
])
def test_unit_owner(name: str, sentence: str, filer: str | None, owner: str | None) -> None:
    from radar.nlp.grounding import unit_owner

    assert unit_owner(name, sentence, filer) == owner


@pytest.mark.parametrize(("sentence", "fact"), [
    ('Verigy ordinary shares are currently listed on the Nasdaq Global Select Market under the symbol "VRGY".', True),
    ("The company's common stock is traded on the NASDAQ under the symbol VARI.", True),
    ("Acme will list its shares on the Nasdaq next week.", False),  # a listing to come: an IPO
    ("Acme shares began trading on the New York Stock Exchange on Friday.", False),
])
def test_is_listing_fact(sentence: str, fact: bool) -> None:
    from radar.nlp.grounding import is_listing_fact

    assert is_listing_fact(sentence) is fact


@pytest.mark.parametrize(("sentence", "not_a_raise"), [
    ("Alcoa received approximately $2.5 billion in cash from Rank in the sale.", True),
    ("The company has already received payment of $870 million in cash for the Elkem transaction.", True),
    ("Year-to-date, Alcoa has invested $165 million in the Company's joint venture in Saudi Arabia.", True),
    # rounds: another's investment in the company, money received from investors
    ("Sequoia invested $5 million in Acme.", False),
    ("Acme received $5 million from investors led by Sequoia.", False),
])
def test_is_not_a_raise(sentence: str, not_a_raise: bool) -> None:
    from radar.nlp.grounding import is_not_a_raise

    assert is_not_a_raise(sentence) is not_a_raise


@pytest.mark.parametrize(("sentence", "listing"), [
    ("Canada CBC Television's hit show is set to debut in France and Switzerland.", False),
    ("Mosaic Fashions becomes the first foreign firm to float on the Iceland Stock Exchange.", True),
    ("MasterCard to debut on NYSE", True),
    ("BTN hopes to conduct its IPO before the end of 2008.", True),
])
def test_speaks_of_listing(sentence: str, listing: bool) -> None:
    from radar.nlp.grounding import speaks_of_listing

    assert speaks_of_listing(sentence) is listing
