"""radar's labelled real news: events by ../shared/SIGNALS-GUIDE.md, pointing into the corpus.

A label file holds, per document, its corpus id, its split (train, dev or test, fixed by
a hash of the id before any labelling) and its events. Evidence and the other sentences
reporting an event are character spans ``[field, start, end]`` into the document's title
or text: the project copies no text from the corpus, and `labelled_records` joins the
two back together for training and evaluation.
"""
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any, Optional

from radar.nlp import corpus

SPLITS = ("train", "dev", "test")
LABEL_FILE = "data/labels/real_news.jsonl"


def split_of(doc_id: str) -> str:
    """The split a document belongs to, fixed by its id before any labelling (29 % test,
    15 % dev, the rest train): no one chooses which documents are held out."""
    h = int(hashlib.sha1(doc_id.encode()).hexdigest(), 16) % 100
    return "test" if h < 29 else "dev" if h < 44 else "train"


@dataclass(frozen=True)
class Span:
    field: str  # "title" or "text"
    start: int
    end: int


def read_labels(lines: Optional[Iterable[str]] = None) -> list[dict[str, Any]]:
    """The shipped label file (or the given JSON Lines)."""
    if lines is None:
        lines = resources.files("radar.nlp").joinpath(LABEL_FILE).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def spans(event: dict[str, Any]) -> list[Span]:
    return [Span(*m) for m in event.get("mentions") or [event["evidence"]]]


def labelled_records(split: Optional[str] = None,
                     labels: Optional[list[dict[str, Any]]] = None) -> Iterator[dict[str, Any]]:
    """Labelled documents with their text, in the shape `radar nlp eval` reads:
    id, title, text, date, meta and events (each with its evidence sentence restored)."""
    for lab in labels if labels is not None else read_labels():
        if split is not None and lab["split"] != split:
            continue
        doc = corpus.get(lab["doc"])
        events = []
        for e in lab["events"]:
            ev = {k: v for k, v in e.items() if k not in ("evidence", "mentions")}
            f, a, b = e["evidence"]
            ev["evidence"] = (doc.title if f == "title" else doc.text)[a:b]
            ev["spans"] = spans(e)
            events.append(ev)
        yield {"id": doc.id, "title": doc.title, "text": doc.text, "date": doc.date, "meta": doc.meta,
               "split": lab["split"], "events": events}
