"""The need model: signal → functions and seniorities an organization will need (config/needs.toml).

Loaded from the built-in file, then the user's needs file and inline `[ranking.needs]` are
merged over it; every value is checked here so a typo fails early with one line.
"""
import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from radar.catalog_files import catalog_path, read_toml
from radar.errors import ConfigError
from radar.vocabulary import FUNCTIONS, SENIORITIES, SIGNAL_TYPES

LEVELS = ("c_level", "vp", "head", "director", "manager", "senior", "mid")
FUNCTION_TOKENS = {"$function", "$functions", "*"}
SENIORITY_TOKENS = {"$seniority", "$below", "*"}
TYPE_KEYS = {"weight", "half_life_days", "lead_days", "rules"}
RULE_KEYS = {"when", "scale", "why", "problem", "show", "needs", "lead_days", "half_life_days"}
NEED_KEYS = {"functions", "seniorities", "strength"}


@dataclass(frozen=True)
class Need:
    functions: tuple[str, ...]
    seniorities: tuple[str, ...]
    strength: float


@dataclass(frozen=True)
class Rule:
    needs: tuple[Need, ...]
    when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    scale: Any = None  # None, "amount" or a number
    why: str = ""
    problem: str = ""
    show: str = ""
    lead_days: Optional[float] = None  # overrides the type's, e.g. a departure opens a seat now
    half_life_days: Optional[float] = None


@dataclass(frozen=True)
class TypeModel:
    weight: float = 1.0
    half_life_days: float = 180.0
    lead_days: float = 0.0
    rules: tuple[Rule, ...] = ()


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge tables; lists (such as a type's rules) are replaced whole."""
    out = dict(base)
    for k, v in over.items():
        out[k] = merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _read(path: Path, what: str) -> dict[str, Any]:
    return read_toml(path, what, "fix the path in [ranking] needs_file")


def load_needs(user_file: Optional[str] = None, inline: Optional[dict[str, Any]] = None) -> dict[str, TypeModel]:
    """The built-in need model with the user's file and inline overrides merged over it."""
    builtin = catalog_path("needs.toml")
    stamps = tuple(_stamp(p) for p in (builtin, Path(user_file).expanduser() if user_file else None))
    inline_key = json.dumps(inline or {}, sort_keys=True, default=str)
    # A fresh dict each call: callers own the model they get.
    return dict(_load_needs(user_file or None, inline_key, stamps))


def _stamp(path: Optional[Path]) -> Optional[tuple[str, int, int]]:
    try:
        return (str(path), path.stat().st_mtime_ns, path.stat().st_size) if path else None
    except OSError:
        return (str(path), -1, -1)  # _read() reports it


@functools.lru_cache(maxsize=16)
def _load_needs(user_file: Optional[str], inline_key: str, stamps: Any) -> dict[str, TypeModel]:
    # Parsing needs.toml costs ~15 ms; `radar orgs top` from the rank cache takes a few ms more
    # than that in all. Keyed by the files' modification stamps, so an edited file is read again.
    raw = _read(catalog_path("needs.toml"), "built-in need model")
    if user_file:
        raw = merge(raw, _read(Path(user_file).expanduser(), "ranking.needs_file"))
    inline = json.loads(inline_key)
    if inline:
        raw = merge(raw, inline)
    return parse_needs(raw)


def check_overrides(inline: dict[str, Any]) -> None:
    """Validate inline overrides against the built-in model; ValueError names the problem."""
    try:
        parse_needs(merge(_read(catalog_path("needs.toml"), "built-in need model"), inline))
    except ConfigError as e:
        raise ValueError(str(e).removeprefix("need model: ")) from None


def _unknown(keys: Any, allowed: set[str], where: str) -> None:
    extra = sorted(set(keys) - allowed)
    if extra:
        raise ConfigError(f"need model: unknown key '{extra[0]}' in {where}; allowed: {', '.join(sorted(allowed))}")


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"need model: {where} must be a number, not {value!r}")
    return float(value)


def _parse_need(spec: Any, where: str) -> Need:
    if not isinstance(spec, dict):
        raise ConfigError(f"need model: {where} must be a table with functions, seniorities and strength")
    _unknown(spec, NEED_KEYS, where)
    functions = tuple(spec.get("functions", ["*"]))
    seniorities = tuple(spec.get("seniorities", ["*"]))
    for f in functions:
        if f not in FUNCTIONS and f not in FUNCTION_TOKENS:
            raise ConfigError(f"need model: unknown function '{f}' in {where}; allowed: {', '.join(FUNCTIONS)}, "
                              "$function, $functions, *")
    for s in seniorities:
        if s not in SENIORITIES and s not in SENIORITY_TOKENS:
            raise ConfigError(f"need model: unknown seniority '{s}' in {where}; allowed: {', '.join(SENIORITIES)}, "
                              "$seniority, $below, *")
    return Need(functions, seniorities, _number(spec.get("strength", 1.0), f"{where}.strength"))


def _parse_rule(spec: Any, where: str) -> Rule:
    if not isinstance(spec, dict):
        raise ConfigError(f"need model: {where} must be a table")
    _unknown(spec, RULE_KEYS, where)
    when = spec.get("when", {})
    if not isinstance(when, dict):
        raise ConfigError(f"need model: {where}.when must be a table such as {{ subtype = [\"seed\"] }}")
    scale = spec.get("scale")
    if scale is not None and scale != "amount":
        scale = _number(scale, f"{where}.scale")
    needs = tuple(_parse_need(n, f"{where}.needs[{i}]") for i, n in enumerate(spec.get("needs", [])))
    if not needs:
        raise ConfigError(f"need model: {where} has no [[needs]]; give at least one")
    timing = {k: _number(spec[k], f"{where}.{k}") for k in ("lead_days", "half_life_days") if k in spec}
    if timing.get("half_life_days", 1.0) <= 0 or timing.get("lead_days", 0.0) < 0:
        raise ConfigError(f"need model: {where} needs half_life_days above 0 and lead_days of 0 or more")
    return Rule(needs, {k: tuple(v if isinstance(v, list) else [v]) for k, v in when.items()}, scale,
                str(spec.get("why", "")), str(spec.get("problem", "")), str(spec.get("show", "")),
                timing.get("lead_days"), timing.get("half_life_days"))


def parse_needs(raw: dict[str, Any]) -> dict[str, TypeModel]:
    """Validate a need model given as plain data."""
    model = {}
    for typ, spec in raw.items():
        if typ not in SIGNAL_TYPES:
            raise ConfigError(f"need model: unknown signal type '{typ}'; allowed: {', '.join(SIGNAL_TYPES)}")
        if not isinstance(spec, dict):
            raise ConfigError(f"need model: [{typ}] must be a table")
        _unknown(spec, TYPE_KEYS, f"[{typ}]")
        half_life = _number(spec.get("half_life_days", 180), f"{typ}.half_life_days")
        if half_life <= 0:
            raise ConfigError(f"need model: {typ}.half_life_days must be above 0, not {half_life:g}")
        rules = tuple(_parse_rule(r, f"{typ}.rules[{i}]") for i, r in enumerate(spec.get("rules", [])))
        model[typ] = TypeModel(_number(spec.get("weight", 1.0), f"{typ}.weight"), half_life,
                               max(_number(spec.get("lead_days", 0), f"{typ}.lead_days"), 0.0), rules)
    return model


def _matches(rule: Rule, facts: dict[str, Any]) -> bool:
    for key, allowed in rule.when.items():
        value = facts.get(key)
        if not any(str(value).lower() == str(a).lower() for a in allowed):
            return False
    return True


def pick_rule(tm: TypeModel, facts: dict[str, Any]) -> Optional[Rule]:
    """The first rule whose `when` matches the signal's facts."""
    return next((r for r in tm.rules if _matches(r, facts)), None)


def below(level: Optional[str]) -> set[str]:
    """The two levels under a seniority: a new CTO hires VPs and heads, a VP hires heads and directors."""
    if level not in LEVELS:
        return {"head", "director", "manager"}
    i = LEVELS.index(level)
    return set(LEVELS[i + 1: i + 3]) or {level}


def expand(need: Need, facts: dict[str, Any]) -> tuple[set[str], set[str]]:
    """The need's concrete functions and seniorities, with $tokens read from the signal."""
    functions: set[str] = set()
    for f in need.functions:
        if f in ("$function", "$functions"):
            got = facts.get(f[1:])
            functions.update(x for x in (got if isinstance(got, list) else [got]) if isinstance(x, str)
                             and x in FUNCTIONS)
        else:
            functions.add(f)
    seniorities: set[str] = set()
    for s in need.seniorities:
        if s == "$seniority":
            level = facts.get("seniority")
            seniorities.update([level] if level in SENIORITIES else ["head", "director"])
        elif s == "$below":
            seniorities.update(below(facts.get("seniority")))
        else:
            seniorities.add(s)
    return functions, seniorities
