"""Scoring the detector on labeled JSON Lines: per-type precision, recall, F1 and support.

The score is on (type, organization) pairs per document, as the signals issue defines
it. A predicted signal matches a labeled event of the same type when their organizations
are the same name after normalization (or one name's words begin the other's: "Plexa"
and "Plexa Mobility"). A labeled event without an organization (document-level labels
such as 8-K items) matches any prediction of its type in that record. Attributes of
matched pairs are scored separately, so a right event with a wrong amount still shows.
"""
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Optional

from radar.entities.normalize import normalize_name, same_name
from radar.errors import UsageError
from radar.json_lines import json_objects
from radar.nlp.candidates import Candidate
from radar.vocabulary import SIGNAL_TYPES

TYPES = SIGNAL_TYPES
SCORED_ATTRIBUTES = {
    "funding": ("amount", "currency", "lead_investor", "investors"),
    "leadership_change": ("person", "title", "function", "seniority"),
    "search_mandate": ("role", "search_firm"), "acquisition": ("target", "acquirer"), "expansion": ("location",),
    "product_launch": ("product",), "partnership": ("partner",), "hiring_surge": ("number",),
    "layoffs": ("number", "percent"), "ipo": ("exchange",),
}


def label_map() -> dict[str, str]:
    text = resources.files("radar.nlp").joinpath("data/label_map.toml").read_text(encoding="utf-8")
    return dict(tomllib.loads(text).get("labels", {}))


@dataclass
class Gold:
    type: str
    org: Optional[str]
    subtype: Optional[str] = None
    attributes: dict[str, Any] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    required: bool = True  # a current, core event; borderline ones may be reported or not
    current: bool = True  # history, rumours and denials are labelled to be NOT reported

    def names(self) -> tuple[str, ...]:
        """Names a prediction may use: the org, its aliases, and for a partnership the partner
        (the guide lets either named party carry it)."""
        names = [self.org or ""] + list(self.aliases)
        if self.type == "partnership":
            partner = self.attributes.get("partner")
            names += partner if isinstance(partner, list) else [partner] if isinstance(partner, str) else []
        return tuple(n for n in names if n)


def gold_events(record: dict[str, Any], labels: dict[str, str]) -> list[Gold]:
    out = []
    for e in record.get("events") or []:
        t = labels.get(e.get("type", ""), e.get("type", ""))
        if t not in TYPES:
            continue
        org = e.get("org") or (e.get("args") or {}).get("org")
        current = e.get("current", True) is not False
        out.append(Gold(t, org, e.get("subtype"), dict(e.get("attributes") or e.get("attrs") or {}),
                        tuple(a for a in e.get("aliases") or () if isinstance(a, str)),
                        required=current and e.get("tier", "core") != "borderline", current=current))
    return out


def _same_value(gold: Any, pred: Any) -> bool:
    if isinstance(gold, list):
        return {normalize_name(str(g)) for g in gold} == {normalize_name(str(p)) for p in (pred or [])}
    if isinstance(gold, (int, float)) and not isinstance(gold, bool):
        return isinstance(pred, (int, float)) and abs(float(gold) - float(pred)) <= max(1.0, abs(gold) * 0.005)
    if gold is None:
        return pred in (None, "", [])
    return isinstance(pred, str) and (same_name(gold, pred) or str(gold).lower() == pred.lower())


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    per_type: dict[str, Score] = field(default_factory=dict)
    attributes: dict[str, list[int]] = field(default_factory=dict)  # "type.attr" -> [right, total]
    errors: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        rows = []
        total = Score()
        for t in TYPES:
            s = self.per_type.get(t)
            if s is None:
                continue
            total.tp, total.fp, total.fn = total.tp + s.tp, total.fp + s.fp, total.fn + s.fn
            rows.append(_row(t, s))
        rows.append(_row("all (micro)", total))
        return rows

    def attribute_rows(self) -> list[dict[str, Any]]:
        return [{"attribute": k, "right": v[0], "total": v[1], "accuracy": round(v[0] / v[1], 3) if v[1] else 0.0}
                for k, v in sorted(self.attributes.items())]


def _row(name: str, s: Score) -> dict[str, Any]:
    return {"type": name, "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
            "support": s.tp + s.fn, "tp": s.tp, "fp": s.fp, "fn": s.fn}


def _matches(g: Gold, p: Candidate) -> bool:
    return g.org is None or any(same_name(n, p.org) for n in g.names())


def _pairs(golds: list[Gold]) -> list[Gold]:
    """One label per organization: the score is on (type, organization) per document, so two
    labelled appointments at one company are one pair to find (and one prediction finds it)."""
    out: list[Gold] = []
    for g in golds:
        if g.org is None or not any(o.org and any(same_name(a, b) for a in g.names() for b in o.names())
                                    for o in out):
            out.append(g)
    return out


def score_record(report: Report, rid: Any, gold: list[Gold], predicted: list[Candidate]) -> None:
    """Match one record's predictions to its labels, type by type. A current, core event must
    be found; a borderline one may be; history, rumours and denials must not be reported."""
    for t in {g.type for g in gold} | {p.type for p in predicted}:
        golds = _pairs([g for g in gold if g.type == t and g.required])
        optional = [g for g in gold if g.type == t and not g.required and g.current]
        preds = [p for p in predicted if p.type == t]
        score = report.per_type.setdefault(t, Score())
        used: set[int] = set()
        for g in golds:
            hit = next((i for i, p in enumerate(preds) if i not in used and _matches(g, p)), None)
            if hit is None:
                score.fn += 1
                report.errors.append({"id": rid, "kind": "missed", "type": t, "org": g.org})
                continue
            used.add(hit)
            score.tp += 1
            if g.org is None:
                used.update(i for i, p in enumerate(preds))  # document-level label: any number of predictions
            else:  # the same organization predicted twice under two names is one report
                used.update(i for i, p in enumerate(preds) if _matches(g, p))
            for attr in SCORED_ATTRIBUTES.get(t, ()):
                if attr in g.attributes:
                    right = _same_value(g.attributes[attr], preds[hit].attributes.get(attr))
                    cell = report.attributes.setdefault(f"{t}.{attr}", [0, 0])
                    cell[0] += right
                    cell[1] += 1
        for i, p in enumerate(preds):
            if i in used or any(_matches(g, p) for g in optional):
                continue
            if not any(same_name(p.org, preds[j].org) for j in used):
                score.fp += 1
                report.errors.append({"id": rid, "kind": "spurious", "type": t, "org": p.org,
                                      "evidence": p.evidence[:200]})
            used.add(i)


def read_labeled(lines: Iterable[str]) -> list[dict[str, Any]]:
    """Labelled records: id, text (and optional title, date) and events; a record that names a
    corpus document ("doc") instead of carrying its text is joined with the shared corpus."""
    out = []
    for n, rec in json_objects(lines, "labeled input is JSON Lines with id, text and events"):
        if "text" not in rec and isinstance(rec.get("doc"), str):
            rec = _from_corpus(rec, n)
        if not isinstance(rec, dict) or "text" not in rec or not isinstance(rec.get("events", []), list):
            raise UsageError(f"line {n} needs 'text' and a list 'events'; see docs/extraction.md for the shape")
        out.append(rec)
    return out


def _from_corpus(rec: dict[str, Any], n: int) -> dict[str, Any]:
    from radar.nlp import corpus
    from radar.nlp.labels import labelled_records

    if corpus.corpus_root() is None:
        raise UsageError(f"line {n} names corpus document {rec['doc']}, but the shared corpus is not here; "
                         "set RADAR_CORPUS")
    try:
        return next(labelled_records(None, [{"split": rec.get("split", ""), **rec}]))
    except (KeyError, ValueError, IndexError, TypeError):
        raise UsageError(f"line {n}: corpus document {rec['doc']} or one of its spans does not exist") from None


def evaluate(records: list[dict[str, Any]], detector: Any = None) -> Report:
    """Run the detector over labeled records and score it."""
    from radar.nlp.detect import Detector

    detector = detector or Detector()
    labels = label_map()
    report = Report()
    predicted = detector.detect(
        (str(r.get("text") or ""), r.get("title"), r.get("meta"), r.get("date")) for r in records)
    for rec, cands in zip(records, predicted, strict=True):
        score_record(report, rec.get("id"), gold_events(rec, labels), [c for c in cands if c.subtype != "target"])
    return report
