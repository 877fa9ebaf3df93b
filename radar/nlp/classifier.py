"""The trained sentence classifier: which sentences report which signal types.

Trained by `radar nlp train` on radar's labelled real news (see radar.nlp.train); the
weights and the per-type thresholds tuned on the dev split ship in the package, so a user
needs neither the corpus nor training.
"""
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Optional

from radar.errors import ModelLoadError
from radar.nlp import markers

MODEL_DIR = "data/sentence_model"


def model_path() -> Path:
    return Path(str(resources.files("radar.nlp").joinpath(MODEL_DIR)))


@lru_cache(maxsize=2)
def load(path: Optional[str] = None) -> Any:
    import spacy

    where = Path(path) if path else model_path()
    try:
        return spacy.load(where)
    except (OSError, ValueError) as e:
        raise ModelLoadError(f"cannot load the sentence classifier at {where} ({str(e).splitlines()[0][:160]}); "
                             "reinstall radar, or rebuild it with 'radar nlp train'") from None


def thresholds(nlp: Any) -> dict[str, float]:
    return dict((nlp.meta.get("radar") or {}).get("thresholds") or {})


def uses_markers(nlp: Any) -> bool:
    return bool((nlp.meta.get("radar") or {}).get("markers"))


def classify(sentences: Iterable[str], nlp: Any = None, batch_size: int = 256) -> list[dict[str, float]]:
    """Each sentence's probability per type."""
    nlp = nlp or load()
    if uses_markers(nlp):  # a model trained on marked sentences reads them marked
        sentences = (markers.mark(s) for s in sentences)
    return [dict(doc.cats) for doc in nlp.pipe(sentences, batch_size=batch_size)]
