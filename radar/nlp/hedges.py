"""Negation, speculation and cancellation around an event trigger.

Scope is the trigger's chain of syntactic heads (and their auxiliaries, negations and
determiners), so "Vexa said it has no plans for further layoffs, and announced it would
open an office in Warsaw" drops the layoffs but keeps the office.
"""
import re

from spacy.tokens import Token

NEGATORS = frozenset({"not", "n't", "never", "no", "nothing", "neither", "nor"})
DENIALS = frozenset({
    "denied", "denies", "deny", "dismissed", "dismisses", "rejected", "rejects", "false", "groundless", "untrue",
    "baseless", "refuted", "refutes", "inaccurate",
})
SPECULATION = frozenset({
    "may", "might", "could", "reportedly", "rumored", "rumoured", "rumors", "rumours", "considering", "considers",
    "consider", "exploring", "explores", "explore", "weighing", "weighs", "mulling", "mulls", "evaluating",
    "hinted", "hints", "speculation", "possible", "potential", "talks", "discussions", "negotiations", "open",
    "eyeing", "eyes", "contemplating", "seeking", "would-be", "mooted",
})
CANCELLED = frozenset({
    "terminated", "scrapped", "abandoned", "cancelled", "canceled", "withdrawn", "withdrew", "withdraws",
    "postponed", "postpones", "delayed", "delays", "shelved", "shelves", "blocked", "blocks", "collapsed",
    "halted", "suspended", "suspends", "called", "voted", "failed", "freeze", "frozen", "paused",
})
_STRONG = re.compile(
    r"\b(people (familiar|with knowledge)|according to (two|three|several)?\s*(people|sources|persons)|"
    r"is said to|are said to|in (early |advanced )?talks|no (decision|agreement|deal) has been|"
    r"declined to comment on (reports|speculation)|did not (confirm|comment)|nothing to announce|"
    r"(called|calls) off|rumou?red|reports? that|"
    # "BP CEO to resign, say analysts": the sentence reports what others expect
    r",\s*(say|says|said|according to)\s+(analysts|sources|insiders|observers)|"
    r"^(analysts|sources|insiders)\s+(say|said|expect|believe|predict))\b",
    re.I,
)
_DEP_CHILDREN = ("neg", "aux", "advmod", "det", "acomp", "attr", "amod", "npadvmod", "auxpass", "prep")


def strong_hedge(sentence: str) -> bool:
    """Whole-sentence cues of rumor or denial that no event in the sentence survives."""
    return bool(_STRONG.search(sentence))


def hedge_of(trigger: Token) -> str:
    """'negated', 'cancelled', 'speculative' or '' for the event the trigger word names."""
    t: Token = trigger
    for _ in range(8):
        word = t.lower_
        if word in DENIALS:
            return "negated"
        if word in CANCELLED and t is not trigger:
            return "cancelled"
        if word in SPECULATION and t is not trigger:
            return "speculative"
        for c in t.children:
            if c.dep_ not in _DEP_CHILDREN:
                continue
            cw = c.lower_
            if cw in NEGATORS or cw in DENIALS:
                return "negated"
            if c.dep_ in ("aux", "advmod", "acomp", "amod") and cw in SPECULATION:
                return "speculative"
            if c.dep_ in ("acomp", "attr", "amod") and cw in CANCELLED:
                return "cancelled"
            if c.dep_ == "prep" and cw in ("despite", "although"):
                continue
        if t.dep_ == "ROOT" or t.head is t:
            break
        t = t.head
    return ""


def downgrade(confidence: float, hedge: str) -> float:
    """Negated and cancelled events are dropped (0); speculation keeps a low confidence."""
    if hedge in ("negated", "cancelled"):
        return 0.0
    if hedge == "speculative":
        return round(confidence * 0.35, 2)
    return confidence
