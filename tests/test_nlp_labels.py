"""radar's labels of real news: complete, by the guide, pointing into the corpus without copying it."""
import json
from collections import Counter
from importlib import resources

from radar.nlp import corpus
from radar.nlp.labels import labelled_records, read_labels, split_of
from radar.vocabulary import SIGNAL_TYPES
from tests.conftest import corpus_or_skip


def test_splits_are_fixed_by_the_document_id() -> None:
    labels = read_labels()
    assert all(r["split"] == split_of(r["doc"]) for r in labels)
    counts = Counter(r["split"] for r in labels)
    assert counts["test"] >= 150 and sum(counts.values()) >= 600, counts
    assert len({r["doc"] for r in labels}) == len(labels), "a document is labelled twice"


def test_labels_hold_ids_and_offsets_not_text() -> None:
    raw = resources.files("radar.nlp").joinpath("data/labels/real_news.jsonl").read_text(encoding="utf-8")
    for line in raw.splitlines():
        for e in json.loads(line)["events"]:
            assert e["type"] in SIGNAL_TYPES
            assert isinstance(e["evidence"], list) and len(e["evidence"]) == 3
            assert all(isinstance(m, list) and len(m) == 3 for m in e["mentions"])
            assert "sentence" not in e and not isinstance(e["evidence"], str)


def test_every_span_and_organization_is_in_its_document() -> None:
    corpus_or_skip()
    current = 0
    for rec in labelled_records():
        assert rec["text"] or rec["title"], rec["id"]
        for e in rec["events"]:
            assert e["evidence"].strip(), (rec["id"], e["type"])
            assert e["org"] in rec["text"] or e["org"] in rec["title"], (rec["id"], e["org"])
            current += e["current"]
    assert current >= 400


def test_corpus_ids_resolve_offline() -> None:
    corpus_or_skip()
    doc = corpus.get("wikinews:893")
    assert doc.title and doc.text and doc.date == "2004-11-17"
