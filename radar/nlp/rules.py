"""Rules from one NER-tagged sentence to candidate signals (funding, leadership changes)."""
import re
from typing import Any, Optional

from spacy.tokens import Span

from radar.nlp.candidates import Candidate

ROUND = re.compile(r"\b(pre-?seed|seed|series\s+([a-h])\b|growth|venture debt|debt|grant)", re.I)
FUNDING_VERB = re.compile(r"\b(rais(es|ed|ing)|secur(es|ed|ing)|clos(es|ed|ing)|land(s|ed)|announc(es|ed) .{0,30}(funding|round|financing))\b", re.I)
INVESTOR_CUE = re.compile(r"\b(led by|co-led by|from|with participation (from|of)|including|backed by|joined by|investors?)\s*$", re.I)
SPECULATION = re.compile(r"\b(may|might|could|reportedly|is said to|are said to|rumou?r|in talks|considering|denied|denies|plans? to|no plans|not)\b", re.I)

APPOINT = re.compile(r"\b(appoint(s|ed)?|nam(es|ed)|hir(es|ed)|tap(s|ped)|welcom(es|ed)|join(s|ed)|promot(es|ed))\b", re.I)
DEPART = re.compile(r"\b(step(s|ped|ping)? down|resign(s|ed)?|depart(s|ed|ing)?|leav(es|ing)|retir(es|ed|ing)|will leave)\b", re.I)
PROMOTE = re.compile(r"\bpromot(es|ed|ion)\b", re.I)
TITLE = re.compile(
    r"\b((?:chief|senior vice president|executive vice president|svp|evp|vice president|vp|head|director|general manager|president|"
    r"c[eftmorp]o|cfo|cto|cro|cpo|coo|ciso|cdo|general counsel)\b[\w ,&/-]{0,60}?)(?=[,.;]|\s+(?:at|of|for|from|to|in|effective|and|after|who|where|,)\b|$)",
    re.I,
)

FUNCTION_CUES = [
    ("engineering", r"engineer|technology|cto|technical|platform|software|infrastructure"),
    ("product", r"product|cpo"),
    ("design", r"design|ux|creative"),
    ("data", r"data|analytics|ai\b|machine learning|cdo"),
    ("sales", r"sales|revenue|cro|business development|commercial"),
    ("marketing", r"marketing|cmo|brand|growth"),
    ("customer_success", r"customer|client|support"),
    ("finance", r"financ|cfo|accounting|controller|treasur"),
    ("operations", r"operat|coo|supply|logistics|manufactur"),
    ("people", r"people|human resources|hr\b|talent|chro"),
    ("legal", r"legal|counsel|compliance|clo\b"),
    ("executive", r"ceo|chief executive|president|founder|managing director|general manager"),
]
SENIORITY_CUES = [
    ("c_level", r"\bchief\b|\bc[a-z]o\b|\bceo\b|president|general counsel"),
    ("vp", r"vice president|\bvp\b|\bsvp\b|\bevp\b"),
    ("head", r"\bhead\b"),
    ("director", r"director"),
    ("manager", r"manager|lead\b"),
]


def normalize_title(title: str) -> tuple[Optional[str], Optional[str]]:
    """(function, seniority) of a job title such as 'VP of Engineering'."""
    t = title.lower()
    seniority = next((s for s, rx in SENIORITY_CUES if re.search(rx, t)), None)
    function = next((f for f, rx in FUNCTION_CUES if f != "executive" and re.search(rx, t)), None)
    if function is None and re.search(dict(FUNCTION_CUES)["executive"], t):
        function = "executive"
    return function, seniority


def _amount(money: Span) -> tuple[Optional[float], Optional[str]]:
    text = money.text.lower().replace(",", "")
    currency = "EUR" if "€" in text or "eur" in text else "GBP" if "£" in text else "USD"
    m = re.search(r"(\d+(?:\.\d+)?)\s*(billion|bn|b\b|million|mn|m\b|thousand|k\b)?", text)
    if not m:
        return None, currency
    value = float(m.group(1))
    unit = (m.group(2) or "").strip()
    scale = {"billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6, "thousand": 1e3, "k": 1e3}.get(unit, 1)
    return value * scale, currency


def _round(text: str) -> str:
    m = ROUND.search(text)
    if not m:
        return "unknown"
    word = m.group(1).lower()
    if m.group(2):
        return f"series_{m.group(2).lower()}"
    return {"pre-seed": "pre_seed", "preseed": "pre_seed", "venture debt": "debt"}.get(word, word)


def _orgs(sent: Span) -> list[Span]:
    return [e for e in sent.ents if e.label_ == "ORG"]


def _is_investor(sent: Span, org: Span) -> bool:
    before = sent.doc[sent.start: org.start].text
    return bool(INVESTOR_CUE.search(before)) or bool(re.search(r"\b(led by|from|including)\b[^.;]*$", before, re.I) and re.search(r"\b(led by|participation|investors?)\b", before, re.I))


def funding(sent: Span) -> list[Candidate]:
    text = sent.text
    verb = FUNDING_VERB.search(text)
    money = [e for e in sent.ents if e.label_ == "MONEY"]
    if not verb or not (money or ROUND.search(text)):
        return []
    orgs = _orgs(sent)
    verb_at = sent.start_char + verb.start()
    subjects = [o for o in orgs if o.start_char < verb_at and not _is_investor(sent, o)]
    if not subjects:
        return []
    subject = subjects[-1] if len(subjects) > 1 and subjects[-1].end_char + 40 >= verb_at else subjects[0]
    investors = [o.text for o in orgs if o is not subject and o.start_char > verb_at]
    lead = None
    m = re.search(r"led by\s+", text, re.I)
    if m:
        after = sent.start_char + m.end()
        lead = next((o.text for o in orgs if o.start_char >= after), None)
    amount, currency = _amount(money[0]) if money else (None, None)
    attrs: dict[str, Any] = {"round": _round(text), "amount": amount, "currency": currency,
                             "lead_investor": lead, "investors": investors}
    conf = 0.8 if money else 0.6
    if SPECULATION.search(text):
        conf -= 0.4
    return [Candidate("funding", subject.text, attrs["round"], round(conf, 2), text.strip(), attrs)]


def leadership(sent: Span) -> list[Candidate]:
    text = sent.text
    people = [e for e in sent.ents if e.label_ == "PERSON"]
    title_m = TITLE.search(text)
    if not people or not title_m:
        return []
    if PROMOTE.search(text):
        subtype = "promoted"
    elif DEPART.search(text):
        subtype = "departed"
    elif APPOINT.search(text):
        subtype = "appointed"
    else:
        return []
    person = people[0]
    orgs = [o for o in _orgs(sent) if not re.search(r"\b(previously|formerly|from|prior to|before|at)\s*$", text[: o.start_char - sent.start_char], re.I) or o.start_char < person.start_char]
    if not orgs:
        return []
    title = title_m.group(1).strip(" ,")
    function, seniority = normalize_title(title)
    conf = 0.75
    if SPECULATION.search(text):
        conf -= 0.35
    attrs = {"person": person.text, "title": title, "function": function, "seniority": seniority}
    return [Candidate("leadership_change", orgs[0].text, subtype, round(conf, 2), text.strip(), attrs)]


RULES = (funding, leadership)


def apply_rules(sent: Span) -> list[Candidate]:
    out: list[Candidate] = []
    for rule in RULES:
        out.extend(rule(sent))
    return out
