"""The decision: which (type, organization) readings of a document become signals.

The detector proposes readings liberally (every organization a kept sentence names, the
subject, the roles a rule read). Here they are grouped per event and described by a few
features (how sure the sentence classifier is, whether a rule read the roles, whether the
organization is the subject, named in the title, mentioned often, tagged ORG by the
model), and a logistic model trained on the labelled real news (`radar nlp train`)
decides. Its weights ship with the sentence classifier, in the model's meta.
"""
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Optional, Protocol

from radar.entities.normalize import normalize_name, same_name
from radar.nlp.candidates import Candidate, merge_attributes
from radar.nlp.filings import EightK
from radar.vocabulary import SIGNAL_TYPES


class _Proposal(Protocol):
    cand: Candidate
    p: float
    ratio: float
    rule: bool
    subj: bool
    only: bool
    coref: bool
    ner_org: bool
    ner_other: bool
    index: int


@dataclass
class Row:
    key: tuple[str, str, str]
    cand: Candidate
    features: dict[str, float] = field(default_factory=dict)


def _distinct(c: Candidate) -> str:
    # Two people appointed at one organization are two events; otherwise one per type and org.
    return normalize_name(str(c.attributes.get("person") or "")) if c.type == "leadership_change" else ""


def aggregate(proposals: Iterable[_Proposal], title: str, text: str, known: frozenset[str] = frozenset(),
              filing: Optional[EightK] = None) -> list[Row]:
    """One row per event (type, organization, person for leadership) with its features;
    `filing` is the 8-K the text comes from: its registrant, whose "we" and "the Company"
    mean itself, and the items its filer declared."""
    groups: dict[tuple[str, str, str], list[_Proposal]] = {}
    for p in proposals:
        groups.setdefault((p.cand.type, normalize_name(p.cand.org), _distinct(p.cand)), []).append(p)
    # A person-less leadership reading of an organization joins its reading with a person.
    for t, org, person in list(groups):
        if t == "leadership_change" and not person:
            named = [k for k in groups if k[0] == t and k[1] == org and k[2]]
            if named:
                groups[named[0]].extend(groups.pop((t, org, person)))
    rows = []
    for key, props in groups.items():
        best = max(props, key=lambda p: (p.rule, p.p, len(p.cand.attributes)))
        cand = Candidate(best.cand.type, best.cand.org, best.cand.subtype, best.cand.confidence, best.cand.evidence,
                         dict(best.cand.attributes))
        for p in props:  # facts another sentence gave fill the gaps
            cand.attributes = merge_attributes(cand.attributes, p.cand.attributes)
        rows.append(Row(key, cand, features(key[0], cand.org, props, title, text, known, filing)))
    return rows


def _mentions(org: str, title: str, text: str) -> int:
    word = re.escape(org.split()[0]) if org.split() else re.escape(org)
    return len(re.findall(rf"\b{word}", title + "\n" + text))


# The 8-K items a filer declares for an event of each type (SEC Form 8-K instructions):
# 1.01 a material definitive agreement, 2.01 an acquisition completed, 2.05 exit costs
# (layoffs), 3.02 unregistered sales of equity (a private round), 5.02 officers.
ITEM_TYPES = {"1.01": ("partnership", "acquisition", "funding"), "2.01": ("acquisition",), "2.05": ("layoffs",),
              "3.02": ("funding",), "5.02": ("leadership_change",)}


def features(t: str, org: str, props: list[_Proposal], title: str, text: str,
             known: frozenset[str], filing: Optional[EightK] = None) -> dict[str, float]:
    n_sents = len({p.index for p in props})
    first = min(p.index for p in props)
    f = {
        "p": max(p.p for p in props),
        "ratio": min(3.0, max(p.ratio for p in props)),
        "rule": float(any(p.rule for p in props)),
        "rule_conf": max((p.cand.confidence for p in props if p.rule), default=0.0),
        "subj": float(any(p.subj for p in props)),
        "only": float(any(p.only for p in props)),
        "coref_only": float(all(p.coref for p in props)),
        "ner_org": float(any(p.ner_org for p in props)),
        "ner_other": float(any(p.ner_other for p in props)),
        "known": float(org in known or normalize_name(org) in known),
        "in_title": float(bool(title) and normalize_name(org).split()[0] in normalize_name(title).split()
                          if normalize_name(org) else False),
        "mentions": math.log1p(_mentions(org, title, text)),
        "early": 1.0 / (1.0 + first),
        "sentences": math.log1p(n_sents),
        "words": min(4.0, float(len(org.split()))),
        "filing": float(filing is not None),
        "filer": float(filing is not None and same_name(org, filing.registrant)),
        "item": float(filing is not None and any(t in ITEM_TYPES.get(i, ()) for i in filing.items)),
        # an earnings release (2.02) recounts the quarter: most of its events are background
        "results": float(filing is not None and "2.02" in filing.items),
    }
    for typ in SIGNAL_TYPES:
        f[f"type={typ}"] = float(t == typ)
        f[f"rule&type={typ}"] = float(t == typ) * f["rule"]
    return f


@dataclass
class Scorer:
    weights: dict[str, float]
    bias: float
    threshold: float

    @classmethod
    def from_meta(cls, meta: dict[str, Any]) -> "Scorer":
        data = (meta.get("radar") or {}).get("decision")
        if not data:
            return cls({"ratio": 4.0, "rule": 2.0, "subj": 1.0}, -6.0, 0.5)  # untrained: the rules' readings
        return cls(dict(data["weights"]), float(data["bias"]), float(data["threshold"]))

    def probability(self, feats: dict[str, float]) -> float:
        z = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def keep(self, row: Row) -> bool:
        prob = self.probability(row.features)
        row.cand.confidence = round(prob, 2)
        return prob >= self.threshold


def fit(rows: list[dict[str, float]], labels: list[int], l2: float = 1.0, epochs: int = 3000,
        rate: float = 0.1) -> tuple[dict[str, float], float]:
    """Logistic regression by full-batch gradient descent (a few thousand rows, ~35 features).

    Ten lines of numpy (already installed with spaCy) instead of scikit-learn: a 40 MB
    dependency for one convex fit that runs once per `radar nlp train`."""
    import numpy as np

    names = sorted({k for r in rows for k in r})
    x = np.array([[r.get(k, 0.0) for k in names] for r in rows], dtype=float)
    y = np.array(labels, dtype=float)
    w = np.zeros(len(names))
    b = 0.0
    n = max(1, len(y))
    for _ in range(epochs):
        z = np.clip(x @ w + b, -30, 30)
        pr = 1.0 / (1.0 + np.exp(-z))
        g = pr - y
        w -= rate * (x.T @ g / n + l2 * w / n)
        b -= rate * float(g.mean())
    return {k: round(float(v), 4) for k, v in zip(names, w, strict=True)}, round(b, 4)


def best_threshold(probs: list[float], labels: list[int], missed: int = 0,
                   grid: Optional[Iterable[float]] = None) -> float:
    """The cut with the best F1, where `missed` events had no row at all (recall's floor)."""
    best, best_f = 0.5, -1.0
    total = sum(labels) + missed
    for thr in grid or [x / 100 for x in range(20, 91, 2)]:
        tp = sum(1 for p, y in zip(probs, labels, strict=False) if p >= thr and y)
        fp = sum(1 for p, y in zip(probs, labels, strict=False) if p >= thr and not y)
        f = 2 * tp / (2 * tp + fp + (total - tp)) if tp else 0.0
        if f > best_f:
            best, best_f = thr, f
    return best
