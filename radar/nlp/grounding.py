"""Grounding: a candidate's organization is an organization, and its event is news.

Two checks a candidate must pass before it becomes a signal (SIGNALS-GUIDE.md):
- the name is an organization: not a person, place, product, a publisher or wire service
  reporting the story, the site's own name, a dateline, a headline fragment or a generic
  noun. Names the user or radar already knows as organizations pass;
- the event is current at the document's date: not history ("acquired Beta in 2012"),
  which the sentence classifier cannot see without the date.
"""
import re
from collections.abc import Iterable
from datetime import date
from typing import Optional

from spacy.tokens import Doc

from radar.entities.normalize import normalize_name
from radar.nlp.lexicon import ORG_HEAD_NOUNS, ORG_SUFFIX_WORDS
from radar.nlp.syntax import EXCHANGE_RX
from radar.nlp.titles import TITLE_PATTERN

# Wires, agencies and publishers: they report the story, they are not its subject.
PUBLISHERS = frozenset(normalize_name(n) for n in (
    "Reuters", "Thomson Reuters", "AP", "Associated Press", "The Associated Press", "Bloomberg", "Bloomberg News",
    "Business Wire", "BusinessWire", "PR Newswire", "PRNewswire", "GlobeNewswire", "Globe Newswire", "Newswire",
    "Accesswire", "Marketwired", "Market Wire", "EIN Presswire", "PRWeb", "Wikinews", "Wikipedia", "AFP",
    "Agence France-Presse", "Agence France Presse", "Dow Jones", "Dow Jones Newswires", "Press Association", "PA",
    "Canadian Press", "The Canadian Press", "Kyodo", "Kyodo News", "Xinhua", "Yonhap", "Interfax", "ANSA", "dpa",
    "UPI", "United Press International", "CNN", "BBC", "BBC News", "CNBC", "Fox News", "NPR", "Sky News",
    "TechCrunch", "The Verge", "Engadget", "Wired", "Ars Technica", "CNET", "ZDNet", "VentureBeat", "Axios",
    "The New York Times", "New York Times", "The Wall Street Journal", "Wall Street Journal", "WSJ",
    "Financial Times", "FT", "The Guardian", "Guardian", "The Times", "The Sunday Times", "The Telegraph",
    "The Economist", "Forbes", "Fortune", "Business Insider", "Insider", "Yahoo Finance", "MarketWatch",
    "Barron's", "Seeking Alpha", "The Globe and Mail", "Financial Post", "Globe and Mail", "Times of India",
    "Economic Times", "Nikkei", "South China Morning Post", "Handelsblatt", "Le Monde", "Der Spiegel",
    "Rest of World", "Voice of America", "VOA", "Euronews", "Times Live", "TimesLive", "HuffPost",
    "Huffington Post", "Washington Post", "The Washington Post", "USA Today", "Los Angeles Times", "Sify",
))
# Words that are never an organization's whole name: roles, legal forms, generic nouns.
GENERIC = frozenset({
    "corp", "corporation", "inc", "co", "company", "companies", "ltd", "llc", "plc", "group", "holdings", "industries",
    "chair", "chairman", "board", "management", "government", "ministry", "department", "agency", "authority",
    "council", "committee", "commission", "bank", "firm", "startup", "business", "unit", "division", "subsidiary",
    "parent", "registrant", "issuer", "investor", "investors", "shareholders", "union", "club", "team", "partners",
    "capital", "ventures", "technologies", "systems", "solutions", "services", "international", "global", "media",
    "news", "press", "report", "update", "exclusive", "breaking", "analysis", "opinion", "review", "interview",
    "item", "exhibit", "section", "table", "contents", "note", "notes", "form", "quarter", "results", "today",
    "president", "ceo", "cfo", "cto", "coo", "director", "officer", "executive", "chief", "head", "founder",
    "this", "that", "these", "those", "we", "our", "it", "its", "they", "finance", "controller", "treasurer",
    "tech", "employers", "firms", "banks", "retailers", "analysts", "officials", "workers", "unions",
    "chancellor", "mp", "minister", "secretary", "governor", "mayor", "senator", "purchaser", "guarantor", "seller",
    "buyer", "borrower", "lender", "licensee", "licensor", "budget", "environment", "manufacturing", "projects",
})
# A name ending in one of these is a part of a filing or a contract, not its party.
_DOCUMENT_WORDS = frozenset({
    "agreement", "agreements", "covenant", "covenants", "rules", "results", "listing", "amendment", "schedule",
    "statement", "statements", "exhibit", "indenture", "warrant", "warrants", "bylaws", "by-laws", "charter",
})
# Gatherings, not organizations: "WiMAX Forum Taipei Showcase & Conference", "Paris Air Show"
# ("World Economic Forum" organizes; a forum is not on this list).
_EVENT_WORDS = frozenset({"conference", "summit", "expo", "exhibition", "showcase", "festival", "awards",
                          "show", "olympics", "championship", "championships", "convention"})
# Words that cannot make a name even together ("Corp", "Chair", "Board of Directors").
_ROLE_OR_LEGAL = frozenset({
    "corp", "corporation", "inc", "co", "company", "ltd", "llc", "plc", "group", "holdings", "chair", "chairman",
    "board", "management", "president", "ceo", "cfo", "cto", "coo", "director", "directors", "officer", "executive",
    "chief", "head", "founder", "the", "of", "and", "vice", "senior", "minister", "secretary", "governor", "mayor",
    # headings of filings and reports that the NER reads as names
    "annual", "meeting", "election", "elections", "financial", "statements", "statement", "exhibit", "exhibits",
    "additional", "actions", "action", "pro", "forma", "information", "results", "operations", "item", "items",
    "departure", "appointment", "compensatory", "arrangements", "certain", "officers", "economy", "business",
    "regulation", "fd", "disclosure", "other", "events", "agreement", "material", "definitive", "entry", "into",
})
# "Steelmaker Corus", "Email Security Startup Kestrel Labs": a description before the name.
_DESCRIPTOR = re.compile(r"^(?:[A-Z][a-z]+\s+){0,2}(?:[A-Z][a-z]*(?:maker|startup|start-up|giant)|"
                         r"Startup|Retailer|Airline|"
                         r"Carrier|Insurer|Lender|Brewer|Miner|Conglomerate|Firm|Company|Developer|Provider|Operator)\s+(?=[A-Z])")
NOT_ORG_LABELS = frozenset({"PERSON", "GPE", "LOC", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LANGUAGE", "DATE",
                            "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "LAW", "FAC"})
_SITE_SEP = re.compile(r"\s+[|–—-]\s+|\s+::\s+")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
# Words that put a stated year in the past of the event, not its plan ("by 2027", "in 2027").
_PAST_MARK = re.compile(r"\b(in|since|of|during|back in|earlier in|from)\s+(?:(?:early|late|mid)[- ])?"
                        r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+)?"
                        r"(?:\d{1,2},?\s+)?(19[5-9]\d|20[0-4]\d)\b", re.I)
_AGO = re.compile(r"\b(\d+|two|three|four|five|six|seven|eight|nine|ten|several|many)\s+years?\s+ago\b", re.I)


_LEAD_JUNK = re.compile(r"^[^\w\"'“(]+")
_BOARD_OF = re.compile(r"^(?:the\s+)?(?:board(?:\s+of\s+directors)?|directors|management|shareholders|stockholders)"
                       r"\s+of\s+(?:the\s+)?", re.I)
_DEMONYM = re.compile(r"^(?:American|Californian|British|Canadian|Chinese|Japanese|German|French|Indian|Australian|"
                      r"Italian|Spanish|Swiss|Dutch|Swedish|Korean|South Korean|Russian|Brazilian|Irish|Israeli|"
                      r"Finnish|Norwegian|Danish|Taiwanese|Mexican|European|Asian|US|U\.S\.|UK|U\.K\.)\s+(?=[A-Z])")


# "New Zealand's Rank Group Limited", "China's Lenovo": a place's company, named after it.
_PLACE_OF = re.compile(r"^(?:United Kingdom|United States|America|Britain|Canada|Ireland|Australia|India|China|Japan|"
                       r"Germany|France|Italy|Spain|Russia|Brazil|Korea|South Korea|Taiwan|Israel|Mexico|Sweden|"
                       r"Norway|Finland|Denmark|Switzerland|New Zealand|Europe|Asia|Africa)['’]s\s+(?=[A-Z])")
# Words that make a company name after a place word but mean nothing alone.
_PLAIN_NAME_WORDS = frozenset({"express", "airways", "pacific", "re", "telecom", "standard", "eagle", "electric",
                               "steel", "airline", "motor", "national", "general", "post", "rail", "railways",
                               "petroleum", "gas", "oil", "water", "mail", "broadcasting", "stock"})
_PLACE_PREFIX = re.compile(r"^(?:United Kingdom|United States|USA|U\.S\.|UK|U\.K\.|Canada|Ireland|Australia|India|"
                           r"China|Japan|Germany|France|New Zealand|Internet|NEW YORK|LONDON)\s*(?:\(\))?\s+(?=[A-Z])")
# A role word ends the name: "Alcoa Inc.CFO", "Australia Senior Editor", "Alcoa Board".
_ROLE_TAIL = re.compile(r"(?:\s+|(?<=\.))(?:Chairman|Chair|CEO|CFO|COO|CTO|President|Editor|Senior Editor|Minister|"
                        r"Chancellor|Board(?: of Directors)?|Directors|Cofounder\S*|Co-founder\S*|Founder)\b.*$")
# "Bristol -based Somerfield", "Wireless provider Sprint": a description before the name.
_BASED = re.compile(r"^(?:[A-Z][\w.]*\s*)+-?\s*based\s+|^[A-Z][a-z]+\s+(?:provider|maker|company|firm|startup|giant|"
                    r"retailer|operator|carrier|group|chain|lender|insurer)\s+(?=[A-Z])")
_JUNK = re.compile(r"[<>=\[\]{}|\\/]|https?:|\($|\(\)")


def has_descriptor(name: str) -> bool:
    """"Steelmaker Corus", "Airline Garuda": a trade word before a name, which the NER often
    tags as a person's first name; the name after it is a company's, not a surname."""
    return bool(_DESCRIPTOR.match(name))


def clean_org(name: str) -> str:
    """A name as a reader would write it: no stray punctuation, no "Board of Directors of"
    before it, no demonym ("Californian AMD") or place ("United Kingdom Corus Group"), no role
    after it ("Alcoa - Chairman & CEO"); upper-case filer names in title case."""
    name = _LEAD_JUNK.sub("", name.strip())
    name = re.split(r": | - | – | — ", name)[0]  # "FMC Novamed: Women ...": a headline ran on past the name
    name = _BOARD_OF.sub("", name)
    head, comma, tail = name.partition(", ")
    if comma and tail[:1].isupper() and is_generic(head):
        name = tail  # "Asset Purchase Agreement, JDSU": a filing's term run into the name after it
    for prefix in (_DEMONYM, _PLACE_PREFIX, _PLACE_OF):
        rest = prefix.sub("", name)
        # "American Airlines", "Canadian Pacific": the place is part of the name when what
        # follows it is a word any company could be called by.
        if not all(w in ORG_SUFFIX_WORDS | ORG_HEAD_NOUNS | _PLAIN_NAME_WORDS for w in rest.lower().split()):
            name = rest
    name = _BASED.sub("", name)
    name = _ROLE_TAIL.sub("", name) or name
    rest = _DESCRIPTOR.sub("", name)
    if rest != name and normalize_name(rest):
        name = rest
    name = name.strip(" ,;:-\"'“”")
    if name.isupper() and len(name) > 5 and " " in name:
        name = " ".join(w if len(w) <= 3 else w.capitalize() for w in name.split())
    return name


_SOLD_TO = re.compile(r"\b(?:sale|sell|sells|sold|selling|divest\w*)\b[^.;]{0,160}?\bto\s+(?:the\s+)?([A-Z][\w&.'’-]*)")


def conjoined(name: str, text: str) -> list[str]:
    """The two organizations of "Alcatel and Lucent", "XM and Sirius" (one entity to the small
    model), when the document also names each alone; "Procter and Gamble" stays one name."""
    parts = [p.strip() for p in re.split(r"\s+(?:and|&)\s+", name)]
    if len(parts) != 2 or parts[0] == parts[1] or not all(p[:1].isupper() for p in parts):
        return []
    rest = text.replace(name, " ")
    return parts if all(re.search(rf"(?<![\w&]){re.escape(p)}(?![\w&]|\s+(?:and|&)\s)", rest) for p in parts) else []


def buyer_of_sale(sentence: str, seller: str, names: Iterable[str]) -> Optional[str]:
    """In "X completed the sale of its camera unit to Flextronics" the acquirer is the buyer,
    not the subject: the named organization right after "to", if there is one."""
    m = _SOLD_TO.search(sentence)
    if not m:
        return None
    start = m.start(1)
    for name in names:  # "to New Zealand's Rank Group Limited": a place may come first
        at = sentence.find(name, start)
        if name != seller and start <= at <= start + 40:
            return name
    # A name the model did not tag ("to Flextronics", read as a nationality): its capitalized words.
    words = _CAPITALIZED.match(sentence, start)
    buyer = words.group(0) if words else ""
    return buyer if buyer and buyer != seller and not is_demonym(buyer) and not is_generic(buyer) else None


_CAPITALIZED = re.compile(r"[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*)*")


def is_demonym(name: str) -> bool:
    """"Chinese", "U.S.": a nationality, never a company alone."""
    return bool(_DEMONYM.match(f"{name} X")) and len(_DEMONYM.sub("", f"{name} X")) == 1


# A job title (radar.nlp.titles), or an office of state or a spokesperson's.
_EXEC_TITLE = (rf"(?:{TITLE_PATTERN}|(?i:(?:prime minister|minister|chancellor|governor|senator|secretary|"
               r"spokes(?:man|woman|person))(?:[ -]elect)?))")
# "Klaus Kleinfeld, President and Chief Executive Officer", "CEO Henry Paulson", "President
# Thabo Mbeki": two to four capitalized words with a title beside them name a person.
_NAME = r"[A-Z][\w'’-]+(?: (?:[A-Z]\.|[A-Z][\w'’-]+)){1,3}"
_TITLED = re.compile(rf"(?<![\w&])({_NAME}),\s+(?=(?:the |its |our )?{_EXEC_TITLE}\b)|"
                     rf"\b{_EXEC_TITLE}\s+({_NAME})\b(?!\s*(?:Inc|Corp|Ltd|LLC|plc|Group)\b)")


_EXCHANGE_NAME = re.compile(r"(?:Stock|Securities|Enterprise|Futures) Exchange$|\b(?:Bourse|Börse|B[øo]rs)$")


def is_exchange(name: str) -> bool:
    """A stock exchange: in a listing story the venue, not the company that lists."""
    return bool(EXCHANGE_RX.fullmatch(name.removeprefix("the ").removeprefix("The ")) or _EXCHANGE_NAME.search(name))


_UNIT = re.compile(r"(?:(?P<owner>[A-Z][\w&.'’-]*(?: [A-Z][\w&.'’-]*){0,3})['’]s? )?(?:the |its |our )?"
                   r"(?P<unit>[A-Z][\w&.'’-]*(?: (?:[A-Z][\w&.'’-]*|&|and|of)){0,5}) (?:division|unit|segment)\b")


def unit_owner(name: str, sentence: str, filer: Optional[str]) -> Optional[str]:
    """Whose "X division" (or unit, segment) the name is: the possessor before it ("Alcoa's
    Packaging unit"), else the filer of the filing it is in; None when it is no unit there."""
    for m in _UNIT.finditer(sentence):
        if m.group("unit") == name or m.group("unit").endswith(" " + name):
            owner = m.group("owner")
            return owner if owner and owner != name else filer
    return None


def titled_people(text: str) -> frozenset[str]:
    """Names the document gives a title, a person's ("Klaus Kleinfeld, President and CEO"),
    and the surnames of those names ("Mbeki" after "President Thabo Mbeki"); a name ending
    in a company word is never one."""
    out = set()
    for m in _TITLED.finditer(text):
        name = m.group(1) or m.group(2)
        words = name.split()
        if words[-1].lower().strip(".,") in ORG_SUFFIX_WORDS | ORG_HEAD_NOUNS or words[0] in ("The", "A", "An"):
            continue
        out.add(name)
        if not _COMPANY_USE.search(text.replace(name, " ").replace(words[-1], "\x00")):
            out.add(words[-1])  # unless the surname is also a company's ("Bill Ford ... Ford Motor")
    return frozenset(out)


# A word used as (part of) a company's name: before another capitalized word or a company
# word, or after "of" / "at" ("chairman of Ford"); \x00 stands for the word.
_COMPANY_USE = re.compile(r"\x00(?:[ -][A-Z]|['’]s (?:board|shares|stock|employees|staff))|\b(?:of|at|for) \x00")


def is_surname(name: str, text: str) -> bool:
    """A name whose last word the document also gives as a person's ("Mr. Dillon")."""
    words = name.split()
    if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return False  # "Adrian T. Dillon" is the "Mr. Dillon" of the same release
    w = re.escape(words[-1])
    return bool(re.search(rf"\b(?:Mr|Ms|Mrs|Dr|Sir|Lord|Dame)\.?\s+{w}\b", text))


_FUND_CLOSE = re.compile(r"\b(?:clos\w+|rais\w+|launch\w+)\b[^.;]{0,60}\bfund(?:\s+(?:[IVX]+|\d+)\b|\b)", re.I)


def is_fund_close(sentence: str) -> bool:
    """An investor closing its own fund ("closed its $300 million Fund III") is no company's round."""
    return bool(_FUND_CLOSE.search(sentence)) and not re.search(r"\b(series [a-h]|seed|round)\b", sentence, re.I)


# Money a company receives for what it sold ("received $870 million in cash ... for the Elkem
# transaction") or spends on its own projects ("invested $165 million in the Company's joint
# venture"): no round raised.
_PROCEEDS = re.compile(r"\b(?:received|receive|receives|proceeds)\b(?:[^.;]|\.\d){0,120}?"
                       r"\b(?:sale|divest\w*|transaction|disposal)\b", re.I)
_OWN_INVESTMENT = re.compile(r"\binvest(?:ed|s|ing)?\s+(?:approximately\s+|about\s+|nearly\s+|more than\s+)?"
                             r"(?:US)?\$\s?[\d.,]+\s*(?:million|billion|bn|m|mln)?\s+"
                             r"in\s+(?:its|our|the company['’]s)\b", re.I)


def is_not_a_raise(sentence: str) -> bool:
    """Sale proceeds or a company's spending on itself, which the classifier reads as funding."""
    return bool(_PROCEEDS.search(sentence) or _OWN_INVESTMENT.search(sentence))


# "Its shares are currently listed on the Nasdaq Global Select Market under the symbol ...":
# where a company's stock trades, a standing fact of every release's boilerplate.
_LISTED = re.compile(r"\b(?:is|are)\s+(?:currently\s+|now\s+|also\s+)?(?:listed|traded|quoted)\s+(?:on|in)\b", re.I)


# A listing is of shares, on an exchange: "a hit show set to debut in France" is none.
_LISTING_WORD = re.compile(r"\b(?:ipo|initial public offering|public offering|offering|go(?:es|ing)? public|"
                           r"went public|float\w*|flotation|list(?:s|ed|ing)?|shares?|stock|exchange|nasdaq|nyse|"
                           r"bourse|trading|valuation)\b", re.I)


def speaks_of_listing(sentence: str) -> bool:
    """Whether the sentence has a word of listing shares at all (each labelled IPO of train and
    dev has one)."""
    return bool(_LISTING_WORD.search(sentence))


def is_listing_fact(sentence: str) -> bool:
    """Where a stock is listed, said in the present: no listing event (an IPO "will list",
    "began trading")."""
    return bool(_LISTED.search(sentence))


# "X, which cut 200 jobs last year, reported ...": a clause that gives background.
_BACKGROUND_CLAUSE = re.compile(
    r",\s+(?:which|who)\s+[^,;]{0,120}?\b"
    r"(?:last year|last month|years? ago|previously|earlier this year|in (?:19|20)\d\d)\b[^,;]*,", re.I)
# "has no plans to cut jobs", "did not raise": the sentence denies its own event.
_NEGATED = re.compile(r"\b(?:no plans? to|not plan(?:ning)? to|does not|do not|did not|didn't|doesn't|won't|will not|"
                      r"has not|have not|hasn't|haven't|never|ruled out|rules out|denied|denies|deny)\b", re.I)


def without_background(sentence: str) -> str:
    """The sentence without its background clauses, as the classifier should read it."""
    return _BACKGROUND_CLAUSE.sub(",", sentence)


def is_negated(sentence: str) -> bool:
    return bool(_NEGATED.search(sentence))


def site_names(title: Optional[str], extra: Iterable[str] = ()) -> frozenset[str]:
    """Normalized names of the site publishing a page: the part of its title after a '|'
    or ' - ' separator ("Acme raises $5M | TechWire"), og:site_name and the feed title."""
    names = {normalize_name(n) for n in extra if n}
    if title:
        parts = _SITE_SEP.split(title)
        if len(parts) > 1 and len(parts[-1].split()) <= 5:
            names.add(normalize_name(parts[-1]))
    return frozenset(n for n in names if n)


def is_generic(name: str) -> bool:
    words = [w.strip(".,'’") for w in name.lower().split()]
    words = [w for w in words if w]
    if not words or not any(c.isalpha() for c in name):
        return True
    if len(words) == 1 and words[0] in GENERIC:
        return True
    if words[0] in ("we", "we've", "we’ve", "i", "you", "they", "our") or "\u00e2\u0080" in name:
        return True  # a pronoun, or text decoded with the wrong charset
    if all(w in _ROLE_OR_LEGAL for w in words):
        return True
    if words[-1] in _EVENT_WORDS:
        return True  # a gathering: its organizer is the organization
    if words[-1] in _DOCUMENT_WORDS or words[0] == "item":
        return True  # "Asset Purchase Agreement", "Item 2.01 Completion of ...": a filing's parts
    return name == name.lower() and not any(c.isdigit() for c in name)  # "the firm", "regulators"


def is_publisher(name: str, sites: frozenset[str] = frozenset()) -> bool:
    n = normalize_name(name)
    return n in PUBLISHERS or n in sites or n.removeprefix("the ") in PUBLISHERS


def entity_label(doc: Doc, name: str) -> Optional[str]:
    """The NER label of the entity spelled `name` in the sentence (or of a person's name
    inside it: "Governor Ed Rendell"), if the model tagged one."""
    for ent in doc.ents:
        if ent.text == name or ent.text.removeprefix("the ") == name or ent.text.rstrip("'s’") == name:
            return str(ent.label_)
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent.text) > 3 and name.endswith(ent.text):
            return "PERSON"
    return None


def common_words(name: str, text: str) -> bool:
    """Every word of the name also appears in lower case in the text ("Software", "Interest
    Period", "Manufacturing"): a common noun capitalized by a heading or a sentence start."""
    words = [w for w in re.findall(r"[A-Za-z][a-z'’]+|[A-Z]+", name) if w.lower() not in _FUNCTION_WORDS]
    # A lower-case word of prose, not a piece of an address ("press@corvane.example", "/corvane-news").
    return bool(words) and all(re.search(rf"(?<![\w.@/-]){re.escape(w.lower())}(?![\w@/-]|\.\w)", text) for w in words)


_FUNCTION_WORDS = frozenset({"of", "and", "the", "for", "in", "on", "at", "to", "a", "an", "&"})


def is_organization(name: str, doc: Optional[Doc], known: frozenset[str] = frozenset(),
                    sites: frozenset[str] = frozenset(), *, role: bool = False, text: str = "") -> bool:
    """Whether a candidate's organization can be grounded as one. `role`: a rule read the name
    in an organization's role (the subject of "raised", the buyer of "acquired"), which
    grounds a one-word name the model did not tag ("Paylark") unless it tagged it otherwise."""
    if not name or is_publisher(name, sites) or is_generic(name):
        return False
    if name in known or normalize_name(name) in known:
        return True
    if len(name) < 2 or len(name) > 80 or name.isdigit():
        return False
    if name.count("(") != name.count(")") or _JUNK.search(name):
        return False  # markup, a URL, an unclosed bracket: a parsing accident, not a name
    if not (name[:1].isupper() or name[:1].isdigit() or name.startswith("i")):
        return False  # names are capitalized ("iRobot" and "3M" aside)
    if text and common_words(name, text):
        return False
    label = entity_label(doc, name) if doc is not None else None
    if label == "ORG":
        return True
    # Not tagged as an organization: the small model tags unknown companies as people and
    # places ("Corbel Freight" as PERSON) or misses them, so a name of several words that
    # ends in a company word is still one; anything else the pipeline cannot ground.
    words = name.split()
    if len(words) > 1 and words[-1].lower().strip(".,") in ORG_SUFFIX_WORDS:
        return True
    # a name read in an organization's role that the model took for a nationality ("Flextronics")
    return role and (label is None or label == "NORP" and not is_demonym(name))


def is_history(sentence: str, published: Optional[date]) -> bool:
    """The sentence dates its event well before the document ("in 2012", "three years ago")."""
    if _AGO.search(sentence):
        return True
    if published is None:
        return False
    for m in _PAST_MARK.finditer(sentence):
        year = int(m.group(2))
        # "in January 2026" is news in a story of March 2026; "in 2012" is not.
        if year <= published.year - 2 or (year == published.year - 1 and published.month >= 4):
            return True
    return False
