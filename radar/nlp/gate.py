"""The cheap gate: sentence splitting and trigger phrases on a blank tokenizer.

Only sentences that contain a trigger of some signal type reach the statistical
pipeline; on ordinary news that is a minority of sentences, which is where most of
extraction's speed comes from.
"""
import re
from functools import lru_cache
from typing import Iterator

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span

from radar.nlp import lexicon as lx

_PHRASES = (
    "series a", "series b", "series c", "series d", "series e", "series f", "pre-seed", "seed", "round", "funding",
    "financing", "investment", "investors", "investor", "grant", "credit facility", "led the round", "participated",
    "took part", "chief", "officer", "president", "head of", "vice president", "vp", "svp", "evp", "director",
    "general counsel", "ceo", "cfo", "cto", "coo", "cmo", "cro", "cpo", "ciso", "step down", "steps down",
    "stepped down", "search", "searching", "recruiter", "candidates", "acquisition", "acquire", "takeover", "merger",
    "ipo", "initial public offering", "go public", "went public", "listing", "debut", "trading", "float", "prospectus",
    "registration statement", "launch", "launches", "launched", "unveil", "unveils", "unveiled", "introduced",
    "introduces", "released", "releases", "rolled out", "went live", "goes live", "available", "new from", "to market",
    "partnership", "partner", "partners", "agreement", "collaboration", "contract", "customer", "teams up", "selected",
    "office", "headquarters", "plant", "factory", "facility", "center", "centre", "warehouse", "data center",
    "entered", "enters", "expand", "expands", "expanding", "expansion", "hire", "hires", "hiring", "recruit", "jobs",
    "positions", "people", "staff", "employees", "workers", "workforce", "headcount", "layoffs", "laid off",
    "lay off", "redundancy", "redundancies", "job cuts", "engineers", "team",
)


# "RALEIGH, N.C., June 3, 2025 -- " and "ZURICH -- ": a dateline is not part of the sentence.
DATELINE = re.compile(r"^[A-Z][A-Z.' ]{1,40}(?:,\s*[A-Z][\w.]*\.?(?:\s[A-Z][\w.]*)?)*(?:,\s*[A-Z][a-z]+\.?\s\d{1,2},?\s\d{4})?\s*(?:--|—|–)\s*")


# "... in a Series A. Greyfield led the round": the tokenizer keeps "A." whole, as an initial.
_ROUND_END = re.compile(r"\b((?:Series|Round) [A-H])\.\s+(?=[A-Z\"“])")


def strip_dateline(sentence: str) -> str:
    return DATELINE.sub("", sentence, count=1)


@lru_cache(maxsize=1)
def splitter() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    nlp.tokenizer.max_cache_size = 100_000  # type: ignore[attr-defined]
    return nlp


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher:
    nlp = splitter()
    words = set().union(
        lx.FUNDING_VERBS, lx.ACQUIRE_VERBS, lx.PROMOTE_VERBS, lx.DEPART_VERBS, lx.APPOINT_VERBS, lx.CUT_VERBS,
        lx.DEPART_NOUNS, lx.APPOINT_NOUNS, lx.ACQUIRE_NOUNS, lx.INVEST_VERBS, lx.LAUNCH_VERBS, lx.PARTNER_VERBS,
        lx.PARTNER_NOUNS, lx.CUSTOMER_VERBS, lx.EXPAND_VERBS, lx.OFFICE_NOUNS, lx.FACILITY_NOUNS, lx.HIRE_VERBS,
        lx.SEARCH_VERBS, lx.PROMOTE_NOUNS)
    # Words too common to mean anything alone; the phrases above cover their signal uses.
    words -= lx.forms("add", "announce", "get", "close", "become", "set", "lead", "offer", "drop", "reduce", "take",
                      "make", "use", "grow", "increase", "start", "begin", "bring", "move", "extend", "form", "work",
                      "join", "look", "lose", "affect", "pick", "present", "name", "select", "team", "sign", "enter",
                      "agree", "back", "put", "fund", "staff", "expand", "employ", "double") | {
        "line", "base", "store", "site", "shop", "venture", "farm", "terminal"}
    words |= set(_PHRASES) | lx.forms("select", "sign", "choose", "pick", "join", "name") | lx.MARKET_NOUNS \
        | {"work with", "works with", "working with", "worked with", "on sale", "to market", "general counsel",
           "taken over", "take over", "takes over", "first session", "first day of trading", "now delivering",
           "as a customer", "availability", "go live", "went live", "goes live", "launch of", "set up", "sets up",
           "setting up", "first store", "new store", "new stores"}
    m = PhraseMatcher(nlp.vocab, attr="LOWER")
    m.add("STRONG", list(nlp.tokenizer.pipe(sorted(words - WEAK))))
    m.add("WEAK", list(nlp.tokenizer.pipe(sorted(words & WEAK))))
    return m


# Words that appear in signal sentences but far more often elsewhere ("people", "market",
# "president"): alone they do not open the gate; two of them, or one strong trigger, do.
WEAK = frozenset({
    "people", "market", "markets", "president", "investors", "investor", "office", "offices", "chief", "director",
    "officer", "investment", "business", "alliance", "team", "region", "center", "centre", "service", "staff",
    "workers", "employees", "workforce", "customer", "candidates", "search", "jobs", "positions", "available",
    "ceo", "cfo", "cto", "coo", "cmo", "cro", "cpo", "head of", "vice president", "vp", "svp", "evp", "engineers",
    "election", "fire", "fired", "firing", "leave", "left", "leaving", "leaves", "build", "built", "building", "builds",
    "create", "creates", "created", "creating", "open", "opening", "release", "revealed", "reveal", "reveals", "strike", "strikes", "struck", "collect", "collected",
    "quit", "interview", "interviewing", "obtained", "obtain", "completed", "complete", "completes", "established",
    "establish", "trading", "deal", "agreement", "contract", "partner", "partners", "presence", "operations",
    "facility", "plant", "site", "hub", "lab", "warehouse", "headquarters", "round", "grant", "seed", "capital",
    "general counsel", "available", "service", "footprint", "stake",
    "launch", "launches", "retire", "retired", "retiring", "replace", "replaced", "replacing",
    "succeed", "succeeds", "succeeded", "welcome", "welcomed", "welcomes", 
    "customer", "customers", "signs", "signed", "sign", "signing", 
    "awarded", "award", "use", "uses", "deploy", "deploys", "backed", "back", "funding", "investments",
})


def _opens(span: Span) -> bool:
    """One strong trigger, two weak ones, or a weak one with a number ("add 300 jobs")."""
    hits = _matcher()(span)
    if not hits:
        return False
    strong = span.vocab.strings["STRONG"]
    if any(h[0] == strong for h in hits) or len({(h[1], h[2]) for h in hits}) >= 2:
        return True
    return any(t.like_num or t.is_currency for t in span)


def sentences(text: str) -> Iterator[str]:
    """Sentences of a text; line breaks are hard boundaries (headlines and datelines have no period)."""
    nlp = splitter()
    blocks = [b.strip() for b in text.splitlines() if b.strip()]
    for doc in nlp.pipe(blocks, batch_size=256):
        for sent in doc.sents:
            s = sent.text.strip()
            if s:
                yield s


def gated(text: str) -> list[tuple[str, bool]]:
    """Each sentence with whether it can carry a signal."""
    nlp = splitter()
    out: list[tuple[str, bool]] = []
    blocks = [b.strip() for b in _ROUND_END.sub(r"\1.\n", text).splitlines() if b.strip()]
    for doc in nlp.pipe(blocks, batch_size=256):
        for sent in doc.sents:
            text = strip_dateline(sent.text.strip())
            if text:
                out.append((text, _opens(doc[sent.start: sent.end])))
    return out


def passes(sentence: str) -> bool:
    doc = splitter().make_doc(sentence)
    return _opens(doc[:])
