"""Money and round grammar: '€9.5 million' -> (9500000, 'EUR'); 'Series B' -> 'series_b'."""
import re
from typing import Optional

_CURRENCIES = [
    (r"us\$|usd|\$\s*us|dollars?", "USD"), (r"c\$|cad|canadian dollars?", "CAD"),
    (r"a\$|aud|australian dollars?", "AUD"), (r"s\$|sgd|singapore dollars?", "SGD"), (r"hk\$|hkd", "HKD"),
    (r"nz\$|nzd", "NZD"), (r"r\$|brl|reais", "BRL"), (r"€|eur|euros?", "EUR"), (r"£|gbp|pounds?( sterling)?", "GBP"),
    (r"¥|jpy|yen", "JPY"), (r"chf|swiss francs?", "CHF"), (r"₹|inr|rupees?|\brs\.?", "INR"), (r"cny|rmb|yuan", "CNY"),
    (r"sek|kronor", "SEK"), (r"nok", "NOK"), (r"dkk", "DKK"),
    (r"krw|won", "KRW"), (r"\bzar\b|\brand\b|\br(?=\d)", "ZAR"), (r"\$", "USD"),
]
_SCALE = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "b": 1e9, "million": 1e6, "mn": 1e6, "mln": 1e6,
          "m": 1e6, "mm": 1e6, "thousand": 1e3, "k": 1e3, "crore": 1e7, "lakh": 1e5}
_NUM = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(trillion|tn|billion|bn|mln|mn|mm|million|thousand|crore|lakh|[bmk])?\b",
                  re.I)

ROUND_RX = re.compile(
    r"\b(pre-?seed|seed(?:-plus| plus| extension)?|series\s+([a-h])\d?\b|growth(?:\s+equity)?\s+round|growth\s+funding|"
    r"venture\s+debt|credit\s+facility|debt\s+(?:financing|facility|round)|term\s+loan|loan|grant|"
    r"bridge\s+round|angel\s+round|strategic\s+investment|pre-ipo|mezzanine)",
    re.I,
)


def parse_amount(text: str) -> tuple[Optional[float], Optional[str]]:
    """The amount in units and ISO currency of a money phrase; (None, None) if unreadable."""
    low = text.lower()
    currency = next((iso for rx, iso in _CURRENCIES if re.search(rx, low)), None)
    m = _NUM.search(low)
    if not m:
        return None, currency
    value = float(m.group(1).replace(",", ""))
    scale = _SCALE.get((m.group(2) or "").lower(), 1.0)
    return round(value * scale, 2), currency or "USD"


def round_of(text: str) -> str:
    """The round type a funding sentence names: seed, series_b, debt, grant ... or 'unknown'."""
    m = ROUND_RX.search(text)
    if not m:
        return "unknown"
    if m.group(2):
        return f"series_{m.group(2).lower()}"
    w = m.group(1).lower()
    if w.startswith("pre"):
        return "pre_ipo" if "ipo" in w else "pre_seed"
    if w.startswith("seed"):
        return "seed"
    if "growth" in w:
        return "growth"
    if any(k in w for k in ("debt", "credit", "loan", "facility", "mezzanine")):
        return "debt"
    if w == "grant":
        return "grant"
    return "unknown"
