"""Reading organization facts from one document: domains, places, head counts, industries,
stages, tickers. Our own small press releases, then real ones from ../shared/corpus."""
import gzip
import json

from radar.entities.facts import Event, Fact, Page, about_section, domain_matches, is_news_domain, read_facts
from radar.vocabulary import size_band
from tests.conftest import corpus_or_skip

RELEASE = """TORONTO, March 3, 2026 /PRNewswire/ -- Quillmark Robotics Inc. (TSX: QMR), a Toronto-based maker of
warehouse automation systems, today said it had opened a plant in Ohio. Read more at www.prnewswire.com or on
businesswire.com.

"We are growing," said the chief executive. The company plans to hire 150 new employees in Ohio.

About Quillmark Robotics
Quillmark Robotics builds robotics for warehouse automation. Headquartered in Toronto, Ontario, the company's
1,200 employees serve customers in 30 countries. Learn more at https://www.quillmark.ai/about.

Media contact: press@quillmark.ai
"""


def by_field(facts: list[Fact]) -> dict[str, list[Fact]]:
    out: dict[str, list[Fact]] = {}
    for f in facts:
        out.setdefault(f.field, []).append(f)
    return out


def values(facts: list[Fact], field: str) -> set[str]:
    return {f.value for f in facts if f.field == field}


def test_a_press_release_gives_site_place_size_industry_ticker_and_stage() -> None:
    facts = read_facts(Page(RELEASE), "Quillmark Robotics Inc.", ["Quillmark Robotics"])
    got = by_field(facts)
    assert values(facts, "domain") == {"quillmark.ai"}  # never the wire's own site
    assert max(got["domain"], key=lambda f: f.confidence).method == "link in the About boilerplate"
    assert values(facts, "location") >= {"Toronto, Ontario", "Toronto"}
    assert values(facts, "employees") == {"1200"}  # the plan to hire 150 is no head count
    assert "manufacturing_industrial" in values(facts, "industry")
    assert values(facts, "ticker") == {"QMR"}
    assert values(facts, "stage") == {"public"}
    assert all(f.evidence or f.method.startswith("described") for f in facts)


def test_the_dateline_belongs_to_the_issuer_only() -> None:
    text = "SAN JOSE, Calif., May 16, 2002 -- Brambleway Systems today reported results. Brambleway Systems " \
           "also named Corvid Labs a partner.\n\nAbout Brambleway Systems\nBrambleway Systems makes chips."
    issuer = read_facts(Page(text), "Brambleway Systems")
    assert [(f.value, f.method) for f in issuer if f.field == "location"] == [
        ("San Jose, Calif.", "dateline of its press release")]
    assert not values(read_facts(Page(text), "Corvid Labs"), "location")


def test_place_phrasings_and_what_is_not_a_place() -> None:
    assert values(read_facts(Page("London-based Fernhollow Bank said profits rose."), "Fernhollow Bank"),
                  "location") == {"London"}
    assert values(read_facts(Page("Tessaly, a Berlin-based payments startup, raised money."), "Tessaly"),
                  "location") == {"Berlin"}
    assert values(read_facts(Page("Mossgrove, which is headquartered in Denver, Colorado, grew."), "Mossgrove"),
                  "location") == {"Denver, Colorado"}
    assert not values(read_facts(Page("Nimbleware, a cloud-based platform, launched an app."), "Nimbleware"),
                      "location")
    # "headquartered in" about someone else in the sentence is not its headquarters.
    assert not values(read_facts(Page("Kiteline acquired Orbwell, which is headquartered in Austin."), "Kiteline"),
                      "location")


def test_publisher_wire_webmail_and_news_source_domains_are_never_an_organization_site() -> None:
    for host in ("www.reuters.com", "businesswire.com", "globenewswire.com", "techcrunch.com", "gmail.com",
                 "127.0.0.1", "localhost"):
        assert is_news_domain(host), host
    assert is_news_domain("thesaasnews.com", frozenset({"thesaasnews.com"}))
    assert not is_news_domain("agilent.com")
    text = "Reuters reported that Reuters Ventures invested. Contact: desk@reuters.com, www.reuters.com"
    assert not values(read_facts(Page(text), "Reuters Ventures"), "domain")
    feed = Page("Orbwell Labs launched a product.", url="https://news.example.org/a", source_kind="rss",
                source_url="https://thesaasnews.com/feed/", news_hosts=frozenset({"thesaasnews.com"}))
    assert not values(read_facts(feed, "Orbwell Labs"), "domain")


def test_domain_names_match_the_organization() -> None:
    assert domain_matches("agilent.com", ["Agilent Technologies"])
    assert domain_matches("jpmorganchase.com", ["JPMorgan Chase & Co."])
    assert domain_matches("ibm.com", ["International Business Machines"])
    assert not domain_matches("bloomberg.com", ["Alcoa"])


def test_own_newsroom_and_company_feed_give_the_site() -> None:
    page = Page("Kiteline Software named a new CFO.", url="https://www.kiteline.io/news/cfo", source_kind="newsroom",
                source_url="https://www.kiteline.io/news/")
    assert values(read_facts(page, "Kiteline Software"), "domain") == {"kiteline.io"}
    feed = Page("Kiteline Software shipped v2.", source_kind="rss", source_url="https://blog.kiteline.io/feed")
    assert values(read_facts(feed, "Kiteline Software"), "domain") == {"kiteline.io"}


def test_stage_from_rounds_listings_and_completed_acquisitions_only() -> None:
    events = [Event("Orbwell", "funding", "series_b", "Orbwell raised a $30M Series B."),
              Event("Tallyhop", "acquisition", "target", "Kestrel Mint has completed its acquisition of Tallyhop."),
              Event("Pinecrest", "acquisition", "target", "Kestrel Mint agreed to acquire Pinecrest.")]
    assert values(read_facts(Page(""), "Orbwell", events=events), "stage") == {"series_b"}
    assert values(read_facts(Page(""), "Tallyhop", events=events), "stage") == {"acquired"}
    assert not values(read_facts(Page(""), "Pinecrest", events=events), "stage")


def test_filings_give_address_sic_industry_cik_and_public_stage() -> None:
    meta = {"form": "8-K", "cik": "0000019617", "company": "JPMORGAN CHASE & CO", "sic": 6021,
            "business_address": {"city": "NEW YORK", "state": "NY"}}
    facts = read_facts(Page("Item 5.02 ...", kind="8-K", meta=meta), "JPMorgan Chase", filer=True)
    assert values(facts, "location") == {"New York, NY"}
    assert values(facts, "industry") == {"fintech"}
    assert values(facts, "cik") == {"19617"} and values(facts, "sic") == {"6021"}
    assert values(facts, "stage") == {"public"}
    # The same filing read for another organization it names gives none of the filer's facts.
    assert not read_facts(Page("Item 5.02 ...", kind="8-K", meta=meta), "Bank One")


def test_size_bands() -> None:
    assert [size_band(n) for n in (1, 10, 11, 45, 200, 201, 1000, 5000, 5001, 37000)] == [
        "1-10", "1-10", "11-50", "11-50", "51-200", "201-1000", "201-1000", "1001-5000", "5000+", "5000+"]


def test_real_8k_boilerplates_give_site_head_count_and_ticker() -> None:
    corpus = corpus_or_skip()
    with gzip.open(corpus / "edgar" / "8k_slice.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = {r["id"]: r for r in map(json.loads, f)}
    r = rows["8k:A-8K-20020806154523"]  # "About Agilent Technologies ... 37,000 employees ... www.agilent.com"
    text = r["text"] + "\n\n" + r["exhibit_99"]
    assert about_section(text, ["Agilent Technologies, Inc."]) is not None
    facts = read_facts(Page(text, kind="8-K", meta={"form": "8-K", "company": r["company"], "ticker": "A"}),
                       "Agilent Technologies, Inc.", ["Agilent", "Agilent Technologies"], filer=True)
    assert values(facts, "domain") == {"agilent.com"}
    assert values(facts, "employees") == {"37000"}
    assert values(facts, "ticker") == {"A"}
    assert values(facts, "stage") == {"public"}


def test_real_filing_headers_give_the_business_address() -> None:
    from radar.spiders import edgar_parse as ep

    corpus = corpus_or_skip()
    subs = corpus / "edgar" / "8-K" / "full_submissions"
    got = {(h.company, h.city, h.state) for h in (ep.parse_header((subs / n).read_bytes()) for n in (
        "0000019617-26-000241.txt", "0001493152-25-001317.nc", "0001628280-25-058337.txt"))}
    assert got == {("JPMORGAN CHASE & CO", "NEW YORK", "NY"), ("ACORN ENERGY, INC.", "WILMINGTON", "DE"),
                   ("Meta Platforms, Inc.", "MENLO PARK", "CA")}
    formd = ep.form_d_facts((corpus / "edgar" / "form-D" / "D.Shepards.xml").read_bytes())
    assert (formd["city"], formd["state"]) == ("JACKSONVILLE", "FL")


def test_a_country_site_linked_from_a_story_is_no_organization_domain() -> None:
    story = "The DVD was the best-selling software on [http://www.amazon.de Amazon] within a day."
    assert not values(read_facts(Page(story), "Amazon"), "domain")
    assert values(read_facts(Page("Orders went through www.amazon.com, Amazon said."), "Amazon"), "domain") == {
        "amazon.com"}
    assert values(read_facts(Page("Quillbrook launched at quillbrook.io on Monday."), "Quillbrook"), "domain") == {
        "quillbrook.io"}  # a brand ending, not a country's
    # In its own release a country domain is its own: a German maker's boilerplate.
    release = "About Hollerbach Maschinenbau\nHollerbach Maschinenbau builds presses. www.hollerbach.de"
    assert values(read_facts(Page(release), "Hollerbach Maschinenbau"), "domain") == {"hollerbach.de"}


def test_real_story_linking_amazon_s_german_store() -> None:
    from tests.corpus_docs import document

    corpus_or_skip()
    d = document("wikinews:7669")  # "... best-selling software package on [http://www.amazon.de Amazon]"
    assert d is not None and "amazon.de" in d["text"]
    assert not values(read_facts(Page(d["text"], d["title"] or ""), "Amazon"), "domain")


def test_a_country_s_organization_and_descriptions_set_off_before_or_after_the_name() -> None:
    def got(text: str, name: str, field: str) -> set[str]:
        return values(read_facts(Page(text), name), field)

    assert got("New Zealand's Rank Group Limited bought the unit.", "Rank Group Limited", "location") == {
        "New Zealand"}
    assert got("The talks with Canada's Rogers ended.", "Rogers", "location") == {"Canada"}
    assert got("Northern Ireland's Harland Works grew.", "Harland Works", "location") == {"United Kingdom"}
    # The country's something else, then the organization: no nationality of the organization.
    assert not got("Japan's trade ministry and Toyota agreed.", "Toyota", "location")
    assert not got("Japan's ministry of trade, Toyota said, agreed.", "Toyota", "location")
    assert got("Wal-Mart, the world's largest retailer, said sales rose.", "Wal-Mart", "industry") == {
        "ecommerce_retail"}
    assert not got("Prices of steel, aluminum, Alcoa said, rose.", "Alcoa", "industry")  # a list, no apposition


def test_real_wikinews_phrasings_of_nationality_and_trade() -> None:
    from tests.corpus_docs import document

    corpus_or_skip()

    def facts(doc_id: str, name: str, start: int, phrase: str) -> list[Fact]:
        d = document(doc_id)
        assert d is not None and d["text"][start:start + len(phrase)] == phrase
        return read_facts(Page(d["text"], d["title"] or ""), name)

    arcelor = facts("wikinews:41342", "Arcelor", 6, "Luxembourg's largest steel company Arcelor")
    assert values(arcelor, "location") == {"Luxembourg"}
    assert values(arcelor, "industry") == {"manufacturing_industrial"}
    lapp = facts("wikinews:10764", "Lapp Plats", 0, "A little-known mining company, Lapp Plats")
    assert values(lapp, "industry") == {"manufacturing_industrial"}
    ba = facts("wikinews:5489", "British Airways", 0, "The British national airline, British Airways")
    assert "United Kingdom" in values(ba, "location")
    stockmann = facts("wikinews:81377", "Stockmann Oyj Abp", 154, "Finnish department store chain based in")
    assert values(stockmann, "location") >= {"Helsinki"}  # a nationality between is no other name


def corpus_facts(doc_id: str, start: int, phrase: str, name: str, kind: str) -> set[str]:
    """The facts of one kind read for `name` from a corpus document, after checking that the
    phrase the test is about stands at its offset (labels point into ../shared, never copy it)."""
    from tests.corpus_docs import document

    d = document(doc_id)
    assert d is not None and d["text"][start:start + len(phrase)] == phrase
    return values(read_facts(Page(d["text"], d["title"] or ""), name), kind)


def test_based_as_wikinews_writes_it_and_a_nationality_as_the_place() -> None:

    assert values(read_facts(Page("The Italian-based Fiat Auto said so."), "Fiat Auto"), "location") == {"Italy"}
    assert values(read_facts(Page("US-based Oracle bought it."), "Oracle"), "location") == {"United States"}
    corpus_or_skip()
    for doc_id, start, phrase, name, place in [
            ("wikinews:22574", 0, "Atlanta -based Delta Air Lines", "Delta Air Lines", "Atlanta"),
            ("wikinews:108349", 183, "Spain -based Altadis", "Altadis", "Spain"),
            ("wikinews:21591", 0, "Italian -based Fiat Auto", "Fiat Auto", "Italy")]:
        assert place in corpus_facts(doc_id, start, phrase, name, "location"), doc_id


def test_what_is_said_beside_a_name_about_someone_else_is_not_its_place() -> None:
    def place(text: str, name: str) -> set[str]:
        return values(read_facts(Page(text), name), "location")

    # Real phrasings (wikinews) that had given a nationality or a domain to the wrong organization.
    assert not place("Per the contract with the US company, Chelsea would receive a reported sum.", "Chelsea")
    assert not place("More than half of Britain's internet users have a PayPal account.", "PayPal")
    assert place("On Monday, the New Zealand telecommunications company, Vodafone has bought ihug.",
                 "Vodafone") == {"New Zealand"}
    assert values(read_facts(Page("See www.toyota.co.jp for more, Toyota said."), "Toyota"), "domain") == set()
    assert values(read_facts(Page("About Toyota\nToyota makes cars. www.toyota.co.jp"), "Toyota"), "domain") == {
        "toyota.co.jp"}  # its own release: its own country site, never the cut 'toyota.co'


def test_real_descriptions_beside_a_name_give_its_industry() -> None:

    corpus_or_skip()
    for doc_id, start, phrase, name, industry in [
            ("wikinews:15438", 0, "Oil giant Shell", "Shell", "climate_energy"),
            ("wikinews:98327", 78, "Internet search giant Yahoo", "Yahoo", "ai_software"),
            ("wikinews:122973", 854, "oil refiner Sunoco", "Sunoco", "climate_energy"),
            ("wikinews:410307", 23, "popular social networking site Facebook", "Facebook", "ai_software")]:
        assert industry in corpus_facts(doc_id, start, phrase, name, "industry"), doc_id


def test_a_filer_s_xbrl_taxonomy_names_its_site_unless_a_filing_agent_s() -> None:
    from radar.spiders import edgar_parse as ep
    from tests.corpus_docs import document

    own = b'<html xmlns:kmint="http://www.kestrelmint.com/20260301"><link:schemaRef xlink:href="kmint-20260301.xsd"/>'
    assert ep.filer_site(own) == "www.kestrelmint.com"
    assert ep.filer_site(b"<html><body>Item 5.02</body></html>") is None  # before inline XBRL
    meta = {"form": "8-K", "company": "Kestrel Mint Inc", "xbrl_site": "www.kestrelmint.com"}
    assert values(read_facts(Page("Item 8.01", kind="8-K", meta=meta), "Kestrel Mint Inc", filer=True),
                  "domain") == {"kestrelmint.com"}
    assert not values(read_facts(Page("Item 8.01", kind="8-K", meta=meta), "Kestrel Mint Inc"), "domain")
    corpus_or_skip()

    def domains(doc_id: str, name: str) -> set[str]:
        d = document(doc_id)
        assert d is not None
        page = Page(d["text"], d["title"] or "", d["meta"], d["kind"], d["url"])
        return values(read_facts(page, name, filer=True), "domain")

    assert domains("edgar/0000019617-26-000241.txt", "JPMORGAN CHASE & CO") == {"jpmorganchase.com"}
    # BlackRock's taxonomy sits on its filing agent's host (imetrix.edgar-online.com): not its site.
    assert not domains("edgar/0001193125-23-048785.txt", "BlackRock Inc.")
