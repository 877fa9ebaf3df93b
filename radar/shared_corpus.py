"""Where the shared real-news corpus is, for the stages that read from it (labels, the SEC list).

It sits beside a checkout (../shared/corpus) or where RADAR_CORPUS points; a user's machine
has none. Low in the package: entities and nlp both ask without importing each other.
"""
import os
from pathlib import Path
from typing import Optional


def corpus_root() -> Optional[Path]:
    """../shared/corpus beside the checkout, or RADAR_CORPUS; None when absent (a user's machine)."""
    env = os.environ.get("RADAR_CORPUS")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve()
    candidates += [p / "shared" / "corpus" for p in here.parents]
    return next((c for c in candidates if (c / "wikinews").is_dir()), None)
