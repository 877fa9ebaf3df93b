"""The detector: text in, candidate signals out (gate → spaCy NER → rules)."""
import logging
from typing import Iterable, Iterator, Optional

import spacy

from radar.nlp import gate
from radar.nlp.candidates import Candidate
from radar.nlp.model import load_pipeline
from radar.nlp.rules import apply_rules

logger = logging.getLogger(__name__)

VERSION = "0.1"  # bump when rules change: `radar extract` re-reads documents behind it


class Detector:
    """Loads the model once; `detect` streams results in input order."""

    def __init__(self, known_orgs: Iterable[str] = (), batch_size: int = 64):
        self.nlp = load_pipeline()
        self.batch_size = batch_size
        self._splitter = spacy.blank("en")
        self._splitter.add_pipe("sentencizer")
        self._splitter.max_length = 5_000_000
        names = sorted({n for n in known_orgs if n and len(n) > 2})
        if names and "entity_ruler" not in self.nlp.pipe_names:
            ruler = self.nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
            ruler.add_patterns([{"label": "ORG", "pattern": n} for n in names])

    def sentences(self, text: str) -> list[str]:
        # Lines are hard boundaries: headlines, datelines and bylines carry no final period.
        out: list[str] = []
        for block in text.splitlines():
            if block.strip():
                out.extend(s.text.strip() for s in self._splitter(block).sents if s.text.strip())
        return out

    def detect(self, records: Iterable[tuple[str, Optional[str]]]) -> Iterator[list[Candidate]]:
        """For each (text, title), the candidates found in its signal-bearing sentences."""
        for text, title in records:
            gated = [s for s in ([title] if title else []) + self.sentences(text or "") if gate.passes(s)]
            found: list[Candidate] = []
            for doc in self.nlp.pipe(gated, batch_size=self.batch_size):
                for sent in doc.sents if len(list(doc.sents)) > 1 else [doc[:]]:
                    found.extend(apply_rules(sent))
            yield dedupe(found)


def dedupe(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per (type, subtype, org): the most confident, first seen on ties."""
    best: dict[tuple[str, Optional[str], str], Candidate] = {}
    for c in cands:
        key = (c.type, c.subtype, c.org.lower())
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    return list(best.values())
