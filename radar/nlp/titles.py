"""Job titles: finding them in a sentence and cleaning them (radar.titles normalizes them)."""
import re

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


# The title pattern alone, for readers that look for a title beside a name (grounding's people).
TITLE_PATTERN = f"(?i:{_TITLE_RX.pattern})"


def find_titles(text: str) -> list[re.Match[str]]:
    return [m for m in _TITLE_RX.finditer(text) if m.group(0).strip()]


def clean_title(title: str) -> str:
    t = re.sub(r"\s+", " ", title).strip(" ,.;:")
    t = re.sub(r"^(?:new|permanent|first)\s+", "", t, flags=re.I)
    return re.sub(r"\s+(and|&|of|for|the)$", "", t, flags=re.I)

