"""The need model: signal → functions and seniorities an organization will need (config/needs.toml)."""
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from radar.catalog_files import catalog_path
from radar.errors import ConfigError


@dataclass
class NeedRule:
    functions: list[str]
    seniorities: list[str]
    strength: float
    when: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class TypeModel:
    weight: float = 1.0
    half_life_days: float = 180.0
    lead_days: float = 0.0
    turnaround_strength: Optional[float] = None
    needs: list[NeedRule] = field(default_factory=list)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def load_needs(user_file: Optional[str] = None) -> dict[str, TypeModel]:
    raw = tomllib.loads(catalog_path("needs.toml").read_text(encoding="utf-8"))
    if user_file:
        p = Path(user_file).expanduser()
        try:
            raw = _merge(raw, tomllib.loads(p.read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"ranking.needs_file {p}: cannot read it ({e})")
    model = {}
    for typ, spec in raw.items():
        needs = [NeedRule(n.get("functions", []), n.get("seniorities", []), float(n.get("strength", 1.0)), n.get("when", {}))
                 for n in spec.get("needs", [])]
        model[typ] = TypeModel(float(spec.get("weight", 1.0)), float(spec.get("half_life_days", 180)),
                               float(spec.get("lead_days", 0)), spec.get("turnaround_strength"), needs)
    return model


def _expand(values: list[str], attributes: dict[str, Any]) -> set[str]:
    out: set[str] = set()
    for v in values:
        if v.startswith("$"):
            got = attributes.get(v[1:])
            out.update(got if isinstance(got, list) else [got] if got else [])
        else:
            out.add(v)
    return out


def implied_need(tm: TypeModel, subtype: Optional[str], attributes: dict[str, Any]) -> Optional[tuple[set[str], set[str], float]]:
    """The first need rule whose `when` matches: (functions, seniorities, strength)."""
    facts = {"subtype": subtype, **attributes}
    for rule in tm.needs:
        if all(str(facts.get(k)) in [str(x) for x in v] for k, v in rule.when.items()):
            return _expand(rule.functions, attributes), _expand(rule.seniorities, attributes), rule.strength
    return None
