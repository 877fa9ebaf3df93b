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
                      "agree", "back", "put", "fund", "win", "staff", "expand", "employ", "double") | {
        "line", "base", "store", "site", "shop", "venture", "farm", "terminal"}
    words |= set(_PHRASES) | lx.forms("select", "sign", "choose", "pick") | lx.MARKET_NOUNS | {"work with", "works with", "working with", "worked with", "on sale"}
    m = PhraseMatcher(nlp.vocab, attr="LOWER")
    m.add("TRIGGER", list(nlp.tokenizer.pipe(sorted(words))))
    return m


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
    m = _matcher()
    out: list[tuple[str, bool]] = []
    blocks = [b.strip() for b in _ROUND_END.sub(r"\1.\n", text).splitlines() if b.strip()]
    for doc in nlp.pipe(blocks, batch_size=256):
        for sent in doc.sents:
            text = strip_dateline(sent.text.strip())
            if text:
                out.append((text, bool(m(doc[sent.start: sent.end], as_spans=True))))
    return out


def passes(sentence: str) -> bool:
    return bool(_matcher()(splitter().make_doc(sentence)))
