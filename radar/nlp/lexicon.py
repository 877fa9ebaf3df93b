"""Word classes the rules share: event verbs and nouns, organization cues, hedges.

Rules match lowercase surface forms (the pipeline runs without tagger and lemmatizer to
stay fast), so each verb class lists its base forms and `forms` inflects them.
"""
import re

_IRREGULAR = {
    "buy": ("buys", "bought", "buying"), "take": ("takes", "took", "taking", "taken"),
    "get": ("gets", "got", "getting", "gotten"), "win": ("wins", "won", "winning"),
    "leave": ("leaves", "left", "leaving"), "make": ("makes", "made", "making"),
    "bring": ("brings", "brought", "bringing"), "put": ("puts", "putting"),
    "cut": ("cuts", "cutting"), "shed": ("sheds", "shedding"), "set": ("sets", "setting"),
    "lay": ("lays", "laid", "laying"), "go": ("goes", "went", "going", "gone"),
    "sell": ("sells", "sold", "selling"), "begin": ("begins", "began", "beginning", "begun"),
    "lead": ("leads", "led", "leading"), "become": ("becomes", "became", "becoming"),
    "build": ("builds", "built", "building"), "tap": ("taps", "tapped", "tapping"),
    "ship": ("ships", "shipped", "shipping"), "step": ("steps", "stepped", "stepping"),
    "plan": ("plans", "planned", "planning"), "land": ("lands", "landed", "landing"),
    "bag": ("bags", "bagged", "bagging"), "net": ("nets", "netted", "netting"),
    "sign": ("signs", "signed", "signing"), "quit": ("quits", "quitting"),
    "oust": ("ousts", "ousted", "ousting"), "fire": ("fires", "fired", "firing"),
    "drop": ("drops", "dropped", "dropping"), "scrap": ("scraps", "scrapped", "scrapping"),
    "snap": ("snaps", "snapped", "snapping"), "nab": ("nabs", "nabbed", "nabbing"),
    "choose": ("chooses", "chose", "chosen", "choosing"),
    "break": ("breaks", "broke", "broken", "breaking"), "strike": ("strikes", "struck", "striking"),
    "forge": ("forges", "forged", "forging"), "ink": ("inks", "inked", "inking"),
    "pick": ("picks", "picked", "picking"),
}


def forms(*bases: str) -> frozenset[str]:
    """Every inflected form of the given verbs: 'raise' -> raise, raises, raised, raising."""
    out: set[str] = set()
    for b in bases:
        out.add(b)
        if b in _IRREGULAR:
            out.update(_IRREGULAR[b])
        elif b.endswith("e"):
            out.update({b + "s", b + "d", b[:-1] + "ing"})
        elif b.endswith("y") and b[-2] not in "aeiou":
            out.update({b[:-1] + "ies", b[:-1] + "ied", b + "ing"})
        elif b.endswith(("s", "sh", "ch", "x", "z")):
            out.update({b + "es", b + "ed", b + "ing"})
        else:
            out.update({b + "s", b + "ed", b + "ing"})
    return frozenset(out)


# Funding.
FUNDING_VERBS = forms("raise", "secure", "close", "land", "receive", "get", "obtain", "complete", "add",
                      "bag", "net", "win", "announce", "collect", "pull")
INVEST_VERBS = forms("invest", "put", "inject", "pour", "back", "fund", "lead", "co-lead", "award", "grant")
FUNDING_NOUNS = frozenset({
    "round", "funding", "financing", "investment", "seed", "series", "grant", "facility", "loan",
    "debt", "capital", "stake", "backing", "extension", "pre-seed", "seed-plus",
})
VC_FUND = re.compile(r"\b(fund\s+[ivx\d]+|(opportunity|growth|venture|seed)\s+fund|fund\b)", re.I)

# Leadership changes.
APPOINT_VERBS = forms("appoint", "name", "hire", "tap", "welcome", "join", "elect", "select", "pick",
                      "recruit", "become", "add", "announce", "succeed", "replace", "choose")
PROMOTE_VERBS = forms("promote", "elevate", "upgrade")
DEPART_VERBS = forms("resign", "depart", "leave", "retire", "quit", "exit", "oust", "fire", "dismiss",
                     "terminate", "transition")
DEPART_NOUNS = frozenset({"departure", "resignation", "retirement", "exit", "ouster", "dismissal"})
APPOINT_NOUNS = frozenset({"appointment", "hiring", "election", "arrival"})
PROMOTE_NOUNS = frozenset({"promotion", "promotions", "elevation"})

# Searches.
SEARCH_NOUNS = frozenset({"search", "hunt"})
SEARCH_VERBS = forms("search", "seek", "look", "recruit", "interview")
RETAIN_VERBS = forms("retain", "hire", "engage", "appoint", "tap", "use", "enlist", "mandate", "work", "name", "select")

# Corporate events.
ACQUIRE_VERBS = forms("acquire", "buy", "purchase", "take", "snap", "nab", "scoop", "pick", "swallow", "gobble")
# Verbs that mean buying a company only with a particle: "picks up", "takes over", "snaps up".
ACQUIRE_PARTICLE = {"pick": "up", "scoop": "up", "gobble": "up", "take": "over"}
ACQUIRE_NOUNS = frozenset({"acquisition", "purchase", "takeover", "buyout"})
LAUNCH_VERBS = forms("launch", "unveil", "introduce", "release", "debut", "roll", "ship", "present",
                     "bring", "announce", "showcase", "reveal", "start")
NON_PRODUCT_NOUNS = frozenset({
    "campaign", "podcast", "investigation", "probe", "buyback", "inquiry", "review", "search", "initiative",
    "appeal", "lawsuit", "suit", "bid", "offer", "offering", "ipo", "fund", "round", "program", "programme",
    "challenge", "contest", "competition", "petition", "strike", "advertising", "ad", "ads", "tender", "study",
    "survey", "report", "process", "restructuring", "plan", "effort", "attack", "drive", "sale", "webinar",
    "conference", "event", "tour", "series", "documentary", "charity", "foundation", "scholarship",
})
PARTNER_VERBS = forms("partner", "team", "work", "sign", "enter", "agree", "ink", "collaborate", "join", "forge",
                      "strike", "form", "extend", "expand", "renew")
PARTNER_NOUNS = frozenset({"partnership", "agreement", "collaboration", "alliance", "deal", "contract",
                           "venture", "pact", "tie-up", "memorandum"})
CUSTOMER_VERBS = forms("select", "choose", "pick", "use", "deploy", "adopt", "sign", "win", "tap")
EXPAND_VERBS = forms("relocate", "open", "enter", "expand", "build", "establish", "launch", "set", "start", "unveil",
                     "inaugurate", "construct", "add", "begin", "move", "extend", "break")
MARKET_NOUNS = frozenset({"operations", "presence", "market", "markets", "footprint", "business", "service",
                          "services", "deliveries", "delivery", "sales"})
OFFICE_NOUNS = frozenset({"office", "offices", "headquarters", "hq", "branch", "branches", "studio", "studios", "hub",
                          "hubs"})
FACILITY_NOUNS = frozenset({
    "plant", "factory", "facility", "center", "centre", "warehouse", "site", "campus", "lab", "laboratory",
    "mill", "refinery", "fab", "gigafactory", "depot", "hatchery", "farm", "store", "stores", "region",
    "hub", "terminal", "line", "base", "clinic", "hospital", "shop", "showroom", "restaurant",
    "plants", "factories", "facilities", "centers", "centres", "warehouses", "sites", "labs", "laboratories",
    "clinics", "hospitals", "terminals", "showrooms", "restaurants", "shops", "depots",
})
# "picked Kentucky for its second plant": choosing a place for a site.
SITE_CHOICE_VERBS = forms("pick", "choose", "select")

# Workforce.
HIRE_VERBS = forms("hire", "recruit", "add", "create", "take", "fill", "bring", "double", "triple",
                   "grow", "expand", "increase", "quadruple", "onboard", "staff")
CUT_VERBS = forms("cut", "shed", "eliminate", "lay", "axe", "slash", "reduce", "trim", "lose", "furlough",
                  "dismiss", "shrink", "close", "offer", "drop", "affect")
JOB_NOUNS = frozenset({
    "jobs", "job", "positions", "position", "roles", "staff", "employees", "workers", "people", "workforce",
    "headcount", "posts", "redundancies", "layoffs", "personnel", "engineers", "team", "members", "hires",
    "representatives", "reps", "drivers", "specialists", "scientists", "developers", "designers", "nurses",
    "technicians", "operators", "associates", "salespeople", "agents", "researchers", "analysts", "force",
})

# Organizations.
ORG_SUFFIX_WORDS = frozenset({
    "inc", "inc.", "corp", "corp.", "corporation", "co", "co.", "ltd", "ltd.", "llc", "plc", "gmbh", "ag", "sa",
    "nv", "bv", "ab", "group", "holdings", "labs", "lab", "systems", "technologies", "technology", "tech",
    "software", "health", "healthcare", "bio", "biosciences", "therapeutics", "pharma", "pharmaceuticals",
    "robotics", "energy", "power", "capital", "ventures", "partners", "bank", "bancorp", "financial",
    "payments", "logistics", "networks", "security", "analytics", "ai", "cloud", "foods", "brands", "retail",
    "insurance", "motors", "aerospace", "airlines", "media", "studios", "solutions", "services", "industries",
    "international", "global", "data", "digital", "mobility", "batteries", "aquaculture", "freight", "shipping",
    "water", "grid", "identity", "clinics", "pharmacy", "grocers", "trust", "cooperative", "university",
    "institute", "fund", "space", "semiconductor", "semiconductors", "materials", "devices", "medical",
    "dynamics", "works", "mint", "ledger", "markets", "exchange", "search", "executive", "associates",
})
ORG_HEAD_NOUNS = frozenset({
    "company", "startup", "start-up", "firm", "maker", "developer", "provider", "operator", "retailer",
    "lender", "bank", "insurer", "platform", "group", "business", "manufacturer", "supplier", "producer",
    "conglomerate", "unicorn", "chain", "brand", "carrier", "fintech", "biotech", "vendor", "specialist",
    "owner", "distributor", "designer", "builder", "rival", "competitor", "subsidiary", "parent", "outfit",
    "manager", "pioneer", "leader", "player", "service", "app", "marketplace", "agency", "studio", "utility",
    "grocer", "airline", "automaker", "carmaker", "chipmaker", "drugmaker", "miner", "broker", "exchange", "network",
})
COREF_NOUNS = frozenset({"company", "firm", "startup", "start-up", "group", "business", "retailer", "lender",
                         "bank", "maker", "operator", "insurer", "platform", "board", "registrant", "issuer",
                         "manufacturer", "developer", "provider", "carrier", "chain", "brand"})
NOT_ORG_WORDS = frozenset({
    "the", "a", "an", "series", "chief", "ceo", "cfo", "cto", "coo", "president", "officer", "vice",
    "head", "director", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "new", "shares", "investors", "officials", "analysts", "executive",
    "sources", "people", "reporters", "it", "they", "we", "he", "she", "item", "form", "ipo", "u.s.",
    "seed", "nasdaq", "nyse", "sec", "securities", "directors", "board", "company", "registrant", "stock",
    "committee", "agreement", "exchange", "act", "commission", "government", "court", "management", "trust",
})
