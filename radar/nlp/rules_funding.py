"""Funding: who raised (the subject of raise/secure/close, the agent of a passive, the
object of invest-in), how much, which round, and which investors with the lead marked."""
import re
from typing import Any, Optional

from spacy.tokens import Span, Token

from radar.nlp.candidates import Candidate
from radar.nlp.lexicon import FUNDING_NOUNS, FUNDING_VERBS, INVEST_VERBS, forms
from radar.nlp.money import ROUND_RX, parse_amount, round_of
from radar.nlp.rules import Sentence, make
from radar.nlp.syntax import (
    EXCHANGE_RX,
    agent_objects,
    in_background_clause,
    is_passive,
    objects,
    possessor,
    prep_objects,
    proper_span,
    subjects,
)

_NOT_FUNDING = re.compile(
    r"\b(ipo|initial public offering|public offering|buyback|revenue|forecast|guidance|dividend|price|prices|"
    r"rate|rates|salary|wages|profit|sales|earnings|to date|in total|so far)\b", re.I)
_FUND_CLOSE = re.compile(r"\b(fund\s+[ivx\d]+\b|(opportunity|growth|venture|seed|flagship|debut|new)\s+fund\b|"
                         r"(closes?|closed|closing)\s+(of\s+)?(its|a|the)?\s*\S*\s*fund\b)", re.I)
_LEAD_WORDS = frozenset({"led", "co-led", "leading", "lead", "leads", "co-leading"})


# Verbs that mean raising money only with a round or financing named ("announced a Series B").
_WEAK_FUNDING_VERBS = forms("announce", "complete", "close", "add", "win", "collect", "pull")


def _fundingish(tok: Token, money: list[Span]) -> bool:
    """Whether a verb's object or in-phrase names money, a round or financing."""
    passive_subjects = subjects(tok) if is_passive(tok) else []
    weak = tok.lower_ in _WEAK_FUNDING_VERBS
    for obj in objects(tok) + prep_objects(tok, ("in", "of", "through", "via")) + passive_subjects:
        if obj.lower_ in ("contract", "contracts", "order", "orders", "deal", "tender", "award", "prize", "revenue"):
            return False  # "landed a $12 million contract" is business won, not money raised
        for t in obj.subtree:
            if t.lower_ in FUNDING_NOUNS or (t.ent_type_ == "MONEY" and not weak):
                return True
    return False


def _proper(tok: Token) -> Optional[str]:
    ps = proper_span(tok)
    return ps.text if ps else None


def _investor_tokens(tok: Token) -> bool:
    return tok.lower_ in ("investors", "backers", "investor", "vcs")


def _funded(s: Sentence, money: list[Span]) -> tuple[Optional[str], Optional[Token]]:
    for tok in s.doc:
        w = tok.lower_
        if tok.dep_ in ("amod", "compound") or in_background_clause(tok):
            continue
        if w in FUNDING_VERBS and _fundingish(tok, money):
            if is_passive(tok):
                for a in agent_objects(tok):
                    if s.org(a):
                        return s.org(a), tok
                if w in ("awarded", "granted") and re.search(r"\b(grants?|funding|investment|financing)\b",
                                                             s.text, re.I):
                    return s.subject_org(tok), tok
            name = None if any(_investor_tokens(t) for t in subjects(tok)) else s.subject_org(tok)
            if name:
                return name, tok
        if (w in INVEST_VERBS and w not in ("back", "backs", "backed", "backing")
                or w in ("invests", "invested", "investing")):
            for p in (prep_objects(tok, ("in", "into"))
                      + [x for o in objects(tok) for x in prep_objects(o, ("in", "into"))]):
                owner = possessor(p)
                # "in Paylark's Series A": whatever the model took the name for, its owner is the company
                name = (s.org(owner) or _proper(owner)) if owner is not None else s.org(p)
                if name:
                    return name, tok
            if w.startswith(("award", "grant")) and not re.search(r"\b(grants?|funding|investment|financing)\b",
                                                                  s.text, re.I):
                continue
            if w.startswith(("award", "grant")) and not is_passive(tok):
                for o in objects(tok):
                    name = s.org(o, proper=True)
                    if name and o.dep_ in ("dative", "dobj") and o.ent_type_ != "MONEY":
                        return name, tok
            if w.startswith(("award", "grant")) and is_passive(tok):
                return s.subject_org(tok), tok
    for tok in s.doc:  # "Pellucid Optics' $9 million seed round was ..."
        if tok.lower_ in ("round", "funding", "financing", "a", "b", "c", "d") and possessor(tok) is not None:
            name = s.org(possessor(tok))
            if name:
                return name, tok
    return None, None


def _lead(s: Sentence) -> Optional[str]:
    for tok in s.doc:
        if tok.lower_ not in _LEAD_WORDS:
            continue
        for a in agent_objects(tok) + prep_objects(tok, ("by",)):
            if s.org(a):
                return s.org(a)
        for subj in subjects(tok) if tok.dep_ != "amod" else []:
            name = s.org(subj)
            if name and subj.lower_ not in ("it", "its", "company"):
                return name
        if tok.dep_ == "pcomp" or tok.dep_ == "acl":  # "with Granite Peak Capital leading the round"
            for c in tok.children:
                if c.dep_ == "nsubj" and s.org(c):
                    return s.org(c)
    return None


def _money(s: Sentence) -> tuple[Optional[float], Optional[str]]:
    for ent in s.ents("MONEY"):
        after = s.doc[ent.end: ent.end + 2].text.lower()
        if "valuation" in after or re.search(r"\bfunds?\b", after):
            continue  # "a $500 million fund" is the investor's money, not the round
        text = ent.text
        if ent.start > 0 and re.fullmatch(r"[A-Z]{0,3}[$€£¥₹]|[A-Z]{3}", s.doc[ent.start - 1].text):
            text = s.doc[ent.start - 1].text + text
        # The tokenizer splits "$42M" into "$", "42", "M" and NER often tags only "42".
        if ent.end < len(s.doc) and re.fullmatch(r"(?i)[mbk]|mn|bn|mm|mln|million|billion", s.doc[ent.end].text) \
                and not re.search(r"(?i)(million|billion|[mbk]|mn|bn)$", text):
            text = text + s.doc[ent.end].text
        amount, cur = parse_amount(text)
        if amount:
            return amount, cur
    m = re.search(r"\b(CHF|EUR|GBP|USD|SEK|NOK|DKK|JPY|INR|SGD|CAD|AUD)\s*(\d[\d,.]*\s*(?:million|billion|m|bn)?)",
                  s.text)
    if m:
        return parse_amount(m.group(0))
    return None, None


def funding(s: Sentence) -> list[Candidate]:
    if not (s.has_any(FUNDING_VERBS, INVEST_VERBS, FUNDING_NOUNS)):
        return []
    text = s.text
    money = s.ents("MONEY")
    if not (money or ROUND_RX.search(text) or re.search(r"\b(investment|funding|financing)\b", text, re.I)):
        return []
    if _FUND_CLOSE.search(text) and not ROUND_RX.search(text):
        return []
    org, trigger = _funded(s, money)
    if not org or trigger is None or EXCHANGE_RX.fullmatch(org):
        return []
    if (_NOT_FUNDING.search(text) and not ROUND_RX.search(text)
            and not re.search(r"\b(funding|financing|investment)\b", text, re.I)):
        return []
    investors = [o.text for o in s.orgs if o.text != org and not EXCHANGE_RX.fullmatch(o.text)]
    lead = _lead(s)
    if lead and lead != org and lead not in investors:
        investors.insert(0, lead)
    amount, currency = _money(s)
    rnd = round_of(text)
    attrs: dict[str, Any] = {"round": rnd, "amount": amount, "currency": currency if amount else None,
                             "lead_investor": lead if lead != org else None, "investors": investors}
    base = 0.85 if (amount or rnd != "unknown") else 0.6
    return make(s, "funding", org, rnd, base, trigger, attrs)


def investor_followup(s: Sentence) -> tuple[Optional[str], list[str]]:
    """From a sentence such as "Tidewater led the round, joined by Cobalt Hill": (lead, investors)."""
    if not re.search(r"\b(led the (round|deal|financing|investment)|participat|took part|joined by|also invested|"
                     r"existing (investors|backers)|co-led|with participation)\b", s.text, re.I):
        return None, []
    return _lead(s), [o.text for o in s.orgs]
