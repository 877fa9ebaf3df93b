"""The detector: text in, candidate signals out.

A sentence classifier trained on labelled real news (radar.nlp.classifier) reads every
sentence and decides which report which signal types; only those sentences reach the
statistical spaCy pipeline (NER and parse), where the rules read the roles and
attributes (who raised, how much, which person and title, which target). Candidates are
then grounded: the organization must be one, and the event news at the document's date.

Records are processed in groups so that `nlp.pipe` batches sentences across short
documents; results still come out one list per record, in input order.
"""
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import islice
from typing import Any, Optional

from dateutil import parser as dateparser
from spacy.tokens import Doc

from radar.entities.normalize import normalize_name
from radar.nlp import classifier, decide, filings, gate, grounding, hedges
from radar.nlp.candidates import Candidate, merge_attributes
from radar.nlp.headlines import sentence_case
from radar.nlp.model import learn_names, load_full_pipeline, load_pipeline, with_gazetteer
from radar.nlp.rules import MIN_CONFIDENCE, Sentence, apply_rules
from radar.nlp.rules_funding import investor_followup
from radar.nlp.syntax import is_heading

logger = logging.getLogger(__name__)

VERSION = "1.3"  # bump when the model or rules change: `radar extract` re-reads documents behind it

# The attribute that tells two events of one type at one organization apart within a document.
# Otherwise one document reports one event per type and organization ("opens an office in
# Berlin" and "enters Germany" in the same story are one expansion).
DISTINCT_BY = {"leadership_change": "person"}
# A rule's reading of a sentence counts when the classifier gives its type at least this
# share of the type's threshold: the rule then vouches for a sentence the model half-believes.
RULE_SUPPORT = 0.5
# A sentence with a trigger phrase (gate.py) is parsed, so the rules can read it, when the
# classifier gives some type at least this share of its threshold: the parse is the cost.
GATE_SUPPORT = 0.1
# A classifier-only reading of a type in a sentence a rule read as another type needs this.
OTHER_TYPE_SUPPORT = 0.9
# Sentences parsed besides those the classifier keeps: the title and the lead, which name the
# organization that "the company" and "it" later stand for.
CONTEXT_SENTENCES = 2


@dataclass
class _Plan:
    sentences: list[str]
    cats: list[dict[str, float]] = field(default_factory=list)
    eightk: Optional[filings.EightK] = None
    published: Optional[date] = None
    sites: frozenset[str] = frozenset()
    parse: list[bool] = field(default_factory=list)
    title: str = ""
    text: str = ""
    surnames: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()  # names the document gives an executive's title

    @cached_property
    def whole(self) -> str:
        """Title and text in one string, for the readers that search the whole document (built
        once, not per candidate: a filing's text runs to 100 kB)."""
        return self.title + "\n" + self.text


@dataclass
class Proposal:
    """One sentence's reading of one event: a candidate and what supports it."""
    cand: Candidate
    p: float  # the classifier's probability of the type for the sentence
    ratio: float  # p over the type's threshold
    rule: bool  # a rule read the roles (subject, object) of this event
    subj: bool  # the organization is the subject of the sentence's main verb
    only: bool  # the organization is the only one the sentence names
    coref: bool  # the organization came from the context ("the company", "it")
    ner_org: bool  # the model tagged the name as an organization
    ner_other: bool  # the model tagged it as something else (a person, a place)
    index: int  # the sentence's position in the document (0 = title when there is one)


def _published(value: Any) -> Optional[date]:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value[:1].isdigit():
        try:
            return dateparser.parse(value).date()
        except (ValueError, OverflowError):
            return None
    return None


class Detector:
    """Loads the models once; `detect` streams results in input order."""

    def __init__(self, known_orgs: Iterable[str] = (), batch_size: int = 64, group: int = 32,
                 min_confidence: float = MIN_CONFIDENCE, *, use_gate: bool = True, full_pipeline: bool = False,
                 classifier_path: Optional[str] = None, textcat: Any = None,
                 reference: Optional[frozenset[str]] = None):
        # use_gate=False with full_pipeline=True parses every sentence with every component:
        # the slow reference the benchmark compares against.
        known = [n for n in known_orgs if n]
        self.nlp = with_gazetteer(load_full_pipeline() if full_pipeline else load_pipeline(), known)
        self.textcat = textcat if textcat is not None else classifier.load(classifier_path)
        self.thresholds = classifier.thresholds(self.textcat)
        self.scorer = decide.Scorer.from_meta(self.textcat.meta)
        self.use_gate = use_gate
        # Known organizations ground a name: the user's and radar's own (also matched by the
        # entity ruler) and the SEC's list of public companies (normalized names only).
        if reference is None:
            from radar.entities import sec

            reference = sec.reference_names()
        self.known = frozenset(known) | frozenset(normalize_name(n) for n in known) | reference
        self.batch_size = batch_size
        self.group = group
        self.min_confidence = min_confidence

    def learn(self, names: Iterable[str]) -> None:
        """Organizations stored since the detector was built: known from now on, and tagged."""
        names = [n for n in names if n]
        self.known = self.known | frozenset(names) | {normalize_name(n) for n in names}
        learn_names(self.nlp, names)

    def detect(self, records: Iterable[tuple[Any, ...]]) -> Iterator[list[Candidate]]:
        """For each (text, title[, meta[, date]]), the signals it reports; meta is a stored
        document's metadata (kind, form, items, site_name), date its publication date (ISO
        string or date), against which history is told from news."""
        for plan, proposals, extra in self.propose(records):
            rows = decide.aggregate(proposals, plan.title, plan.text, self.known, plan.eightk)
            found = [row.cand for row in rows if self.scorer.keep(row) and _complete(row.cand)] + extra
            out = focus(merge(without_people(found, self.known)))
            if plan.eightk is not None:
                out = filings.leadership_from_8k(self.nlp, plan.eightk, out)
            yield [c for c in out if c.subtype != "compensation"]

    def propose(self, records: Iterable[tuple[Any, ...]]) -> Iterator[tuple[_Plan, list[Proposal], list[Candidate]]]:
        """Every reading of every record before the decision: what training learns from."""
        it = iter(records)
        while True:
            chunk = list(islice(it, self.group))
            if not chunk:
                return
            yield from self._propose_group(chunk)

    def _threshold(self, t: str) -> float:
        return self.thresholds.get(t, 0.5)

    def _plan(self, record: tuple[Any, ...]) -> _Plan:
        text, title = record[0] or "", record[1]
        meta = record[2] if len(record) > 2 and isinstance(record[2], dict) else None
        eightk = filings.parse_8k(text, meta)
        body = eightk.body if eightk else text
        title = title.strip() if isinstance(title, str) else ""
        sents = ([title] if title else []) + list(gate.sentences(body))
        sites = grounding.site_names(title, [str((meta or {}).get(k) or "") for k in ("site_name", "feed_title")])
        return _Plan(sents, eightk=eightk, published=_published(record[3] if len(record) > 3 else None), sites=sites,
                     title=title, text=body)

    def _propose_group(self, chunk: list[tuple[Any, ...]]) -> list[tuple[_Plan, list[Proposal], list[Candidate]]]:
        plans = [self._plan(r) for r in chunk]
        cats = classifier.classify([grounding.without_background(s) for p in plans for s in p.sentences],
                                   self.textcat, self.batch_size)
        n = 0
        for p in plans:
            p.cats = cats[n: n + len(p.sentences)]
            n += len(p.sentences)
            p.parse = [not self.use_gate or i < CONTEXT_SENTENCES or self._kept(c)
                       or (gate.passes(sent) and self._kept(c, GATE_SUPPORT))
                       for i, (sent, c) in enumerate(zip(p.sentences, p.cats, strict=True))]
        wanted = [sentence_case(s) for p in plans for s, ok in zip(p.sentences, p.parse, strict=True) if ok]
        docs = iter(self.nlp.pipe(wanted, batch_size=self.batch_size))
        out = []
        for p in plans:
            parsed = [(s, next(docs) if ok else None, c) for s, ok, c in zip(p.sentences, p.parse, p.cats, strict=True)]
            out.append((p, *self._document(parsed, p)))
        return out

    def _kept(self, cats: dict[str, float], share: float = RULE_SUPPORT) -> bool:
        return any(v >= share * self._threshold(t) for t, v in cats.items())

    def _document(self, parsed: list[tuple[str, Optional[Doc], dict[str, float]]],
                  plan: _Plan) -> tuple[list[Proposal], list[Candidate]]:
        found: list[Proposal] = []
        funding: list[Candidate] = []  # where "X led the round" completes the last round
        ctx = plan.eightk.registrant if plan.eightk else None
        # Surnames of the people the document names ("Ron Allen" makes a later "Allen" a person).
        plan.people = grounding.titled_people(plan.whole)
        plan.surnames = frozenset(e.text.split()[-1] for _, d, _ in parsed if d is not None
                                  for e in d.ents if e.label_ == "PERSON" and len(e.text.split()) > 1
                                  and not grounding.has_descriptor(e.text))
        for index, (sentence, doc, cats) in enumerate(parsed):
            if doc is None:
                continue
            s = Sentence(doc, ctx=ctx, known=self.known)
            root = next((t for t in doc if t.dep_ == "ROOT"), None)
            subj = s.subject_org(root) if root is not None else None
            if subj and any(o.text == subj for o in s.orgs):
                s.ctx = subj
            props = self._sentence(s, doc, sentence, cats, subj, plan, index)
            if not any(p.cand.type == "funding" and p.rule for p in props) and funding:
                _attach_investors(s, funding)  # "Greyfield led the round": an investor, not a raiser
            funding += [p.cand for p in props if p.cand.type == "funding" and p.rule]
            found.extend(props)
            # The document's organization is the subject of its first reading (or of its lead);
            # a later subject takes over ("the company" then means the last one named).
            lead = subj if subj and grounding.is_organization(subj, doc, self.known, plan.sites) else None
            best = max((p for p in props if p.rule or p.subj), key=lambda p: p.p, default=None)
            ctx = (best.cand.org if best else None) or ctx or lead
        return found, []

    def _sentence(self, s: Sentence, doc: Doc, sentence: str, cats: dict[str, float], subj: Optional[str],
                  plan: _Plan, index: int) -> list[Proposal]:
        if grounding.is_history(sentence, plan.published) or hedges.strong_hedge(sentence) or len(doc) < 4:
            return []
        if grounding.is_fund_close(sentence) or grounding.is_not_a_raise(sentence):
            cats = {**cats, "funding": 0.0}
        if grounding.is_listing_fact(sentence) or not grounding.speaks_of_listing(sentence):
            cats = {**cats, "ipo": 0.0}
        named = [o.text for o in s.orgs]
        out: list[Proposal] = []

        def add(c: Candidate, rule: bool, coref: bool) -> None:
            if c.type == "acquisition":
                buyer = grounding.buyer_of_sale(sentence, c.org, named)
                if buyer:  # "sold ... to X": the sentence reads X in the buyer's role
                    c = Candidate(c.type, buyer, c.subtype, c.confidence, c.evidence, {**c.attributes, "seller": c.org})
                    rule = True
            c.org = mention = grounding.clean_org(c.org)
            owner = grounding.unit_owner(c.org, sentence, plan.eightk.registrant if plan.eightk else None)
            if owner:  # "the Aaron's Sales & Lease Ownership division opened 14 stores": Aaron's did,
                c.org = grounding.clean_org(owner)  # in the role its division has in the sentence
            if c.type == "ipo" and not rule and grounding.is_exchange(c.org):
                return  # "floating the company on the Australian Stock Exchange": the venue
            both = grounding.conjoined(c.org, plan.whole)
            if both:  # "Alcatel and Lucent will merge": an event of each
                for name in both:
                    add(Candidate(c.type, name, c.subtype, c.confidence, c.evidence, dict(c.attributes)), rule, coref)
                return
            target = c.attributes.get("target")
            if isinstance(target, str):  # the target becomes a signal of its own when stored: ground it too
                target = grounding.clean_org(target)
                grounded = grounding.is_organization(target, doc, self.known, plan.sites,
                                                     text=plan.whole)
                c.attributes["target"] = target if grounded else None
            # "the company" stands for an organization grounded where the document named it
            if not coref and not grounding.is_organization(c.org, doc, self.known, plan.sites, role=rule,
                                                           text=plan.whole) or (
                    c.org not in self.known and (grounding.is_surname(c.org, plan.text) or c.org in plan.surnames
                                                 or c.org in plan.people)):
                return
            p = cats.get(c.type, 0.0)
            label = grounding.entity_label(doc, mention)
            out.append(Proposal(c, p, p / self._threshold(c.type), rule, mention == subj,
                                len(set(named)) == 1 and mention == named[0], coref,
                                label == "ORG" or c.org in self.known, label not in (None, "ORG"), index))

        for c in apply_rules(s):
            if c.confidence < self.min_confidence or c.subtype == "target" or cats.get(c.type) == 0.0:
                continue
            c.evidence = sentence  # the decision weighs a rule's reading against the classifier
            add(c, True, s.is_ctx(c.org))
        # Without a rule's reading the classifier alone must be sure; in a sentence a rule read
        # as another type, surer still (one sentence rarely reports two kinds of event), and a
        # sentence that denies its event ("has no plans to cut jobs") gives no reading at all.
        ruled = {pr.cand.type for pr in out if pr.rule}
        # A heading of the body ("Thousands of metric tons" in a filing's table) is no sentence: the
        # classifier's reading of it would hand the filer an event. A headline is read as one.
        if not (index == 0 and plan.title) and is_heading(doc):
            return out
        for t, p in cats.items():
            if p < self._threshold(t) or grounding.is_negated(sentence) or (ruled - {t} and p < OTHER_TYPE_SUPPORT):
                continue
            have = {pr.cand.org for pr in out if pr.cand.type == t}
            for org in dict.fromkeys(([subj] if subj else []) + named):
                if org not in have:
                    add(Candidate(t, org, None, round(p, 2), sentence, {}), False, False)
            if not named and s.ctx and s.ctx not in have:
                add(Candidate(t, s.ctx, None, round(p, 2), sentence, {}), False, True)
        return out


# A leadership change names its person; without one a reading is a title in a signature
# block or a list of officers, unless the evidence for it is strong.
PERSONLESS_LEADERSHIP = 0.6


def _complete(c: Candidate) -> bool:
    return c.type != "leadership_change" or bool(c.attributes.get("person")) or c.confidence >= PERSONLESS_LEADERSHIP


def _attach_investors(s: Sentence, found: list[Candidate]) -> None:
    """"Tidewater led the round, joined by Cobalt Hill." completes the last funding signal."""
    last = next((c for c in reversed(found) if c.type == "funding"), None)
    if last is None:
        return
    lead, investors = investor_followup(s)
    invs = last.attributes.setdefault("investors", [])
    for name in ([lead] if lead else []) + investors:
        if name and name != last.org and name not in invs:
            invs.append(name)
    if lead and not last.attributes.get("lead_investor") and lead != last.org:
        last.attributes["lead_investor"] = lead


def without_people(cands: list[Candidate], known: frozenset[str]) -> list[Candidate]:
    """No organization that another reading of the document names as its person ("Siemens named
    Klaus Kleinfeld chief executive" makes a later "Klaus Kleinfeld announced ..." his, not a company's)."""
    people = {normalize_name(str(c.attributes["person"])) for c in cands if c.attributes.get("person")
              and normalize_name(str(c.attributes["person"])) != normalize_name(c.org)}
    return [c for c in cands if normalize_name(c.org) not in people or c.org in known]


# A second organization with an event of the same type in one document is reported only
# when its own evidence is this strong: most stories report one event of a type, and the
# other names in them are counterparties, owners, analysts or background.
SECOND_ORG_CONFIDENCE = 0.8


def _counterparties(c: Candidate) -> set[str]:
    """Names that play another role in a reading: the investors of a round, the target of a deal."""
    names: set[str] = set()
    for key in ("lead_investor", "investors", "target", "acquirer", "seller"):
        v = c.attributes.get(key)
        for n in (v if isinstance(v, list) else [v]):
            if isinstance(n, str) and n:
                names.add(normalize_name(n))
    return names


def focus(cands: list[Candidate]) -> list[Candidate]:
    """Per type, the organization the document is most sure of, and others only on strong
    evidence; never an organization another reading of the type names as its investor or target."""
    roles = {t: set().union(*(_counterparties(c) for c in cands if c.type == t)) for t in {c.type for c in cands}}
    cands = [c for c in cands if c.subtype == "target" or normalize_name(c.org) not in roles.get(c.type, set())]
    out: list[Candidate] = []
    by_type: dict[str, list[Candidate]] = {}
    for c in cands:
        (out.append(c) if c.subtype == "target" else by_type.setdefault(c.type, []).append(c))
    for group in by_type.values():
        best: dict[str, float] = {}
        for c in group:
            k = normalize_name(c.org)
            best[k] = max(best.get(k, 0.0), c.confidence) + (0.05 if k in best else 0.0)
        top = max(best, key=lambda k: best[k])
        out += [c for c in group if normalize_name(c.org) == top or c.confidence >= SECOND_ORG_CONFIDENCE]
    return out


def _key(c: Candidate) -> tuple[str, str, str]:
    attr = DISTINCT_BY.get(c.type)
    distinct = normalize_name(str(c.attributes.get(attr) or "")) if attr else ""
    return c.type, normalize_name(c.org), distinct


def _rank(c: Candidate) -> tuple[float, int, int]:
    filled = sum(1 for v in c.attributes.values() if v not in (None, [], "", "unknown"))
    return c.confidence, filled, len(c.evidence)


def merge(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per event in a document: the most confident, its gaps filled from the others."""
    best: dict[tuple[str, str, str], Candidate] = {}
    for c in cands:
        k = _key(c)
        if k not in best:
            best[k] = c
            continue
        # Most confident wins; on a tie the fuller report (more facts, then the longer
        # sentence) beats a terse headline, whichever came first in the document.
        keep, other = (c, best[k]) if _rank(c) > _rank(best[k]) else (best[k], c)
        keep.attributes = merge_attributes(keep.attributes, other.attributes)
        if keep.subtype in (None, "unknown") and other.subtype not in (None, "unknown"):
            keep.subtype = other.subtype
            if "round" in keep.attributes:
                keep.attributes["round"] = other.subtype
        best[k] = keep
    return list(best.values())
