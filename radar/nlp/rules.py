"""The rule framework: one parsed sentence in, candidate signals out.

Each signal type has a rule module (rules_funding, rules_people, rules_deals,
rules_growth); they share `Sentence`, which carries the parse, the organization
mentions and the document's current organization (for "the company", "it").
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Optional

from spacy.tokens import Doc, Token

from radar.nlp import hedges
from radar.nlp.candidates import Candidate
from radar.nlp.syntax import Org, governing_said, org_mentions, org_of, subjects

logger = logging.getLogger(__name__)

# Below this a candidate is not reported: negated, cancelled and speculative events land here.
MIN_CONFIDENCE = 0.35


@dataclass
class Sentence:
    doc: Doc
    ctx: Optional[str] = None  # the organization the document is about so far
    known: frozenset[str] = frozenset()
    orgs: list[Org] = field(default_factory=list)

    text: str = ""
    words: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.orgs:
            self.orgs = org_mentions(self.doc, self.known)
        self.text = self.doc.text.strip()  # computed once: Doc.text rebuilds the string each time
        self.words = frozenset(t.lower_ for t in self.doc)

    def has_any(self, *vocabularies: frozenset[str]) -> bool:
        """Whether any word of the given sets occurs: each rule's cheap first test."""
        return any(not self.words.isdisjoint(v) for v in vocabularies)

    def org(self, tok: Optional[Token], *, proper: bool = True) -> Optional[str]:
        return org_of(tok, self.orgs, self.ctx, allow_proper=proper) if tok is not None else None

    def subject_org(self, verb: Token) -> Optional[str]:
        for subj in subjects(verb):
            if subj.lower_ == "it" and self.ctx is None:
                said = governing_said(verb)  # "X said it would acquire Y": it is X
                name = self.subject_org(said) if said is not None and said.i != verb.i else None
                if name:
                    return name
            name = self.org(subj)
            if name:
                return name
        return None

    def ents(self, *labels: str) -> list[Any]:
        return [e for e in self.doc.ents if e.label_ in labels]

    def is_ctx(self, name: Optional[str]) -> bool:
        return name is not None and name == self.ctx and not any(o.text == name for o in self.orgs)


def make(s: Sentence, type_: str, org: Optional[str], subtype: Optional[str], base: float,
         trigger: Token, attributes: dict[str, Any]) -> list[Candidate]:
    """A candidate with its confidence after hedging; [] when the event did not happen."""
    if not org:
        return []
    conf = base - (0.1 if s.is_ctx(org) else 0.0)
    conf = hedges.downgrade(conf, hedges.hedge_of(trigger))
    if hedges.strong_hedge(s.text):
        conf = min(conf, hedges.downgrade(base, "speculative"))
    return [Candidate(type_, org, subtype, round(conf, 2), s.text, attributes)]


Rule = Callable[[Sentence], list[Candidate]]


def all_rules() -> tuple[Rule, ...]:
    from radar.nlp import rules_deals, rules_funding, rules_growth, rules_people

    return (rules_funding.funding, rules_people.leadership, rules_people.search_mandate,
            rules_deals.acquisition, rules_deals.ipo, rules_deals.partnership,
            rules_growth.expansion, rules_growth.product_launch, rules_growth.hiring_surge, rules_growth.layoffs)


def apply_rules(s: Sentence) -> list[Candidate]:
    out: list[Candidate] = []
    for rule in all_rules():
        try:
            out.extend(rule(s))
        except Exception:  # noqa: BLE001 - one odd parse must not stop a run over thousands of documents
            logger.warning("rule %s failed on sentence %r", rule.__name__, s.text[:200], exc_info=True)
    return out
