"""The words of explanations and briefs: need-model templates filled with a signal's facts.

Every value comes from the web, so it is flattened to one short plain line here; escaping
for HTML, Markdown or CSV stays with the renderer that knows its format.
"""
import re
from typing import Any

from radar.settings import Profile
from radar.text import one_line

MAX_VALUE = 120
CURRENCY_SIGN = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}
DEFAULTS = {"person": "", "title": "leader", "role": "senior role", "target": "the acquired company",
            "acquirer": "its buyer", "partner": "a partner", "product": "its new product", "location": "a new market"}


def clean(value: Any) -> str:
    """One plain, short line: no control characters, no runs of spaces."""
    return one_line(str(value), MAX_VALUE)


def money(amount: Any, currency: Any) -> str:
    """'$42M', '€1.2B', or 'an undisclosed amount'."""
    try:
        value = float(amount)
    except (TypeError, ValueError):
        return "an undisclosed amount"
    if value <= 0:
        return "an undisclosed amount"
    code = str(currency or "USD").upper()
    sign = CURRENCY_SIGN.get(code, "")
    for div, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= div:
            number = f"{value / div:.1f}".rstrip("0").rstrip(".")
            return f"{sign}{number}{suffix}" + ("" if sign else f" {code}")
    return f"{sign}{value:.0f}" + ("" if sign else f" {code}")


def round_label(round_: Any) -> str:
    r = str(round_ or "").lower()
    if r.startswith("series_"):
        return "Series " + r.split("_", 1)[1].upper()
    return {"pre_seed": "pre-seed round", "seed": "seed round", "growth": "growth round", "debt": "debt round",
            "grant": "grant"}.get(r, "funding round")


def _listing(items: Any) -> str:
    values = [clean(x).replace("_", " ") for x in (items if isinstance(items, list) else [items]) if x]
    return " and ".join([", ".join(values[:-1]), values[-1]]) if len(values) > 1 else (values[0] if values else "")


def function_label(facts: dict[str, Any], profile: Profile) -> str:
    """The signal's own function if it has one (not "executive": a new CEO's news is about the
    whole company), else the person's first; "" when neither names one. Templates put it
    before a noun ("the {function_label} team"), where an empty value still reads."""
    for f in (facts.get("function"), *profile.functions):
        if isinstance(f, str) and f and f != "executive":
            return f.replace("_", " ")
    return ""


def text_values(sig: Any, facts: dict[str, Any], profile: Profile, org_name: str, lead_days: float) -> dict[str, str]:
    """The placeholders a template may use, all plain strings."""
    values = {k: clean(facts.get(k) or d) for k, d in DEFAULTS.items()}
    values.update({
        "org": clean(org_name), "date": sig.event_date.isoformat(),
        "subtype": clean((sig.subtype or "event").replace("_", " ")), "months": str(max(1, round(lead_days / 30))),
        "round_label": round_label(facts.get("round") or sig.subtype),
        "amount_text": money(facts.get("amount"), facts.get("currency")),
        "function_label": function_label(facts, profile),
        # where the function stands alone as a noun ("a plan for {function_area}")
        "function_area": function_label(facts, profile) or "your area",
        "firm_text": f" with {clean(facts['search_firm'])}" if facts.get("search_firm") else "",
        "exchange_text": f" on {clean(facts['exchange'])}" if facts.get("exchange") else "",
        "number_text": (f"{clean(facts['number'])} {'person' if str(facts['number']) == '1' else 'people'}"
                        if facts.get("number") else "more people"),
        "functions_text": f" in {_listing(facts['functions'])}" if facts.get("functions") else "",
        "locations_text": f" in {_listing(facts['locations'])}" if facts.get("locations") else "",
        "percent_text": f" ({clean(facts['percent'])}% of staff)" if facts.get("percent") else "",
    })
    if not facts.get("location") and facts.get("locations"):
        values["location"] = _listing(facts["locations"])
    return values


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: dict[str, str]) -> str:
    """A template with its {placeholders} filled; unknown ones become empty, a broken template stays as written."""
    if not template:
        return ""
    try:
        text = template.format_map(_Blank(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        text = template
    text = re.sub(r"\s+", " ", text).replace(" :", ":").replace(" ,", ",").strip()
    # "{months} months" with a lead time of one month, in a template of the user's as in ours.
    return _ONE_UNITS.sub(r"\1 \2", text)


_ONE_UNITS = re.compile(r"(?<![\d.,])(1) (day|week|month|year)s\b")

