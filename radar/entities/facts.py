"""Reading facts about an organization from one document: website domain, headquarters, head
count, industries, stage, ticker and CIK, each with how it was read and how sure.

Pure functions over a document's text and metadata; radar.entities.profile stores what they
find and decides between conflicting facts. Where each fact comes from:
- domain: links and e-mail addresses of the "About <Org>" boilerplate, addresses anywhere whose
  name is the organization's, a filer's XBRL taxonomy namespace, the host of a newsroom or
  sitemap source (the issuer's own site) and of a company feed; never a publisher's, a wire's or
  a news source's own host;
- location: "<Org>, a Toronto-based ...", "Toronto-based <Org>", "headquartered in", the
  dateline of the issuer's press release, the EDGAR business address of a filer;
- employees: "the company's 37,000 employees", "a team of 45", "employs 1,200 people";
- industry: the EDGAR SIC code, the Form D industry group, catalog cues in the description;
- stage: the funding round reported, public for an exchange ticker or an 8-K filer, acquired
  when a completed acquisition names it as the target;
- ticker and CIK: "(NYSE: A)" after the name, the filing's own header.
"""
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Optional
from urllib.parse import urlsplit

from radar.entities.normalize import normalize_name
from radar.entities.resolve import GENERIC_WORDS
from radar.industries import from_descriptor, from_formd, from_sic, keyword_cues
from radar.nlp.grounding import PUBLISHERS
from radar.vocabulary import STAGE_OF_ROUND

FIELDS = ("domain", "location", "employees", "size", "industry", "stage", "ticker", "cik", "sic")


@dataclass(frozen=True)
class Fact:
    field: str
    value: str
    confidence: float
    method: str  # how it was read, shown by `radar orgs show`
    evidence: str = ""


@dataclass(frozen=True)
class Page:
    """What a reader may look at: the document and where it came from."""

    text: str
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    kind: str = "article"
    url: str = ""
    source_kind: Optional[str] = None  # rss, atom, feed, newsroom, sitemap, edgar
    source_url: Optional[str] = None
    news_hosts: frozenset[str] = frozenset()  # registrable domains of the news sources read


@dataclass(frozen=True)
class Event:
    """A signal the detector found in the page, as much of it as facts need."""

    org: str
    type: str
    subtype: Optional[str]
    evidence: str


# ---- domains ---------------------------------------------------------------------------------

_PUBLISHER_LABELS = frozenset(n.replace(" ", "") for n in PUBLISHERS)
# Hosts that are never an organization's own site.
_NOT_OWN = frozenset({
    "gmail", "googlemail", "yahoo", "hotmail", "outlook", "aol", "icloud", "protonmail", "live", "msn",
    "twitter", "x", "linkedin", "facebook", "instagram", "youtube", "tiktok", "medium", "github", "bit",
    "sec", "edgar", "wikipedia", "wikinews", "businesswire", "prnewswire", "globenewswire",
    "newswire", "accesswire", "einpresswire", "prweb", "newsfilecorp", "cision", "notified", "marketwired",
    "example",  # example.com, but not the demo's own reserved .example hosts
})
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "ac", "gov", "ltd", "plc", "ne", "or"})
_URL = re.compile(r"(?i)\b(?:https?://|www\.)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+)")
# Not followed by another label: toyota.co.jp is no toyota.co.
_BARE_HOST = re.compile(r"(?<![@\w.-])([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|ai|co|ca|uk|de|fr|"
                        r"eu|us|app|tech|health|bio|energy|example))\b(?![@\w-]|\.[a-z0-9])")
_EMAIL = re.compile(r"(?i)\b[a-z0-9._%+-]+@([a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)+)")


def registrable(host: str) -> str:
    """'ir.agilent.com' -> 'agilent.com'; 'news.bbc.co.uk' -> 'bbc.co.uk'; an IP address stays whole."""
    if re.fullmatch(r"[\d.]+|[0-9a-f:]+", host or ""):
        return host
    labels = [x for x in host.lower().strip(".").split(".") if x]
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _label(domain: str) -> str:
    return registrable(domain).split(".")[0]


def host_of(url: Optional[str]) -> str:
    try:
        return (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""


def is_news_domain(domain: str, news_hosts: frozenset[str] = frozenset()) -> bool:
    """A publisher's, wire's or webmail domain, or one of the news sources radar reads."""
    label = _label(domain).replace("-", "")
    if "." not in domain or re.fullmatch(r"[\d.]+|[0-9a-f:]+", domain) or domain.endswith("localhost"):
        return True  # an address, not a name: no organization's site
    return label in _PUBLISHER_LABELS or label in _NOT_OWN or registrable(domain) in news_hosts


def _compact(name: str) -> str:
    return normalize_name(name).replace(" ", "")


def domain_matches(domain: str, names: Iterable[str]) -> bool:
    """Whether a domain spells the organization's name: agilent.com for Agilent Technologies,
    jpmorganchase.com for JPMorgan Chase, ibm.com for International Business Machines."""
    label = _label(domain).replace("-", "")
    if len(label) < 2:
        return False
    for name in names:
        words = normalize_name(name).split()
        if not words:
            continue
        compact = "".join(words)
        if label == compact or (len(label) >= 4 and (compact.startswith(label) or label.startswith(compact))):
            return True
        # "jpmorgan" for JPMorgan Chase, "bankrate" not for Bank of America.
        if len(words[0]) >= 4 and label.startswith(words[0]) and "".join(words[1:]).startswith(label[len(words[0]):]):
            return True
        if len(words) >= 2 and label == "".join(w[0] for w in words):
            return True
    return False


_LONG_TLDS = frozenset({"info", "tech", "health", "energy", "example", "travel", "media", "store", "cloud", "agency",
                        "online", "site", "space", "global", "capital", "finance", "bank", "group", "company",
                        "solutions", "systems", "software", "network", "digital", "ventures", "partners", "studio"})


def _plausible(host: str) -> bool:
    """'agilent.comand' (a link run into the next word) is no host."""
    tld = host.rsplit(".", 1)[-1]
    return tld.isalpha() and (2 <= len(tld) <= 3 or tld in _LONG_TLDS)


def _hosts(text: str) -> list[str]:
    found = [m.group(1) for m in _URL.finditer(text)]
    found += [m.group(1) for m in _BARE_HOST.finditer(text)]
    return [h for h in (x.lower().rstrip(".") for x in found) if _plausible(h)]


def _emails(text: str) -> list[str]:
    return [h for h in (m.group(1).lower().rstrip(".") for m in _EMAIL.finditer(text)) if _plausible(h)]


# Two-letter endings sold to anyone as a brand (.io, .ai, .tv ...) rather than naming a country.
_BRAND_CC = frozenset({"io", "ai", "co", "tv", "me", "fm", "ly", "gg", "to", "sh", "so", "ac", "cc", "ws", "vc"})


def is_regional(domain: str) -> bool:
    """A country's site of an organization (amazon.de, google.co.uk): a storefront or office for
    one market, which a news story links for that market's readers, not the organization's own
    site. Only the organization's own release (its boilerplate, its newsroom) tells that a
    country domain is its main one."""
    tld = registrable(domain).rsplit(".", 1)[-1]
    return len(tld) == 2 and tld not in _BRAND_CC


def read_domain(page: Page, names: Sequence[str], about: Optional[str], issuer: bool) -> list[Fact]:
    """The organization's own site; `issuer`: the page is its own press release."""
    out: list[Fact] = []

    def add(host: str, conf: float, method: str, evidence: str) -> None:
        if host and not is_news_domain(host, page.news_hosts):
            out.append(Fact("domain", registrable(host), conf, method, evidence))

    if about:
        hosts = [h for h in _hosts(about) if not is_news_domain(h, page.news_hosts)]
        for h in hosts:
            if domain_matches(h, names):
                add(h, 0.95, "link in the About boilerplate", _around(about, h))
        if len({registrable(h) for h in hosts}) == 1 and not domain_matches(hosts[0], names):
            add(hosts[0], 0.7, "the only link in the About boilerplate", _around(about, hosts[0]))
    for h in _hosts(page.text):
        if domain_matches(h, names) and (issuer or not is_regional(h)):
            add(h, 0.8, "link naming the organization", _around(page.text, h))
    for h in _emails(page.text):
        if domain_matches(h, names) and (issuer or not is_regional(h)):
            add(h, 0.85, "e-mail address naming the organization", _around(page.text, h))
    site = page.meta.get("xbrl_site") if page.meta.get("_filer") else None
    ticker = str(page.meta.get("ticker") or "").lower()
    # A filing agent's namespace (imetrix.edgar-online.com for BlackRock) spells neither.
    if isinstance(site, str) and (domain_matches(site, names) or (ticker and _label(site) == ticker)):
        add(site, 0.9, "the filer's XBRL taxonomy", f"namespace http://{site}/ in the filing")
    src = host_of(page.source_url) or (host_of(page.url) if page.source_kind in ("newsroom", "sitemap") else "")
    if src and page.source_kind in ("newsroom", "sitemap"):
        if domain_matches(src, names):
            add(src, 0.9, f"its own {page.source_kind} ({src})", page.source_url or page.url)
        elif issuer:
            add(src, 0.7, f"the issuer's {page.source_kind} ({src})", page.source_url or page.url)
    elif src and page.source_kind in ("rss", "atom", "feed") and domain_matches(src, names):
        add(src, 0.85, f"its own feed ({src})", page.source_url or "")
    return _best_per_value(out)


def _around(text: str, needle: str, width: int = 90) -> str:
    i = text.lower().find(needle.lower())
    if i < 0:
        return ""
    return " ".join(text[max(0, i - width): i + len(needle) + width].split())


def _best_per_value(facts: list[Fact]) -> list[Fact]:
    best: dict[tuple[str, str], Fact] = {}
    for f in facts:
        key = (f.field, f.value.lower())
        if key not in best or f.confidence > best[key].confidence:
            best[key] = f
    return list(best.values())


# ---- the boilerplate -------------------------------------------------------------------------

_ABOUT = re.compile(r"(?m)(?:^|(?<=[.!?\s]))About\s+((?:the\s+)?[A-Z0-9][\w&.'’-]*"
                    r"(?:[ \t]+(?:[A-Z0-9&][\w&.'’-]*|of|and|de|the|for)){0,6})")
_ABOUT_END = re.compile(r"(?i)\b(?:forward[- ]looking statements?|safe harbor|cautionary (?:note|statement)|"
                        r"media contacts?|press contacts?|investor (?:contacts?|relations contacts?)|contacts?:|"
                        r"# ?# ?#|source:|for (?:further|more) information)")


def names_of(name: str, aliases: Iterable[str] = ()) -> list[str]:
    return [n for n in dict.fromkeys([name, *aliases]) if n and n.strip()]


def _heading_is(heading: str, names: Sequence[str]) -> bool:
    h = normalize_name(heading).split()
    if not h:
        return False
    for n in names:
        w = normalize_name(n).split()
        if not w:
            continue
        # "About Agilent" is Agilent Technologies' boilerplate, not Agilent Technologies World Trade's.
        if h == w or (h[:len(w)] == w) or (w[:len(h)] == h and len(h[0]) >= 4 and set(w[len(h):]) <= GENERIC_WORDS):
            return True
    return False


def about_section(text: str, names: Sequence[str], limit: int = 1500) -> Optional[str]:
    """The "About <Org>" boilerplate of a press release, up to the next section; None if absent.
    The last one wins: a release about a deal ends with each party's boilerplate in turn."""
    found = None
    for m in _ABOUT.finditer(text):
        heading = m.group(1)
        # "About Agilent Technologies Agilent Technologies Inc. (NYSE: A) is ...": the heading
        # runs into the first sentence when the layout's line breaks are lost.
        if not _heading_is(heading, names) and not any(_heading_is(" ".join(heading.split()[:k]), names)
                                                         for k in range(1, len(heading.split()))):
            continue
        body = text[m.end(): m.end() + limit]
        nxt = re.search(r"(?:^|\n|\s)About\s+[A-Z]", body)
        end = _ABOUT_END.search(body)
        cut = min([x.start() for x in (nxt, end) if x is not None] or [len(body)])
        found = body[:cut]
    return found


def about_subject(text: str) -> Optional[str]:
    """The name after the last "About" heading: whose press release this is, if it has one."""
    heads = [m.group(1) for m in _ABOUT.finditer(text)]
    return heads[-1] if heads else None


# ---- places ----------------------------------------------------------------------------------

_PLACE_WORD = r"(?:[A-Z][a-zà-ÿ'’.-]+|U\.S\.|U\.K\.|UK|US|UAE|NYC)"
_PLACE = rf"{_PLACE_WORD}(?:(?:\s+|,\s*|\s+(?:de|del|am|on|upon|of)\s+){_PLACE_WORD}){{0,3}}"
_NOT_PLACES = frozenset({
    "cloud", "web", "internet", "java", "linux", "windows", "android", "subscription", "science", "research",
    "evidence", "value", "fee", "commission", "risk", "rules", "team", "family", "community", "member", "employee",
    "venture", "private", "equity", "asset", "cash", "stock", "market", "plant", "software", "platform", "browser",
    "server", "app", "mobile", "desktop", "studio", "home", "office", "campus", "site", "project", "the", "company",
    "online", "economy", "business", "news", "right", "left",
    # A sentence's opening run into the place: "On Monday, US-based Apple ...".
    "on", "in", "at", "by", "last", "this", "since", "after", "before", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "yesterday", "today",
})
_MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|" \
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_DATELINE = re.compile(rf"(?<![\w,.])([A-Z][A-Z'’-]+(?:[ \t]+[A-Z][A-Z'’-]+){{0,3}}"
                       rf"(?:,[ \t]*[A-Z][A-Za-z.]+(?:[ \t]+[A-Z][A-Za-z.]+)?)?)"
                       rf",[ \t]*{_MONTHS}[ \t]+\d{{1,2}},?[ \t]+\d{{4}}")
_NOT_DATELINES = frozenset({"item", "items", "other", "events", "exhibit", "form", "news", "release", "date",
                            "dated", "signature", "signatures", "press", "immediate", "for", "contact", "on", "as",
                            "the", "report", "period", "filed", "effective", "updated"})
_US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan",
    "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming", "PR": "Puerto Rico",
}


_ABBREVIATIONS = frozenset({
    "calif", "mass", "conn", "fla", "ill", "wash", "mich", "minn", "colo", "ore", "penn", "ariz", "tenn", "va", "ga",
    "md", "pa", "wis", "mo", "ky", "la", "ala", "okla", "kan", "neb", "nev", "ind", "del", "ark", "miss", "n.j",
    "n.y", "n.c", "s.c", "d.c", "n.h", "r.i", "w.va", "vt", "u.s", "u.k", "st", "ont", "que", "b.c", "alta"})


def _clean_place(raw: str, names: Optional[re.Pattern[str]] = None) -> Optional[str]:
    place = " ".join(raw.replace("\n", " ").split()).strip(" ,;")
    if place.endswith(".") and place.rsplit(" ", 1)[-1].rstrip(".").lower() not in _ABBREVIATIONS:
        place = place[:-1]  # the sentence's full stop, not "Calif."
    head, *rest = place.split(",")
    # "Atlanta, Aaron's has been ...": the sentence goes on after the place, not a region of it.
    place = ",".join([head, *[r for r in rest[:1] if "'" not in r and "’" not in r and len(r.split()) <= 3]])
    cut = names.search(place) if names is not None else None
    place = place[:cut.start()].strip(" ,.;") if cut else place  # "in New York, Northwind Ledger works ..."
    place = re.sub(r"(?:,\s*|\s+)(?:and|with|where|which|the|a|an)$", "", place)
    while place.split() and place.split()[0].strip(",.").lower() in _NOT_PLACES:
        place = place.split(None, 1)[1] if len(place.split()) > 1 else ""  # "Online US-based" (a heading run in)
    words = [w.strip(",.").lower() for w in place.split()]
    if not place or not words or words[0] in _NOT_PLACES or any(w in _NOT_PLACES for w in words[-1:]):
        return None
    if len(place) < 2 or len(place) > 60:
        return None
    # "Italian-based Fiat", "US-based Oracle": the country, spelled as the other readers spell it.
    return DEMONYMS.get(place, place)


_PREPOSITION_WORDS = "of|in|at|for|with|by|to|from|and|or"
# "German carmaker Volkswagen", "Volkswagen, the German carmaker": the country it is from.
DEMONYMS = {
    "American": "United States", "U.S.": "United States", "US": "United States", "British": "United Kingdom",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "English": "United Kingdom", "Scottish": "United Kingdom",
    "German": "Germany", "Japanese": "Japan", "Chinese": "China", "French": "France", "Canadian": "Canada",
    "Indian": "India", "Australian": "Australia", "Swedish": "Sweden", "Finnish": "Finland", "Dutch": "Netherlands",
    "Swiss": "Switzerland", "Italian": "Italy", "Spanish": "Spain", "South Korean": "South Korea",
    "Korean": "South Korea", "North Korean": "North Korea", "Russian": "Russia", "Brazilian": "Brazil",
    "Irish": "Ireland", "Norwegian": "Norway",
    "Danish": "Denmark", "Belgian": "Belgium", "Israeli": "Israel", "Mexican": "Mexico", "Taiwanese": "Taiwan",
    "Austrian": "Austria", "Polish": "Poland", "Portuguese": "Portugal", "Greek": "Greece", "Turkish": "Turkey",
    "Singaporean": "Singapore", "Malaysian": "Malaysia", "Thai": "Thailand", "Indonesian": "Indonesia",
    "South African": "South Africa", "Nigerian": "Nigeria", "Kenyan": "Kenya", "Egyptian": "Egypt",
    "Saudi": "Saudi Arabia", "Emirati": "United Arab Emirates", "Argentine": "Argentina", "Chilean": "Chile",
    "Colombian": "Colombia", "New Zealand": "New Zealand", "Czech": "Czech Republic", "Hungarian": "Hungary",
    "Ukrainian": "Ukraine", "Icelandic": "Iceland", "Luxembourgish": "Luxembourg", "Pakistani": "Pakistan",
    "Vietnamese": "Vietnam", "Filipino": "Philippines", "Philippine": "Philippines",
}
_DEMONYM = "|".join(re.escape(d) for d in sorted(DEMONYMS, key=len, reverse=True))
# A company noun closes the descriptor: "German carmaker", "Japanese electronics giant".
_COMPANY_NOUN = r"(?:[a-z-]*maker|company|firm|group|giant|carrier|airline|bank|lender|insurer|" \
                r"retailer|chain|operator|conglomerate|manufacturer|producer|provider|developer|startup|start-up|" \
                r"publisher|broadcaster|brewer|miner|automaker|carmaker|supplier|distributor|exchange|utility|" \
                r"corporation|multinational|business|brand|outfit|concern|investor|fund|holding)"
_ADJECTIVES = "|".join(re.escape(d) for d in sorted(DEMONYMS, key=len, reverse=True) if d.endswith(("an", "sh", "se",
                                                                                                   "ch", "ss", "ic")))
# "German carmaker Volkswagen"; a bare adjective only ("Canadian ATI"): a bare country name
# before a name is often a Wikinews section heading run into the first sentence.
_DEMONYM_BEFORE = re.compile(rf"(?:^|[\s(“\"])(?:the\s+|a\s+|an\s+)?(?:({_DEMONYM})\s+(?:[a-z][\w-]*\s+){{0,3}}?"
                             rf"{_COMPANY_NOUN}\s+|({_ADJECTIVES})\s+)$")
# "The British national airline, British Airways ...": set off by a comma, the description must
# open its clause; in "the contract with the US company, Chelsea would ..." it is another's.
_CLAUSE = r"(?:[.!?;:,]\s+|\n\s*)"
_DEMONYM_APPOSITION = re.compile(rf"{_CLAUSE}(?:[Tt]he|[Aa]n?)\s+({_DEMONYM})\s+(?:[a-z][\w-]*\s+){{0,3}}?"
                                 rf"{_COMPANY_NOUN},\s+$")
# "Luxembourg's largest steel company Arcelor", "New Zealand's Rank Group": the country it is from.
# No bare "Korea" or "Wales": "North Korea's", "New South Wales's" would read as them.
COUNTRIES = {**{c: c for c in DEMONYMS.values()}, "Britain": "United Kingdom", "Great Britain": "United Kingdom",
             "Holland": "Netherlands", "Hong Kong": "Hong Kong", "Scotland": "United Kingdom",
             "England": "United Kingdom", "Northern Ireland": "United Kingdom", "Dubai": "United Arab Emirates"}
_COUNTRY = "|".join(re.escape(c) for c in sorted(COUNTRIES, key=len, reverse=True))
# Nothing between, or a description ending in a company noun ("largest steel company"): in
# "Britain's internet users have a PayPal account" the country's is not the organization's.
_COUNTRY_POSSESSIVE = re.compile(rf"(?:^|[\s(“\"])({_COUNTRY})['’]s\s+"
                                 rf"(?:(?:[a-z][\w-]*\s+){{0,3}}?{_COMPANY_NOUN}\s+)?$")
_DEMONYM_AFTER = re.compile(rf"^\s*(?:\([^)]{{0,40}}\))?,\s+(?:the|an?)\s+({_DEMONYM})\s+"
                            rf"(?:(?!(?:of|in|at|for|with|by|to|from)\s)[a-z][\w-]*\s+){{0,3}}?{_COMPANY_NOUN}\b")


def _title_place(raw: str) -> str:
    """'PALO ALTO, Calif.' -> 'Palo Alto, Calif.'; already mixed case stays."""
    head, _, rest = raw.partition(",")
    if head.isupper():
        head = " ".join(w if w in ("U.S.", "U.K.") else w.capitalize() for w in head.split())
    return head + ("," + rest if rest else "")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“(])|\n+", text) if s.strip()]


def _name_rx(names: Sequence[str]) -> Optional[re.Pattern[str]]:
    alts = sorted({n.strip() for n in names if len(n.strip()) >= 2}, key=len, reverse=True)
    if not alts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in alts) + r")(?:,?\s+(?:Inc|Corp|Ltd|LLC|plc|"
                      r"Co|Limited|Corporation|Incorporated)\.?)?(?![\w-])")


_PREPOSITION = rf"(?:{_PREPOSITION_WORDS})"


def read_location(page: Page, names: Sequence[str], about: Optional[str], issuer: bool) -> list[Fact]:
    out: list[Fact] = []
    rx = _name_rx(names)
    addr = page.meta.get("business_address") if isinstance(page.meta.get("business_address"), dict) else None
    if addr and page.meta.get("_filer"):
        city, state = str(addr.get("city") or "").strip(), str(addr.get("state") or "").strip().upper()
        if city:
            place = _title_place(city.upper()) + (f", {state}" if state else "")
            out.append(Fact("location", place, 0.95, "EDGAR business address", f"{city}, {state}".strip(", ")))
    if rx is not None:
        for sent in _sentences(page.text):
            for m in rx.finditer(sent):
                tail = sent[m.end(): m.end() + 160]
                # "-based" also as Wikinews' markup leaves it, "Sweden -based": as often as "Sweden-based" there.
                based = re.match(rf"\s*(?:\([^)]{{0,40}}\))?,\s+(?:an?|the)\s+(?:\w+\s+){{0,2}}?"
                                 rf"({_PLACE})[ \t]?-based\b", tail)
                if based and (p := _clean_place(based.group(1), rx)):
                    out.append(Fact("location", p, 0.85, "\"<Org>, a <place>-based ...\"", sent.strip()[:300]))
                head = sent[max(0, m.start() - 80): m.start()]
                before = re.search(rf"\b({_PLACE})[ \t]?-based\s+(?:(?!{_PREPOSITION}\s)[a-z]+\s+){{0,3}}$", head)
                if before and (p := _clean_place(before.group(1), rx)):
                    out.append(Fact("location", p, 0.8, "\"<place>-based <Org>\"", sent.strip()[:300]))
                clause = ("\n" if m.start() <= 160 else "") + sent[max(0, m.start() - 160): m.start()]
                dem = _DEMONYM_BEFORE.search(head) or _DEMONYM_AFTER.match(tail) or _DEMONYM_APPOSITION.search(clause)
                if dem:
                    country = DEMONYMS[next(g for g in dem.groups() if g)]
                    out.append(Fact("location", country, 0.65, "nationality written beside its name",
                                    sent.strip()[:300]))
                poss = _COUNTRY_POSSESSIVE.search(head)
                if poss:
                    out.append(Fact("location", COUNTRIES[poss.group(1)], 0.65, "\"<country>'s <Org>\"",
                                    sent.strip()[:300]))
                hq = re.match(rf"[^.;]{{0,120}}?\b(?:is\s+|are\s+)?(?:headquartered|head-quartered|based)\s+in\s+"
                              rf"({_PLACE})", tail)
                # A nationality is no other name ("a Finnish department store chain based in Helsinki").
                between = re.sub(rf"\([^)]*\)|\b(?:{_DEMONYM})(?!\w)", "", tail[:hq.start(1)]) if hq else ""
                # Only its own description in between: another name there is whom the place is about.
                if hq and (p := _clean_place(hq.group(1), rx)) and not re.search(r"\b[A-Z]", between) \
                        and not re.search(r"\b(?:formerly|previously|once|until|originally)\b", between):
                    out.append(Fact("location", p, 0.8, "\"<Org> ... headquartered in\"", sent.strip()[:300]))
    if about:
        for m in re.finditer(rf"\b(?i:headquartered|head-quartered|headquarters|based)\s+(?:is\s+)?in\s+({_PLACE})",
                             about):
            if (p := _clean_place(m.group(1), rx)):
                out.append(Fact("location", p, 0.9, "About boilerplate", _around(about, m.group(0))))
                break
    if issuer or page.meta.get("_filer"):
        line = _issuer_dateline(page, rx)
        if line:
            out.append(line)
    return _best_per_value(out)


def _issuer_dateline(page: Page, rx: Optional[re.Pattern[str]]) -> Optional[Fact]:
    """The dateline of the issuer's release: at the top of the text, or right before its name."""
    for m in _DATELINE.finditer(page.text[:20000]):
        after = page.text[m.end(): m.end() + 160]
        at_top = m.start() < 300
        first = rx.search(after[:60]) if rx is not None else None
        names_it = first is not None and first.start() < 25  # "PALO ALTO, Calif., May 16 -- Agilent ..."
        if not (at_top or names_it):
            continue
        place = _clean_place(_title_place(m.group(1)))
        if place and not re.search(r"\d", place) and not set(place.split(",")[0].lower().split()) & _NOT_DATELINES:
            evidence = " ".join(page.text[m.start(): m.end() + 80].split())
            return Fact("location", place, 0.6, "dateline of its press release", evidence)
    return None


# ---- size ------------------------------------------------------------------------------------

_QUALIFIER = r"(?:approximately|about|around|over|more\s+than|nearly|roughly|some|almost|close\s+to|more\s+than|" \
             r"in\s+excess\s+of|~)?\s*"
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s*(?:thousand|million|k)\b)?"
_PEOPLE = r"(?:full[- ]time\s+)?(?:employees|people|staff(?:\s+members)?|workers|team\s+members|associates|" \
          r"professionals|colleagues|personnel)"
_HEADCOUNT = re.compile(
    rf"(?i)\b(?:(?:company|firm|group|organization|bank)['’]s|its|our|with|has|had|employs|employing|employed|"
    rf"team\s+of|workforce\s+of|staff\s+of)\s+{_QUALIFIER}{_NUMBER}\s+(?:{_PEOPLE})|"
    rf"\b(?:team|workforce|staff|headcount)\s+of\s+{_QUALIFIER}{_NUMBER}\b")
_CHANGE_WORDS = re.compile(r"(?i)\b(?:lay(?:ing)?\s+off|laid\s+off|layoffs?|cut(?:s|ting)?|eliminat\w*|"
                           r"hir(?:e|es|ed|ing)|"
                           r"add(?:s|ed|ing)?|recruit\w*|furlough\w*|reduc\w*|redundan\w*|affect\w*|impact\w*|"
                           r"los(?:e|es|ing)|shed\w*|transfer\w*|retain\w*|plans?\s+to)\b")


def _count(num: str, unit: Optional[str]) -> Optional[int]:
    try:
        value = float(num.replace(",", ""))
    except ValueError:
        return None
    u = (unit or "").strip().lower()
    value *= 1000 if u in ("thousand", "k") else 1_000_000 if u == "million" else 1
    return int(value) if 1 <= value <= 3_000_000 else None


def _before_count(tail: str) -> str:
    """The words between a name and the head count that follows it (all of the tail if none does)."""
    m = _HEADCOUNT.search(tail[:120])
    return re.sub(r"\([^)]*\)", "", tail[:m.start()]) if m else tail


def read_employees(page: Page, names: Sequence[str], about: Optional[str]) -> list[Fact]:
    out: list[Fact] = []
    rx = _name_rx(names)
    places: list[tuple[str, float, str]] = []
    if about:
        places.append((about, 0.85, "head count in the About boilerplate"))
    if rx is not None:
        for sent in _sentences(page.text):
            if not about or sent not in about:
                # Only right after its name, nothing named in between ("Nokia bought Navteq, which
                # employs 3,000 people" is Navteq's head count).
                places += [(sent[m.end(): m.end() + 120], 0.7, "head count in a sentence naming it")
                           for m in rx.finditer(sent) if not re.search(r"\b[A-Z]", _before_count(sent[m.end():]))]
    for text, conf, method in places:
        for m in _HEADCOUNT.finditer(text):
            before = text[max(0, m.start() - 60): m.start()]
            if _CHANGE_WORDS.search(before) or _CHANGE_WORDS.search(m.group(0)):
                continue
            num, unit = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            n = _count(num, unit)
            if n is not None:
                out.append(Fact("employees", str(n), conf, method, _around(text, m.group(0))))
    return _best_per_value(out)[:1] if out else []


# ---- industry, stage, ticker, CIK -------------------------------------------------------------

_EXCHANGE = r"(?:NYSE(?:\s+American|\s+MKT|\s+Arca)?|NASDAQ(?:\s+GS|\s+GM|\s+CM)?|Nasdaq(?:\s+GS|\s+GM|\s+CM)?|AMEX|" \
            r"TSX(?:-?V)?|TSXV|LSE|ASX|OTC(?:QX|QB|\s+Pink)?|CSE|NEO|Euronext|SIX|XETRA|HKEX|SGX)"
_TICKER = re.compile(rf"\(\s*(?:{_EXCHANGE})\s*:\s*([A-Z][A-Z0-9.]{{0,6}})\s*(?:[;,/][^)]{{0,40}})?\)")
_COMPLETED = re.compile(r"(?i)\b(?:complet\w+|clos(?:ed|es|ing)\s+(?:of\s+)?(?:its|the)\s+(?:acquisition|purchase|"
                        r"sale|merger)|finaliz\w+|has\s+(?:been\s+)?acquired|was\s+acquired|now\s+(?:a\s+)?(?:part|"
                        r"subsidiary)\s+of)\b")
_NOT_YET = re.compile(r"(?i)\b(?:agree[sd]?|to\s+acquire|will|would|plans?|propos\w+|offer\w*|bid\w*|"
                      r"talks|rumou?r\w*|expected|expects?|subject\s+to|definitive\s+agreement|after\s+the|"
                      r"within\s+the\s+next|once|pending|upon|if|when|set\s+to|hopes?|aims?)\b")
_LISTED = re.compile(r"(?i)\b(?:(?:began|begins|started|starts)\s+trading|debut(?:ed|s)?|went\s+public|"
                     r"(?:is|was|were|became|been)\s+listed|priced\s+(?:its\s+)?(?:initial\s+public\s+offering|ipo)|"
                     r"complet\w+\s+(?:its|the)\s+(?:initial\s+public\s+offering|ipo))\b")


def description(text: str, names: Sequence[str], about: Optional[str]) -> list[str]:
    """What the text says the organization is: its boilerplate, "<Org>, a ..." and "<Org> is a ..."."""
    out = [about] if about else []
    rx = _name_rx(names)
    if rx is None:
        return out
    for sent in _sentences(text):
        for m in rx.finditer(sent):
            tail = sent[m.end(): m.end() + 220]
            d = re.match(r"\s*(?:\([^)]{0,40}\))?(?:,\s+(?:an?|the)\s+|\s+(?:is|was)\s+(?:an?|the|one\s+of)\s+)"
                         r"([^,;]{5,200})", tail)
            if d:
                out.append(d.group(1))
    return out


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


_BESIDE_BEFORE = re.compile(r"(?:^|[\s(“\"])((?:[A-Z][a-z]+\s+)?(?:[a-z][\w-]*\s+){0,4})$")
# "A little-known mining company, Lapp Plats, ...": the description set off before the name, opening
# its clause with an article, unlike a list ("steel, aluminum, Alcoa").
_APPOSITION_BEFORE = re.compile(rf"{_CLAUSE}(?:[Aa]n?|[Tt]he)\s+((?:[A-Z][a-z]+\s+)?(?:[a-z][\w-]*\s+){{0,4}}"
                                r"[a-z][\w-]*),\s+$")
# "the world's largest retailer": a possessive of the world or the country is still its description.
_BESIDE_AFTER = re.compile(r"^\s*(?:\([^)]{0,40}\))?,\s+(?:the|an?)\s+((?:[A-Z][a-z]+\s+)?"
                           r"(?:(?:world|country|nation|region)['’]s\s+)?(?:[a-z][\w-]*\s*){1,5})[,;.)]")


def descriptors(text: str, names: Sequence[str]) -> list[str]:
    """The words written right beside the name that say what it is: "steelmaker Alcoa",
    "Nokia, the Finnish mobile phone maker,"."""
    rx = _name_rx(names)
    out: list[str] = []
    if rx is None:
        return out
    for m in rx.finditer(text):
        head = text[max(0, m.start() - 80): m.start()]
        clause = ("\n" if m.start() <= 160 else "") + text[max(0, m.start() - 160): m.start()]
        after = _BESIDE_AFTER.match(text[m.end(): m.end() + 120])
        found = (_BESIDE_BEFORE.search(head), _APPOSITION_BEFORE.search(clause), after)
        out += [x.group(1).strip() for x in found if x and x.group(1).strip()]
    return out


def read_industry(page: Page, names: Sequence[str], about: Optional[str]) -> list[Fact]:
    out: list[Fact] = []
    sic = page.meta.get("sic") if page.meta.get("_filer") else None
    if isinstance(sic, int) or (isinstance(sic, str) and sic.isdigit()):
        for key in from_sic(int(sic)):
            out.append(Fact("industry", key, 0.95, f"EDGAR SIC {sic}", f"SIC {sic}"))
    formd = _dict(page.meta.get("formd"))
    group = formd.get("industry_group") if page.meta.get("_filer") else None
    for key in from_formd(group if isinstance(group, str) else None):
        out.append(Fact("industry", key, 0.9, "Form D industry group", str(group)))
    for phrase in descriptors(page.text, names):
        for key in from_descriptor(phrase):
            out.append(Fact("industry", key, 0.8, f"described beside its name as: {phrase}", phrase))
    for key, cues in keyword_cues(description(page.text, names, about)).items():
        conf = min(0.55 + 0.15 * len(cues), 0.9)
        out.append(Fact("industry", key, conf, "described as: " + ", ".join(cues[:4]), ""))
    return _best_per_value(out)


def read_markets(page: Page, names: Sequence[str]) -> list[Fact]:
    """Ticker, CIK and 'public' from the filing itself or "(NYSE: A)" right after the name."""
    out: list[Fact] = []
    meta = page.meta
    if meta.get("_filer"):
        form = str(meta.get("form") or page.kind or "")
        if meta.get("cik"):
            out.append(Fact("cik", str(meta["cik"]).lstrip("0"), 0.99, f"EDGAR {form} filer",
                            str(meta.get("company") or "")))
        if meta.get("sic"):
            out.append(Fact("sic", str(meta["sic"]), 0.95, f"EDGAR {form} header", ""))
        if meta.get("ticker"):
            out.append(Fact("ticker", str(meta["ticker"]).upper(), 0.95, f"EDGAR {form} filer", ""))
        if form.upper().startswith(("8-K", "10-", "6-K", "20-F", "40-F")):
            out.append(Fact("stage", "public", 0.9, f"files {form} reports with the SEC", ""))
    rx = _name_rx(names)
    if rx is not None:
        for m in rx.finditer(page.text):
            t = _TICKER.match(page.text[m.end(): m.end() + 60].lstrip())
            if t:
                ev = _around(page.text, t.group(0), 60)
                out.append(Fact("ticker", t.group(1).rstrip("."), 0.9, "exchange ticker after its name", ev))
                out.append(Fact("stage", "public", 0.85, "listed: exchange ticker after its name", ev))
                break
    return _best_per_value(out)


def read_stage(events: Iterable[Event], names: Sequence[str]) -> list[Fact]:
    """Stages the page's signals imply for this organization."""
    keys = {normalize_name(n) for n in names}
    out: list[Fact] = []
    for e in events:
        if normalize_name(e.org) not in keys:
            continue
        if e.type == "funding" and (e.subtype or "") in STAGE_OF_ROUND:
            out.append(Fact("stage", STAGE_OF_ROUND[e.subtype or ""], 0.8, f"{e.subtype} round reported", e.evidence))
        elif e.type == "ipo" and e.subtype == "listing" and _LISTED.search(e.evidence) \
                and not _NOT_YET.search(e.evidence):
            out.append(Fact("stage", "public", 0.8, "listing reported", e.evidence))
        elif e.type == "acquisition" and e.subtype == "target" and _COMPLETED.search(e.evidence) \
                and not _NOT_YET.search(e.evidence):
            out.append(Fact("stage", "acquired", 0.75, "completed acquisition names it as the target", e.evidence))
    return _best_per_value(out)


def read_facts(page: Page, name: str, aliases: Iterable[str] = (), events: Iterable[Event] = (),
               filer: bool = False) -> list[Fact]:
    """Every fact the page gives about one organization. `filer`: the organization is the
    filing's own registrant (its header's address, SIC and CIK are its own)."""
    names = names_of(name, aliases)
    about = about_section(page.text, names)
    issuer = about is not None or filer
    if filer:
        page = Page(page.text, page.title, {**page.meta, "_filer": True}, page.kind, page.url, page.source_kind,
                    page.source_url, page.news_hosts)
    facts = [*read_domain(page, names, about, issuer), *read_location(page, names, about, issuer),
             *read_employees(page, names, about), *read_industry(page, names, about), *read_markets(page, names),
             *read_stage(events, names)]
    return [Fact(f.field, f.value, f.confidence, f.method, f.evidence[:400]) for f in facts]
