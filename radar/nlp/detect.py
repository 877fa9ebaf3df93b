"""The detector: text in, candidate signals out (gate → spaCy NER and parse → rules).

Records are processed in groups so that `nlp.pipe` batches sentences across short
documents; results still come out one list per record, in input order.
"""
import logging
from itertools import islice
from typing import Any, Iterable, Iterator, Optional

from spacy.tokens import Doc

from radar.entities.normalize import normalize_name
from radar.nlp import filings, gate
from radar.nlp.candidates import Candidate
from radar.nlp.headlines import sentence_case
from radar.nlp.model import load_full_pipeline, load_pipeline, with_gazetteer
from radar.nlp.rules import MIN_CONFIDENCE, Sentence, apply_rules
from radar.nlp.rules_funding import investor_followup

logger = logging.getLogger(__name__)

VERSION = "0.5"  # bump when rules change: `radar extract` re-reads documents behind it

# The attribute that tells two events of one type at one organization apart within a document.
# Otherwise one document reports one event per type and organization ("opens an office in
# Berlin" and "enters Germany" in the same story are one expansion).
DISTINCT_BY = {"leadership_change": "person"}


class Detector:
    """Loads the model once; `detect` streams results in input order."""

    def __init__(self, known_orgs: Iterable[str] = (), batch_size: int = 64, group: int = 32,
                 min_confidence: float = MIN_CONFIDENCE, *, use_gate: bool = True, full_pipeline: bool = False):
        # use_gate=False with full_pipeline=True is the slow reference the benchmark compares against.
        self.nlp = with_gazetteer(load_full_pipeline() if full_pipeline else load_pipeline(), known_orgs)
        self.use_gate = use_gate
        self.known = frozenset(n for n in known_orgs if n)
        self.batch_size = batch_size
        self.group = group
        self.min_confidence = min_confidence

    def detect(self, records: Iterable[tuple[Any, ...]]) -> Iterator[list[Candidate]]:
        """For each (text, title) or (text, title, meta), the candidates found in its
        signal-bearing sentences; meta is a stored document's metadata (kind, form, items)."""
        it = iter(records)
        while True:
            chunk = list(islice(it, self.group))
            if not chunk:
                return
            yield from self._detect_group(chunk)

    def _detect_group(self, chunk: list[tuple[Any, ...]]) -> list[list[Candidate]]:
        plans: list[list[tuple[str, bool]]] = []
        filing_parts: list[Optional[filings.EightK]] = []
        for record in chunk:
            text, title = record[0], record[1]
            meta = record[2] if len(record) > 2 else None
            eightk = filings.parse_8k(text or "", meta)
            filing_parts.append(eightk)
            body = eightk.body if eightk else (text or "")
            sents = ([(title.strip(), gate.passes(title))] if title and title.strip() else []) + gate.gated(body)
            if not self.use_gate:
                sents = [(sentence, True) for sentence, _ in sents]
            plans.append(sents)
        wanted = [sentence_case(s) for sents in plans for s, ok in sents if ok]
        docs = iter(self.nlp.pipe(wanted, batch_size=self.batch_size))
        out: list[list[Candidate]] = []
        for sents, eightk in zip(plans, filing_parts):
            parsed = [(next(docs) if ok else None) for _, ok in sents]
            found = self._document(parsed, eightk.registrant if eightk else None)
            originals = {sentence_case(s): s for s, ok in sents if ok}
            for c in found:  # evidence is the sentence as written, not as re-cased for the parser
                c.evidence = originals.get(c.evidence, c.evidence)
            if eightk is not None:
                found = filings.leadership_from_8k(self.nlp, eightk, found)
            out.append([c for c in merge(found) if c.confidence >= self.min_confidence])
        return out

    def _document(self, parsed: list[Optional[Doc]], ctx: Optional[str]) -> list[Candidate]:
        found: list[Candidate] = []
        for doc in parsed:
            if doc is None:
                continue
            s = Sentence(doc, ctx=ctx, known=self.known)
            root = next((t for t in doc if t.dep_ == "ROOT"), None)
            if root is not None:
                subj = s.subject_org(root)
                if subj and any(o.text == subj for o in s.orgs):
                    s.ctx = subj
            cands = apply_rules(s)
            if not any(c.type == "funding" for c in cands):
                _attach_investors(s, found)
            found.extend(cands)
            # The document's organization is the subject of its first signal; a later signal's
            # subject takes over ("The company" then means the last one named).
            subject = next((c.org for c in cands if c.subtype != "target"), None)
            ctx = subject or ctx or s.ctx
        return found


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
        for name, value in other.attributes.items():
            mine = keep.attributes.get(name)
            if mine in (None, [], "", "unknown") and value not in (None, [], ""):
                keep.attributes[name] = value
            elif isinstance(mine, list) and isinstance(value, list):
                keep.attributes[name] = mine + [v for v in value if v not in mine]
        if keep.subtype in (None, "unknown") and other.subtype not in (None, "unknown"):
            keep.subtype = other.subtype
            if "round" in keep.attributes:
                keep.attributes["round"] = other.subtype
        best[k] = keep
    return list(best.values())
