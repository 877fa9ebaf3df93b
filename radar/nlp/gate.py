"""The cheap gate: sentence splitting and trigger phrases on a blank tokenizer.

Only sentences that contain a trigger of some signal type reach the statistical
pipeline; on ordinary news that is a minority of sentences, which is where most of
extraction's speed comes from.
"""
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

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
    # headline and trade-press wording
    "hunt", "headhunter", "headhunters", "search firm", "joint venture", "tie-up", "nabs", "nabbed", "snaps up",
    "snapped up", "picks up", "picked up", "scoops up", "scooped up", "swoops", "merge", "merges", "merger",
    "buyout", "teams up", "teamed up", "team up", "partners with", "partnered with", "partnering with",
    "partner with", "sold to", "sell itself", "sells itself", "relocate", "relocates", "relocating", "relocated",
)


# "RALEIGH, N.C., June 3, 2025 -- " and "ZURICH -- ": a dateline is not part of the sentence.
DATELINE = re.compile(r"^[A-Z][A-Z.' ]{1,40}(?:,\s*[A-Z][\w.]*\.?(?:\s[A-Z][\w.]*)?)*"
                      r"(?:,\s*[A-Z][a-z]+\.?\s\d{1,2},?\s\d{4})?\s*(?:--|—|–)\s*")


# "... in a Series A. Greyfield led the round": the tokenizer keeps "A." whole, as an initial.
_ROUND_END = re.compile(r"\b((?:Series|Round) [A-H])\.\s+(?=[A-Z\"“])")


def strip_dateline(sentence: str) -> str:
    return DATELINE.sub("", sentence, count=1)


@lru_cache(maxsize=1)
def splitter() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    _tokenizer(nlp).max_cache_size = 100_000
    return nlp


def _tokenizer(nlp: Language) -> Any:
    """The pipeline's Tokenizer. Language declares it a bare callable, and spaCy's Tokenizer is
    Cython without a stub, so neither pipe() nor max_cache_size has a declared type."""
    return nlp.tokenizer


# Words that appear in signal sentences but far more often elsewhere ("people", "president",
# "office"), by kind: one alone does not open the gate; two of different kinds do ("opened
# ... office", "chief ... joins"), and so does a workforce word with a number ("300 jobs").
WEAK: dict[str, frozenset[str]] = {
    "title": frozenset({"president", "chief", "director", "officer", "ceo", "cfo", "cto", "coo", "cmo", "cro", "cpo",
                        "head of", "vice president", "vp", "svp", "evp", "general counsel", "chairman", "chair"}),
    "work": frozenset({"people", "team", "staff", "workers", "employees", "workforce", "candidates", "jobs",
                       "positions", "engineers", "roles"}),
    "place": frozenset({"branch", "branches", "plants", "factories", "facilities", "hubs", "sites", "clinics",
                        "campus", "deliveries", "depot", "terminal", "base", "showroom",
                        "office", "offices", "region", "center", "centre", "presence", "operations", "facility",
                        "plant", "site", "hub", "lab", "warehouse", "headquarters", "footprint", "market", "markets",
                        "store", "stores", "country", "city"}),
    "deal": frozenset({"business", "alliance", "service", "customer", "customers", "deal", "agreement", "contract",
                       "partner", "partners", "stake", "available", "platform", "software", "terminals",
                      "technology", "systems", "solution", "trading", "election", "search"}),
    "money": frozenset({"$", "€", "£", "million", "billion", "investors", "investor", "investment", "investments",
                        "round", "grant", "seed", "capital", "funding", "backed"}),
    "verb": lx.forms("fire", "leave", "build", "create", "open", "reveal", "strike", "collect", "quit", "interview",
                     "obtain", "complete", "establish", "retire", "replace", "succeed", "welcome", "sign", "award",
                     "use", "deploy", "adopt", "back", "join", "invest", "cut", "break", "introduce", "release",
                     "launch", "expand", "enter", "hire", "recruit", "select", "choose", "pick", "name", "appoint",
                     "tap", "promote", "receive", "ship", "move", "land", "bag", "net", "secure", "begin",
                     "deploy", "inaugurate", "win", "add", "pay", "supply", "relocate") | {
        "retirement", "interviews", "looking for", "look for"},
}
# Verb forms that stay strong although their base is listed above as weak.
_STRONG_FORMS = frozenset({"appointed", "appoints", "promoted", "promotes", "hired", "hires", "launched", "launches",
                           "unveiled", "unveils", "acquired", "acquires", "introduced", "introduces", "released",
                           "releases", "opened", "opens", "recruiting", "hiring", "selected", "chosen", "chose",
                           "named", "names", "tapped", "taps", "joined", "joins", "invested", "invests", "entered",
                           "enters", "expanding", "expands"})


@lru_cache(maxsize=1)
def _matcher() -> PhraseMatcher:
    nlp = splitter()
    words = set().union(
        lx.FUNDING_VERBS, lx.ACQUIRE_VERBS, lx.PROMOTE_VERBS, lx.DEPART_VERBS, lx.APPOINT_VERBS, lx.CUT_VERBS,
        lx.DEPART_NOUNS, lx.APPOINT_NOUNS, lx.ACQUIRE_NOUNS, lx.INVEST_VERBS, lx.LAUNCH_VERBS, lx.PARTNER_VERBS,
        lx.PARTNER_NOUNS, lx.CUSTOMER_VERBS, lx.EXPAND_VERBS, lx.OFFICE_NOUNS, lx.FACILITY_NOUNS, lx.HIRE_VERBS,
        lx.SEARCH_VERBS, lx.PROMOTE_NOUNS)
    # Words too common to mean anything here; the phrases below cover their signal uses.
    words -= lx.forms("add", "announce", "get", "close", "become", "set", "lead", "offer", "drop", "reduce", "take",
                      "make", "grow", "increase", "start", "begin", "bring", "move", "extend", "form", "work",
                      "look", "lose", "affect", "present", "team", "agree", "put", "fund", "staff", "employ",
                      "double", "ship", "land", "net", "pull", "show", "win", "receive") | {
        "line", "base", "site", "shop", "venture", "farm", "terminal", "depot", "mill", "backing"}
    words |= set(_PHRASES) | {
        "work with", "works with", "working with", "worked with", "on sale", "to market", "taken over", "take over",
        "takes over", "first session", "first day of trading", "now delivering", "as a customer", "availability",
        "go live", "went live", "goes live", "launch of", "set up", "sets up", "setting up", "first store",
        "new store", "new stores", "broke ground", "breaks ground", "won a", "wins a", "won the", "was awarded",
        "has won", "landed a", "lands a", "has received", "received a", "receives a", "raised", "raises", "raising"}
    weak_all = frozenset().union(*WEAK.values()) - _STRONG_FORMS
    m = PhraseMatcher(nlp.vocab, attr="LOWER")
    m.add("STRONG", list(_tokenizer(nlp).pipe(sorted((words | _STRONG_FORMS) - weak_all))))
    for kind, vocab in WEAK.items():
        m.add(f"W_{kind}", list(_tokenizer(nlp).pipe(sorted(vocab - _STRONG_FORMS))))
    return m


def _opens(span: Span) -> bool:
    """One strong trigger; or weak words of two kinds; or a workforce word with a number."""
    hits = _matcher()(span)
    if not hits:
        return False
    strings = span.vocab.strings
    kinds = {strings[h[0]] for h in hits}
    if "STRONG" in kinds or len(kinds) >= 2:
        return True
    return kinds == {"W_work"} and any(t.like_num for t in span)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in the text, datelines left out. Line breaks are hard
    boundaries (headlines and datelines have no period), and so is "... a Series A." before a
    capital, which the tokenizer would keep whole as an initial. Labels and the detector
    both cut text here, so a label's offsets meet the sentences the model sees."""
    nlp = splitter()
    blocks: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        cuts = [0] + [m.end(1) + 1 for m in _ROUND_END.finditer(line)] + [len(line)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            if line[a:b].strip():
                blocks.append((pos + a, line[a:b]))
        pos += len(line) + 1
    out: list[tuple[int, int]] = []
    for (offset, _block), doc in zip(blocks, nlp.pipe((b for _, b in blocks), batch_size=256), strict=True):
        for sent in doc.sents:
            start, end = offset + sent.start_char, offset + sent.end_char
            raw = text[start:end]
            body = strip_dateline(raw.strip())
            if not body.strip():
                continue
            start += raw.index(body)
            out.append((start, start + len(body.rstrip())))
    return out


def sentences(text: str) -> Iterator[str]:
    """Sentences of a text (see sentence_spans)."""
    for start, end in sentence_spans(text):
        yield text[start:end]


def gated(text: str) -> list[tuple[str, bool]]:
    """Each sentence with whether it can carry a signal."""
    nlp = splitter()
    sents = list(sentences(text))
    return [(s, _opens(doc[:])) for s, doc in zip(sents, _tokenizer(nlp).pipe(sents), strict=True)]


def passes(sentence: str) -> bool:
    doc = splitter().make_doc(sentence)
    return _opens(doc[:])
