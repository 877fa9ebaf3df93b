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
