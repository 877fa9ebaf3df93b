"""Word-class markers: what the sentence classifier reads beside the words themselves.

The labelled real news holds a few hundred events over ten types, so most wordings of an
event occur once or never in training ("team up", "alliance", "construct a plant"). The
rules' word classes (radar.nlp.lexicon) already group those wordings by type; appending one
marker token per class a sentence touches ("xxpartner") lets the classifier learn what a
class says from all its members at once, and carry it to members it never saw.
"""
import re
from functools import lru_cache

from radar.nlp import lexicon as lx

_WORD = re.compile(r"[a-z][a-z'\-]*|\d[\d,.]*|[$€£¥]")
_AMOUNT = re.compile(r"[$€£¥]\s?\d|\d\s?(?:million|billion|bn|m)\b", re.I)
_NUMBER = re.compile(r"\d")


# Words so common in news that a class they belong to would mark half of all sentences.
_COMMON = lx.forms("add", "announce", "get", "close", "become", "set", "lead", "offer", "drop", "reduce", "take",
                   "make", "grow", "increase", "start", "begin", "bring", "move", "extend", "form", "work", "look",
                   "lose", "affect", "present", "team", "agree", "put", "use", "show", "win", "receive", "join",
                   "sign", "enter") | {"new", "people", "members", "force", "business", "service", "services",
                                       "public", "shares", "head", "executive", "together", "model", "product"}


@lru_cache(maxsize=1)
def _classes() -> dict[str, frozenset[str]]:
    return {name: (vocab - _COMMON) | _PAIRS.get(name, set()) for name, vocab in _vocab().items()}


def _vocab() -> dict[str, frozenset[str]]:
    return {
        "fund": lx.FUNDING_NOUNS | lx.INVEST_VERBS | lx.forms("raise"),
        "appoint": lx.APPOINT_VERBS | lx.APPOINT_NOUNS | lx.PROMOTE_VERBS | lx.PROMOTE_NOUNS,
        "depart": lx.DEPART_VERBS | lx.DEPART_NOUNS | lx.forms("step"),
        "title": frozenset({"ceo", "cfo", "cto", "coo", "cmo", "chief", "president", "chairman", "chairwoman",
                            "chair", "director", "officer", "vp", "head", "executive", "chairperson"}),
        "search": lx.SEARCH_NOUNS | lx.SEARCH_VERBS | frozenset({"headhunter", "headhunters", "recruiter"}),
        "acquire": lx.ACQUIRE_VERBS | lx.ACQUIRE_NOUNS | lx.forms("merge", "sell") | frozenset({"merger", "sale"}),
        "list": frozenset({"ipo", "listing", "list", "listed", "float", "flotation", "public", "offering",
                           "exchange", "nasdaq", "nyse", "shares"}),
        "launch": lx.LAUNCH_VERBS | frozenset({"launch", "unveiling", "release", "version", "product", "model"}),
        "partner": lx.PARTNER_VERBS | lx.PARTNER_NOUNS | lx.CUSTOMER_VERBS | frozenset({"jointly", "together"}),
        "expand": lx.EXPAND_VERBS | frozenset({"expansion", "enter", "entry", "new"}),
        "site": lx.OFFICE_NOUNS | lx.FACILITY_NOUNS | lx.MARKET_NOUNS,
        "hire": lx.HIRE_VERBS | frozenset({"hiring", "recruitment", "recruiting", "vacancies"}),
        "cut": lx.CUT_VERBS | frozenset({"layoffs", "layoff", "redundancies", "cuts", "closure", "closures",
                                         "restructuring", "downsizing"}),
        "job": lx.JOB_NOUNS,
    }


# Two-word forms whose words alone are too common to mark anything.
_PAIRS = {
    "partner": {f"{v} up" for v in lx.forms("team")} | {"joint venture"},
    "acquire": {f"{v} over" for v in lx.forms("take")} | {f"{v} out" for v in lx.forms("buy")},
    "cut": {f"{v} off" for v in lx.forms("lay")},
    "depart": {f"{v} down" for v in lx.forms("step")},
}


def markers(sentence: str) -> list[str]:
    """The marker tokens of a sentence's word classes, in a fixed order."""
    tokens = _WORD.findall(sentence.lower())
    words = set(tokens) | {f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)}
    out = [f"xx{name}" for name, vocab in _classes().items() if words & vocab]
    if _AMOUNT.search(sentence):
        out.append("xxamount")
    if "xxjob" in out and _NUMBER.search(sentence):
        out.append("xxjobcount")
    return out


def mark(sentence: str) -> str:
    """The sentence with its markers appended: the text the classifier reads."""
    found = markers(sentence)
    return f"{sentence} {' '.join(found)}" if found else sentence
