"""`radar nlp train`: the sentence classifier, trained on radar's labelled real news.

Each sentence of a labelled document (its title counts as one) becomes a training
example: a type is 1 where the sentence reports a current event of that type, 0 where it
reports none (history, rumours and denials of that type included: they are the hard
negatives), and missing where the event is borderline, so the model is neither taught to
report nor to hide it. The team's own phrasing set is added for wordings real news rarely
shows (venture rounds, search mandates). Seeded: two runs give the same weights.
"""
import json
import logging
import random
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from radar.nlp import gate
from radar.nlp.labels import Span, labelled_records
from radar.vocabulary import SIGNAL_TYPES

logger = logging.getLogger(__name__)

WRITTEN_FILE = "data/labels/written.jsonl"


@dataclass
class Sentence:
    text: str
    cats: dict[str, float]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * min(a[1] - a[0], b[1] - b[0])


def record_sentences(rec: dict[str, Any]) -> list[Sentence]:
    """The labelled record cut the way the detector cuts documents, with each sentence's cats."""
    cuts: list[tuple[str, tuple[int, int], str]] = []
    if rec.get("title"):
        cuts.append(("title", (0, len(rec["title"])), rec["title"]))
    text = rec.get("text") or ""
    cuts += [("text", (a, b), text[a:b]) for a, b in gate.sentence_spans(text)]
    out = []
    for field, span, sentence in cuts:
        cats: dict[str, float] = {t: 0.0 for t in SIGNAL_TYPES}
        for e in rec["events"]:
            spans: list[Span] = e.get("spans") or []
            if not any(s.field == field and _overlaps(span, (s.start, s.end)) for s in spans):
                continue
            if e.get("tier") == "borderline":
                if cats.get(e["type"]) != 1.0:
                    cats.pop(e["type"], None)
            elif e.get("current", True):
                cats[e["type"]] = 1.0
        out.append(Sentence(sentence, cats))
    return out


def written_sentences() -> list[Sentence]:
    """The team's phrasing set: one-sentence records whose events are all current."""
    raw = resources.files("radar.nlp").joinpath(WRITTEN_FILE).read_text(encoding="utf-8")
    out = []
    for line in raw.splitlines():
        if line.strip():
            rec = json.loads(line)
            types = {e["type"] for e in rec.get("events") or []}
            out.append(Sentence(rec["text"], {t: float(t in types) for t in SIGNAL_TYPES}))
    return out


def build_model(seed: int = 0) -> Any:
    import spacy
    from spacy.util import fix_random_seed

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel")
    for t in SIGNAL_TYPES:
        textcat.add_label(t)
    return nlp


def _examples(nlp: Any, sents: Iterable[Sentence]) -> list[Any]:
    from spacy.training import Example

    return [Example.from_dict(nlp.make_doc(s.text), {"cats": s.cats}) for s in sents]


def sentence_f1(nlp: Any, sents: list[Sentence], thresholds: dict[str, float]) -> dict[str, float]:
    """Per-type F1 of the classifier on labelled sentences (missing labels skipped)."""
    scores = {t: [0, 0, 0] for t in SIGNAL_TYPES}
    for s, doc in zip(sents, nlp.pipe(s.text for s in sents)):
        for t in SIGNAL_TYPES:
            if t not in s.cats:
                continue
            pred, gold = doc.cats[t] >= thresholds.get(t, 0.5), s.cats[t] == 1.0
            scores[t][0] += pred and gold
            scores[t][1] += pred and not gold
            scores[t][2] += gold and not pred
    return {t: (2 * tp / (2 * tp + fp + fn) if tp else 0.0) for t, (tp, fp, fn) in scores.items()}


def tune_thresholds(nlp: Any, sents: list[Sentence]) -> dict[str, float]:
    """Per type, the threshold with the best F1 on dev sentences, never below 0.3."""
    probs = [(s.cats, doc.cats) for s, doc in zip(sents, nlp.pipe(s.text for s in sents))]
    out = {}
    for t in SIGNAL_TYPES:
        best, best_f1 = 0.5, -1.0
        for thr in [x / 20 for x in range(6, 19)]:
            tp = sum(1 for g, p in probs if t in g and g[t] == 1.0 and p[t] >= thr)
            fp = sum(1 for g, p in probs if t in g and g[t] == 0.0 and p[t] >= thr)
            fn = sum(1 for g, p in probs if t in g and g[t] == 1.0 and p[t] < thr)
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            if f1 > best_f1 + 1e-9:
                best, best_f1 = thr, f1
        out[t] = best
    return out


def train(out_dir: Path, epochs: int = 12, seed: int = 0, final: bool = True,
          progress: Optional[Callable[[int, dict[str, float]], None]] = None) -> dict[str, Any]:
    """Train on the train split (plus the phrasing set), pick the epoch and the thresholds on
    dev, then (final=True) retrain that many epochs on train + dev and save to out_dir."""
    from spacy.util import minibatch

    train_sents = [s for r in labelled_records("train") for s in record_sentences(r)] + written_sentences()
    dev_sents = [s for r in labelled_records("dev") for s in record_sentences(r)]

    def fit(sents: list[Sentence], n_epochs: int, dev: Optional[list[Sentence]]) -> tuple[Any, int, list[float]]:
        nlp = build_model(seed)
        examples = _examples(nlp, sents)
        optimizer = nlp.initialize(lambda: examples)
        rng = random.Random(seed)
        curve: list[float] = []
        best_epoch, best = n_epochs, -1.0
        for epoch in range(1, n_epochs + 1):
            rng.shuffle(examples)
            losses: dict[str, float] = {}
            for batch in minibatch(examples, size=32):
                nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
            if dev is not None:
                f1 = sentence_f1(nlp, dev, {t: 0.5 for t in SIGNAL_TYPES})
                micro = sum(f1.values()) / len(f1)
                curve.append(micro)
                if micro > best:
                    best, best_epoch = micro, epoch
                if progress:
                    progress(epoch, f1)
        return nlp, best_epoch, curve

    probe, best_epoch, curve = fit(train_sents, epochs, dev_sents)
    # The epoch count is chosen on dev; thresholds are tuned on dev with a model of that
    # many epochs (the probe run keeps training past it, so refit to the chosen length).
    model, _, _ = fit(train_sents, best_epoch, None)
    thresholds = tune_thresholds(model, dev_sents)
    dev_f1 = sentence_f1(model, dev_sents, thresholds)
    if final:
        model, _, _ = fit(train_sents + dev_sents, best_epoch, None)
    model.meta["name"] = "radar_sentences"
    model.meta["version"] = "1.0.0"
    model.meta["radar"] = {"thresholds": thresholds, "epochs": best_epoch, "seed": seed,
                           "train_sentences": len(train_sents), "dev_sentences": len(dev_sents),
                           "dev_f1": {t: round(v, 3) for t, v in dev_f1.items()}, "dev_curve": [round(c, 3) for c in curve]}
    out_dir.mkdir(parents=True, exist_ok=True)
    model.to_disk(out_dir)
    return dict(model.meta["radar"])
