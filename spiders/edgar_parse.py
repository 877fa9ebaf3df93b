"""Reading SEC EDGAR: the latest-filings Atom feed, filing submissions (SGML .txt, the .nc
dissemination format, index headers) with their declared 8-K items, 8-K text, and the
facts of a Form D primary_doc.xml. Pure functions over bytes: no I/O here.
"""
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Optional

import lxml.etree
import lxml.html

from radar.spiders.articles import clean_text
from radar.spiders.feeds import parse as parse_feed_body

# 8-K items (Form 8-K General Instructions, items since 2004): a distinctive fragment of
# each title, as filers and EDGAR headers word them, to its code.
ITEM_TITLES: dict[str, str] = {
    "entry into a material definitive": "1.01", "termination of a material definitive": "1.02",
    "bankruptcy or receivership": "1.03", "mine safety": "1.04", "material cybersecurity incident": "1.05",
    "completion of acquisition or disposition": "2.01", "results of operations and financial condition": "2.02",
    "creation of a direct financial obligation": "2.03", "triggering events that accelerate": "2.04",
    "costs associated with exit or disposal": "2.05", "material impairments": "2.06",
    "notice of delisting": "3.01", "unregistered sales of equity": "3.02",
    "material modification to rights": "3.03", "material modifications to rights": "3.03",
    "changes in registrant's certifying accountant": "4.01", "non-reliance on previously issued": "4.02",
    "changes in control of registrant": "5.01", "departure of directors": "5.02",
    "amendments to articles of incorporation": "5.03", "temporary suspension of trading": "5.04",
    "amendments to the registrant's code of ethics": "5.05", "change in shell company status": "5.06",
    "submission of matters to a vote": "5.07", "shareholder director nominations": "5.08",
    "abs informational and computational": "6.01", "change of servicer or trustee": "6.02",
    "change in credit enhancement": "6.03", "failure to make a required distribution": "6.04",
    "securities act updating disclosure": "6.05", "static pool": "6.06",
    "regulation fd disclosure": "7.01", "other events": "8.01", "financial statements and exhibits": "9.01",
}
ITEM_CODES = frozenset(ITEM_TITLES.values())
EIGHT_K_FORMS = ("8-K", "8-K/A")
FORM_D_FORMS = ("D", "D/A")

_ITEM_HEADING = re.compile(r"\bitem\s*(\d)\s*\.\s*(\d{2})\b", re.I)
_SUMMARY_ITEM = re.compile(r"Item\s+(\d\.\d{2})\s*:")
_TITLE = re.compile(r"^(?P<form>.+?) - (?P<company>.+) \((?P<cik>\d{4,10})\) \((?P<role>[^)]*)\)\s*$")
_ACCESSION = re.compile(r"(\d{10}-\d{2}-\d{6})")
_BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "td", "th"}


@dataclass
class FilingRef:
    """One entry of the latest-filings feed."""

    form: str
    company: str
    cik: str
    accession: str
    index_url: str
    filed: Optional[str] = None
    items: list[str] = field(default_factory=list)

    @property
    def folder(self) -> str:
        return self.index_url.rsplit("/", 1)[0]

    @property
    def submission_url(self) -> str:
        return f"{self.folder}/{self.accession}.txt"

    @property
    def primary_doc_url(self) -> str:
        return f"{self.folder}/primary_doc.xml"


@dataclass
class Header:
    accession: Optional[str] = None
    form: Optional[str] = None
    filed: Optional[str] = None  # YYYY-MM-DD
    company: Optional[str] = None
    cik: Optional[str] = None
    sic: Optional[int] = None
    items: list[str] = field(default_factory=list)
    # The filer's business address (city, state or country code): where it is headquartered.
    city: Optional[str] = None
    state: Optional[str] = None


@dataclass
class SubmissionDoc:
    type: str
    filename: str
    body: bytes


# -- the feed ------------------------------------------------------------------------------

def parse_latest_filings(body: bytes, url: str = "") -> list[FilingRef]:
    """Entries of an EDGAR 'getcurrent' Atom feed, in feed order."""
    parsed = parse_feed_body(body, url)
    out = []
    for e in parsed.entries:
        ref = _filing_ref(e)
        if ref is not None:
            out.append(ref)
    return out


def _filing_ref(e: Any) -> Optional[FilingRef]:
    m = _TITLE.match(clean_text(e.get("title")))
    acc = _ACCESSION.search(str(e.get("id", "")) + " " + str(e.get("link", "")))
    link = str(e.get("link") or "")
    if not m or not acc or not link.startswith(("http://", "https://")):
        return None
    terms = [t.get("term") for t in e.get("tags", []) if t.get("term")]
    summary = str(e.get("summary", ""))
    filed = re.search(r"Filed:\s*(?:</b>)?\s*(\d{4}-\d{2}-\d{2})", summary)
    return FilingRef(
        form=(terms[0] if terms else m["form"]).strip(), company=m["company"].strip(),
        cik=m["cik"].lstrip("0") or "0", accession=acc.group(1), index_url=link,
        filed=filed.group(1) if filed else None, items=sorted(set(_SUMMARY_ITEM.findall(summary))),
    )


# -- submissions ---------------------------------------------------------------------------

def parse_header(raw: bytes) -> Header:
    """The SEC header of a submission: SGML 'KEY: value' lines or the tagged .nc form."""
    text = raw[:200_000].decode("latin-1")
    if re.search(r"^ACCESSION NUMBER:", text, re.M):
        return _header_from_lines(text)
    return _header_from_tags(text)


def _header_from_lines(text: str) -> Header:
    def one(key: str) -> Optional[str]:
        m = re.search(rf"^\s*{key}:[ \t]*(.*)$", text, re.M)
        return m.group(1).strip() if m and m.group(1).strip() else None

    titles = [t.strip() for t in re.findall(r"^ITEM INFORMATION:[ \t]*(.*)$", text, re.M) if t.strip()]
    address = re.search(r"BUSINESS ADDRESS:(.*?)(?:\n\s*\n|MAIL ADDRESS:|</SEC-HEADER>)", text, re.S)
    city = re.search(r"^\s*CITY:[ \t]*(.*)$", address.group(1), re.M) if address else None
    state = re.search(r"^\s*STATE:[ \t]*(.*)$", address.group(1), re.M) if address else None
    sic = re.search(r"STANDARD INDUSTRIAL CLASSIFICATION:.*\[(\d{3,4})\]", text)
    return Header(
        accession=one("ACCESSION NUMBER"), form=one("CONFORMED SUBMISSION TYPE"),
        filed=_iso(one("FILED AS OF DATE")), company=one("COMPANY CONFORMED NAME"),
        cik=_cik(one("CENTRAL INDEX KEY")), sic=int(sic.group(1)) if sic else None,
        items=items_from_titles(titles), city=city.group(1).strip() or None if city else None,
        state=state.group(1).strip() or None if state else None,
    )


def _header_from_tags(text: str) -> Header:
    def one(tag: str) -> Optional[str]:
        m = re.search(rf"<{tag}>([^<\r\n]*)", text)
        return m.group(1).strip() if m and m.group(1).strip() else None

    codes = [c.strip() for c in re.findall(r"<ITEMS>([^<\r\n]*)", text)]
    sic = one("ASSIGNED-SIC")
    address = re.search(r"<BUSINESS-ADDRESS>(.*?)</BUSINESS-ADDRESS>", text, re.S)
    city = re.search(r"<CITY>([^<\r\n]*)", address.group(1)) if address else None
    state = re.search(r"<STATE>([^<\r\n]*)", address.group(1)) if address else None
    return Header(
        accession=one("ACCESSION-NUMBER"), form=one("TYPE"), filed=_iso(one("FILING-DATE")),
        company=one("CONFORMED-NAME"), cik=_cik(one("CIK")), sic=int(sic) if sic and sic.isdigit() else None,
        items=sorted({c for c in codes if c in ITEM_CODES}),
        city=city.group(1).strip() or None if city else None, state=state.group(1).strip() or None if state else None,
    )


def items_from_titles(titles: list[str]) -> list[str]:
    codes = set()
    for title in titles:
        norm = re.sub(r"\s+", " ", title.lower().replace("’", "'"))
        for fragment, code in ITEM_TITLES.items():
            if fragment in norm:
                codes.add(code)
                break
    return sorted(codes)


def items_from_text(text: str) -> list[str]:
    """'Item 5.02' headings in the body, for filings whose header declares none."""
    return sorted({f"{a}.{b}" for a, b in _ITEM_HEADING.findall(text) if f"{a}.{b}" in ITEM_CODES})


def submission_documents(raw: bytes) -> list[SubmissionDoc]:
    """The <DOCUMENT>s of a full submission, with their type, file name and <TEXT> body."""
    docs = []
    for m in re.finditer(rb"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", raw, re.S):
        chunk = m.group(1)
        dtype = re.search(rb"<TYPE>([^<\r\n]*)", chunk)
        name = re.search(rb"<FILENAME>([^<\r\n]*)", chunk)
        body = re.search(rb"<TEXT>(.*?)(?:</TEXT>|\Z)", chunk, re.S)
        docs.append(SubmissionDoc(
            type=dtype.group(1).strip().decode("latin-1") if dtype else "",
            filename=name.group(1).strip().decode("latin-1") if name else "",
            body=body.group(1) if body else b"",
        ))
    return docs


def html_to_text(body: bytes) -> str:
    """Readable plain text of a filing document: blocks on their own lines, hidden inline
    XBRL facts and scripts dropped; plain-text documents pass through."""
    body = re.sub(rb"</?(XBRL|XML)>", b"", body).strip()
    if not re.search(rb"<(html|body|p|div|table|font)\b", body[:5000], re.I):
        return _tidy(body.decode("utf-8", "replace"))
    try:
        tree = lxml.html.fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return _tidy(re.sub(r"<[^>]+>", " ", body.decode("utf-8", "replace")))
    for el in tree.xpath("//script|//style|//*[local-name()='header']"
                         "|//*[contains(translate(@style,' ',''),'display:none')]"):
        el.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag.split("}")[-1].lower() in _BLOCKS:
            el.tail = "\n" + (el.tail or "")
    return _tidy(tree.text_content())


def _tidy(text: str) -> str:
    lines = (re.sub(r"[ \t\u00a0\u200b]+", " ", line).strip() for line in text.splitlines())
    return clean_text(re.sub(r"\n{3,}", "\n\n", "\n".join(lines)))


def eight_k_text(raw: bytes) -> str:
    """Plain text of the 8-K document itself (not its exhibits)."""
    docs = submission_documents(raw)
    main = next((d for d in docs if d.type.upper() in EIGHT_K_FORMS), docs[0] if docs else None)
    if main is None:  # a bare primary document rather than a full submission
        return html_to_text(raw)
    return html_to_text(main.body)


_SCHEMA_REF = re.compile(rb"schemaRef\b[^>]{0,300}?href=\"([a-z0-9][a-z0-9-]*?)-\d{8}\.xsd\"", re.I)


def filer_site(raw: bytes) -> Optional[str]:
    """The host of the filer's own XBRL taxonomy ("jpm-20260624.xsd" declares its prefix jpm as
    http://www.jpmorganchase.com/20260624): the SEC asks filers to name their extension
    namespace after a domain they control, so it is their own site. None when the filing has
    no inline XBRL (older filings)."""
    ref = _SCHEMA_REF.search(raw)
    if ref is None:
        return None
    ns = re.search(rb'xmlns:' + re.escape(ref.group(1)) + rb'="https?://([a-z0-9.-]+\.[a-z]{2,})/', raw, re.I)
    return ns.group(1).decode("ascii").lower() if ns else None


def _iso(value: Optional[str]) -> Optional[str]:
    if value and re.fullmatch(r"\d{8}", value):
        return f"{value[:4]}-{value[4:6]}-{value[6:]}"
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    return None


def _cik(value: Optional[str]) -> Optional[str]:
    return (value.lstrip("0") or "0") if value and value.isdigit() else None


# -- Form D --------------------------------------------------------------------------------

def form_d_xml(raw: bytes) -> bytes:
    """The edgarSubmission XML, from a primary_doc.xml or a full/.nc submission."""
    m = re.search(rb"<edgarSubmission\b.*?</edgarSubmission>", raw, re.S)
    if not m:
        raise ValueError("no Form D edgarSubmission XML found")
    return m.group(0)


def form_d_facts(raw: bytes) -> dict[str, Any]:
    """The facts of a Form D: issuer, CIK, industry group, amounts, first sale, people."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
    root = lxml.etree.fromstring(form_d_xml(raw), parser=parser)
    if root is None:
        raise ValueError("unreadable Form D XML")

    def text(path: str) -> Optional[str]:
        found = root.xpath(f"string({path})")
        return clean_text(str(found)) or None

    first_sale = text("//offeringData/typeOfFiling/dateOfFirstSale/value")
    return {
        "issuer": text("//primaryIssuer/entityName"),
        "cik": _cik(text("//primaryIssuer/cik")),
        "industry_group": text("//offeringData/industryGroup/industryGroupType"),
        "total_offering": _amount(text("//offeringSalesAmounts/totalOfferingAmount")),
        "amount_sold": _amount(text("//offeringSalesAmounts/totalAmountSold")),
        "date_first_sale": first_sale if first_sale and _iso(first_sale) else None,
        "related_persons": [_person(p) for p in root.xpath("//relatedPersonsList/relatedPersonInfo")],
        "is_amendment": text("//typeOfFiling/newOrAmendment/isAmendment") == "true",
        "entity_type": text("//primaryIssuer/entityType"),
        "jurisdiction": text("//primaryIssuer/jurisdictionOfInc"),
        "city": text("//primaryIssuer/issuerAddress/city"),
        "state": text("//primaryIssuer/issuerAddress/stateOrCountry"),
        "federal_exemptions": [clean_text(i) for i in root.xpath("//federalExemptionsExclusions/item/text()")],
        "total_remaining": _amount(text("//offeringSalesAmounts/totalRemaining")),
        "investors": _int(text("//investors/totalNumberAlreadyInvested")),
        "submission_type": text("/edgarSubmission/submissionType"),
    }


def _person(el: Any) -> dict[str, Any]:
    parts = [clean_text(x) for x in el.xpath("relatedPersonName/*/text()")]
    name = " ".join(p for p in parts if p and p.upper() != "N/A")
    return {
        "name": name,
        "relationships": [clean_text(r) for r in el.xpath("relatedPersonRelationshipList/relationship/text()")],
        "clarification": clean_text(str(el.xpath("string(relationshipClarification)"))) or None,
    }


def _amount(value: Optional[str]) -> Optional[float]:
    try:
        return float(value.replace(",", "")) if value else None  # "Indefinite" → None
    except ValueError:
        return None


def _int(value: Optional[str]) -> Optional[int]:
    return int(value) if value and value.isdigit() else None


def form_d_summary(company: str, facts: dict[str, Any]) -> str:
    """A short human-readable account of the offering, for search and the digest."""
    def money(v: Optional[float]) -> str:
        return f"${v:,.0f}" if v is not None else "an indefinite amount"

    kind = "an amended Form D" if facts.get("is_amendment") else "a Form D"
    lines = [f"{facts.get('issuer') or company} filed {kind} notice of an exempt offering"
             + (f" ({facts['industry_group']})" if facts.get("industry_group") else "") + "."]
    lines.append(f"Total offering {money(facts.get('total_offering'))}; amount sold {money(facts.get('amount_sold'))}.")
    if facts.get("date_first_sale"):
        lines.append(f"First sale on {facts['date_first_sale']}.")
    people = [f"{p['name']} ({', '.join(p['relationships'])})" for p in facts.get("related_persons", [])
              if p.get("name")]
    if people:
        lines.append("Related persons: " + "; ".join(people[:20]) + ".")
    return " ".join(lines)


def filed_date(value: Optional[str]) -> Optional[datetime]:

    iso = _iso(value)
    return datetime.fromisoformat(iso).replace(tzinfo=UTC) if iso else None
