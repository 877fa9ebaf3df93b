"""SEC filings read as filings: 8-K Item 5.02 officer changes, and Form D offerings.

An 8-K names its items; Item 5.02 (departure, election or appointment of officers and
directors, and their compensation) becomes leadership_change signals for the registrant
with person, title and direction. Form D is structured: its fields are read directly.
"""
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Optional

from spacy.language import Language

from radar.nlp.candidates import Candidate
from radar.nlp.rules import Sentence
from radar.nlp.rules_people import leadership
from radar.nlp.titles import clean_title, find_titles
from radar.titles import normalize_title

_FORM = re.compile(r"\bFORM\s+8-K\b", re.I)
_ITEM = re.compile(r"\bItem\s*(\d{1,2}\.\d{2})\.?", re.I)
_REGISTRANT = re.compile(r"([^\n]{2,160}?)\s*\n?\s*\(Exact name of (?:the )?registrant", re.I)
_END = re.compile(r"\bSIGNATURES?\b|\bItem\s*\d{1,2}\.\d{2}", re.I)
_TITLE_ATOM = (r"(?:Departure of Directors(?: or (?:Certain|Principal) Officers)?|Election of Directors|"
               r"Appointment of (?:Certain|Principal) Officers|Compensatory Arrangements of Certain Officers)")
_502_TITLE = re.compile(rf"^\W*(?:{_TITLE_ATOM}\s*[.;,]?\s*)+", re.I)
# The signature block names the registrant again, often more cleanly than the cover page.
_SIGNED = re.compile(r"duly authorized[^.]{0,60}\.\s+(?:Date:\s*\w+\.? \d{1,2}, \d{4}\s+)?"
                     r"([A-Z0-9][A-Za-z0-9&.,' -]{1,80}?"
                     r"(?:INC\.?|INCORPORATED|CORPORATION|CORP\.?|COMPANY|CO\.|LTD\.?|LLC|PLC|L\.P\.|BANCORP|GROUP|HOLDINGS?))"
                     r"(?=\s*(?:\(Registrant\)|By:|Date:|/s/|$))", re.I)

_NAME_BEFORE = re.compile(r"((?:Mr\.|Ms\.|Mrs\.|Dr\.)?\s*[A-Z][\w'-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][\w'-]+){1,2}),?\s+"
                          r"(?:as\s+)?(?:the\s+|our\s+|its\s+)?$")

_HEADER_WORDS = re.compile(
    r"^(?:(?:Base|Salary|Bonus|Name|Officer|Executive|Title|Position|Total|Compensation|Award|Target)\s+)+")


@dataclass
class EightK:
    registrant: Optional[str]
    items: list[str]
    body: str
    sections: dict[str, str] = field(default_factory=dict)


def parse_8k(text: str, meta: Optional[dict[str, Any]] = None) -> Optional[EightK]:
    """The parts of an 8-K current report, or None when the text is not one.

    `meta` (a stored filing's metadata: form, items, company) marks the text as an 8-K
    even when its cover page was not kept."""
    meta = meta or {}
    is_8k = str(meta.get("form") or meta.get("kind") or "").upper().startswith("8-K")
    if not is_8k and (not _FORM.search(text[:4000]) or not _ITEM.search(text)):
        return None
    m = _REGISTRANT.search(text[:6000])
    signed = _SIGNED.search(re.sub(r"\s+", " ", text))
    registrant = meta.get("company") or (re.sub(r"\s+", " ", signed.group(1)).strip(" ,") if signed else None) \
        or (re.sub(r"\s+", " ", m.group(1)).strip(" .") if m else None)
    if registrant:
        registrant = re.sub(r"\s+([.,])", r"\1", registrant)
    sections: dict[str, str] = {}
    for im in _ITEM.finditer(text):
        end = _END.search(text, im.end())
        sections.setdefault(im.group(1), text[im.end(): end.start() if end else len(text)])
    declared = {n for i in meta.get("items") or [] if (n := item_number(i))}
    if "5.02" in declared and "5.02" not in sections:
        sections["5.02"] = text  # the filer declared the item but the text has no heading for it
    start = min((im.start() for im in _ITEM.finditer(text)), default=0)
    return EightK(registrant, sorted(set(sections) | declared), text[start:], sections)


# Item titles of Form 8-K (the SEC's form instructions), as EDGAR's index lists them.
_ITEM_TITLES = {
    "entry into a material definitive agreement": "1.01", "termination of a material definitive agreement": "1.02",
    "completion of acquisition or disposition of assets": "2.01",
    "results of operations and financial condition": "2.02",
    "creation of a direct financial obligation": "2.03", "cost associated with exit or disposal activities": "2.05",
    "costs associated with exit or disposal activities": "2.05", "material impairments": "2.06",
    "unregistered sales of equity securities": "3.02", "departure of directors": "5.02",
    "regulation fd disclosure": "7.01", "other events": "8.01", "financial statements and exhibits": "9.01",
}


def item_number(item: str) -> Optional[str]:
    """"5.02" for "5.02" or "Item 5.02" or "Departure of Directors or Certain Officers; ..."."""
    m = re.search(r"\b(\d\.\d\d)\b", item)
    if m:
        return m.group(1)
    low = item.lower()
    return next((n for title, n in _ITEM_TITLES.items() if low.startswith(title)), None)


def _sentences(section: str) -> list[str]:
    from radar.nlp.gate import sentences

    flat = _502_TITLE.sub("", re.sub(r"\s+", " ", section).strip())
    return list(sentences(flat))


def _compensation(nlp: Language, text: str, registrant: str) -> list[Candidate]:
    """Item 5.02 without an officer change: the officer whose arrangement it reports."""
    flat = _502_TITLE.sub("", re.sub(r"\s+", " ", text).strip())
    for m in find_titles(flat):
        before = _NAME_BEFORE.search(flat[max(0, m.start() - 60): m.start()])
        if before and not re.search(r"\b(Company|Committee|Board|Registrant|Corporation|Inc)\b", before.group(1)):
            name = before.group(1)
            # A table row runs the column header into the name ("Base Salary Jen-Hsun Huang"): trust the NER's cut.
            context = flat[max(0, m.start() - 120): m.end()]
            people = [e.text for e in nlp(context).ents if e.label_ == "PERSON" and name.endswith(e.text)]
            name = _HEADER_WORDS.sub("", people[0] if people else name.strip())  # table headers are not names
            return [_officer(registrant, name, m.group(0), "compensation", 0.4,
                             flat[max(0, m.start() - 200): m.end() + 100])]
    doc = nlp(flat[:3000])
    persons = [e for e in doc.ents if e.label_ == "PERSON"]
    titles = find_titles(flat[:3000])
    if persons and titles:
        return [_officer(registrant, persons[0].text, titles[0].group(0), "compensation", 0.4, persons[0].sent.text)]
    return []


def _officer(org: str, person: str, title: str, subtype: str, conf: float, evidence: str) -> Candidate:
    title = clean_title(title)
    function, seniority = normalize_title(title)
    person = re.sub(r"^(Mr|Ms|Mrs|Dr)\.\s*", "", person.strip())
    return Candidate("leadership_change", org, subtype, conf, evidence.strip()[:1000],
                     {"person": person, "title": title, "function": function, "seniority": seniority,
                      "source": "8-K 5.02"})


def leadership_from_8k(nlp: Language, filing: EightK, found: list[Candidate]) -> list[Candidate]:
    """Officer changes of Item 5.02, for the registrant; the body's other signals are kept."""
    org = filing.registrant or next((c.org for c in found), None)
    section = filing.sections.get("5.02")
    if section is None or not org:
        return found
    out = [c for c in found if c.type != "leadership_change"]
    changes: list[Candidate] = []
    for doc in nlp.pipe(_sentences(section)):
        for c in leadership(Sentence(doc, ctx=org)):
            person = str(c.attributes.get("person") or "")
            if any(person in str(o.attributes.get("person")) for o in changes):
                continue  # "Mr. Petno" again, after "Doug Petno"
            c.org = org
            c.confidence = max(c.confidence, 0.9)
            c.attributes["source"] = "8-K 5.02"
            changes.append(c)
    if not changes:
        # The section read no change, but the press release attached to it may have: the
        # detector's readings of the body stand (Exhibit 99 "… has been appointed …").
        body = [c for c in found if c.type == "leadership_change"]
        if body:
            return out + body
        changes = _compensation(nlp, section, org) or [Candidate("leadership_change", org, "compensation", 0.35,
                                                                 re.sub(r"\s+", " ", section.strip())[:400],
                                                                 {"source": "8-K 5.02"})]
    return out + changes


def form_d_candidate(formd: dict[str, Any], filed: Optional[date] = None) -> Optional[Candidate]:
    """A Form D notice as a funding signal: amount sold, date of first sale; no NLP."""
    issuer = str(formd.get("issuer") or "").strip()
    if not issuer:
        return None
    if re.search(r"pooled investment fund", str(formd.get("industry_group") or ""), re.I):
        return None  # a fund raising its own capital is not a company's round (as with VC fund closes)
    sold = _number(formd.get("amount_sold"))
    total = _number(formd.get("total_offering"))
    attrs: dict[str, Any] = {"round": "unknown", "amount": sold, "currency": "USD" if sold is not None else None,
                             "lead_investor": None, "investors": [], "total_offering": total,
                             "date_first_sale": formd.get("date_first_sale"),
                             "industry_group": formd.get("industry_group"), "source": "Form D"}
    evidence = f"Form D: {issuer} reported {'$' + format(int(sold), ',') if sold else 'an offering'} sold" + (
        f" of ${int(total):,} offered" if total else "") + (
        f", first sale {formd.get('date_first_sale')}" if formd.get("date_first_sale") else "")
    conf = 0.9 if sold else 0.5
    return Candidate("funding", issuer, "unknown", conf, evidence, attrs)


def _number(value: Any) -> Optional[float]:
    try:
        v = float(str(value).replace(",", ""))
    except (TypeError, ValueError):
        return None
    return v if v >= 0 else None
