"""The extractor's output: one candidate signal, before entity resolution and storage."""
from dataclasses import asdict, dataclass, field
from typing import Any, Optional


@dataclass
class Candidate:
    type: str
    org: str
    subtype: Optional[str] = None
    confidence: float = 0.5
    evidence: str = ""
    attributes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        return {k: d[k] for k in ("type", "subtype", "org", "confidence", "evidence", "attributes")}


# An attribute with one of these values says nothing: another report's value fills it.
UNKNOWN: tuple[Any, ...] = (None, "", [], "unknown")


def merge_attributes(kept: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """`kept`'s attributes, their gaps filled from `other`, lists joined without repeats.

    The one merge of two reports of one event: within a document and across documents.
    """
    out = dict(kept)
    for name, value in other.items():
        mine = out.get(name)
        if mine in UNKNOWN and value not in (None, "", []):
            out[name] = value
        elif isinstance(mine, list) and isinstance(value, list):
            out[name] = list(dict.fromkeys([*mine, *value]))
    return out
