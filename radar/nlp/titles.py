"""Job titles: finding them in a sentence and normalizing them to a function and a seniority."""
import re
from typing import Optional

_AREA = (
    r"(?:[A-Z][\w&-]*|of|and|&|for|the|[a-z]+ing|data|product|sales|marketing|engineering|finance|operations|design|"
    r"people|technology|strategy|growth|research|science|legal|policy|risk|commercial|revenue|talent|security|"
    r"customer success|supply chain|manufacturing|claims operations|communications|content)"
)
_C_TITLE = (
    r"chief\s+(?:[\w&-]+\s+){0,3}?officer|chief\s+executive|chief\s+economist|"
    r"\b(?:co-)?c(?:e|f|t|o|m|r|p|i|d|h|l|s|x|a|b)o\b|\bciso\b|\bchro\b|general\s+counsel"
)
_VP = r"(?:senior\s+|executive\s+|group\s+)?vice[-\s]+president|\b[se]?vp\b"
_TITLE_RX = re.compile(
    rf"(?:(?:interim|acting|new|permanent|first|global|deputy|founding)\s+)*"
    rf"(?:(?:{_C_TITLE}|(?:co-)?president)(?:,?\s+(?:and|&)\s+(?:{_C_TITLE}|president|treasurer|secretary))+"
    rf"|(?:{_C_TITLE})"
    rf"|(?:{_VP})(?:,?\s+(?:of\s+|for\s+)?(?:[\w&-]+\s*){{1,4}}?(?=[,.;)]|\s+(?:at|to|in|who|and|from|with|effective|after|,)\b|$))?"
    rf"|head\s+of\s+[\w&-]+(?:\s+(?:and|&)?\s*[\w&-]+){{0,2}}?(?=[,.;)]|\s+(?:at|to|in|who|from|with|effective|after|for)\b|\s+and\s+(?:has|have|is|will|was|said|plans)\b|$)"
    rf"|(?:(?:managing|executive|engineering|sales|marketing|creative|technical|finance|design|product|research|art)\s+director|director\s+of\s+[\w&-]+(?:\s+[\w&-]+)?)"
    rf"|(?:(?:engineering|product|sales|marketing|general|program|operations|country|regional)\s+manager)"
    rf"|(?:co-)?president|chair(?:man|woman|person)?|treasurer|(?:class\s+[ivx]+\s+|independent\s+)?director|"
    rf"member\s+of\s+the\s+board(?:\s+of\s+directors)?|co-founder|founder)",
    re.I,
)

FUNCTIONS = [
    ("people", r"people|human resources|\bhr\b|talent|chro|culture"),
    ("legal", r"legal|counsel|compliance|\bclo\b|secretary"),
    ("finance", r"financ|\bcfo\b|accounting|controller|treasur|risk|\bcao\b|credit|lending|investment officer"),
    ("data", r"data|analytics|\bai\b|machine learning|\bcdo\b|scien"),
    ("design", r"design|\bux\b|creative|\bart\b"),
    ("product", r"product|\bcpo\b"),
    ("marketing", r"marketing|\bcmo\b|brand|communications|growth"),
    ("customer_success", r"customer|client|support|success|service"),
    ("sales", r"sales|revenue|\bcro\b|business development|commercial|\bcco\b|partnerships"),
    ("engineering", r"engineer|technolog|\bcto\b|technical|platform|software|infrastructure|security|ciso|\bcio\b|"
                    r"information|it\b|autonomy|r&d|research"),
    ("operations", r"operat|\bcoo\b|supply|logistics|manufactur|production|nursing|medical|claims|procurement"),
    ("executive", r"\bceo\b|chief executive|president|founder|managing director|general manager|chair|director|board"),
]
SENIORITY = [
    ("c_level", r"\bchief\b|\bc[a-z]o\b|\bciso\b|\bchro\b|\bceo\b|general counsel|chair|founder|board|^director$|"
                r"class \w+ director|independent director"),
    ("vp", r"vice[- ]president|\bvp\b|\bsvp\b|\bevp\b"),
    ("c_level", r"president"),
    ("head", r"\bhead\b"),
    ("director", r"director"),
    ("manager", r"manager|\blead\b"),
]


def find_titles(text: str) -> list[re.Match[str]]:
    return [m for m in _TITLE_RX.finditer(text) if m.group(0).strip()]


def clean_title(title: str) -> str:
    t = re.sub(r"\s+", " ", title).strip(" ,.;:")
    t = re.sub(r"^(?:new|permanent|first)\s+", "", t, flags=re.I)
    return re.sub(r"\s+(and|&|of|for|the)$", "", t, flags=re.I)


def normalize_title(title: str) -> tuple[Optional[str], Optional[str]]:
    """(function, seniority) of a title: 'VP of Engineering' -> ('engineering', 'vp')."""
    t = title.lower()
    seniority = next((s for s, rx in SENIORITY if re.search(rx, t)), None)
    if re.search(r"\bceo\b|chief executive|^(co-)?president$|president and (chief executive|ceo)", t):
        return "executive", "c_level"
    function = next((f for f, rx in FUNCTIONS if f != "executive" and re.search(rx, t)), None)
    if function is None and re.search(dict(FUNCTIONS)["executive"], t):
        function = "executive"
    return function, seniority
