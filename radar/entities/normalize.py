"""Organization names to a comparable key: case, accents, punctuation, 'The', legal suffixes."""
import re
import unicodedata
from typing import Optional

LEGAL_SUFFIXES = (
    "incorporated", "inc", "corporation", "corp", "company", "co", "limited", "ltd", "llc", "llp", "lp", "l p",
    "plc", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "oy", "ab", "as", "asa", "spa", "srl", "pte", "pty",
    "kk", "se", "holdings", "holding", "group", "the",
)
_SUFFIX_RX = re.compile(r"(?:[\s,]+(?:{}))+$".format("|".join(LEGAL_SUFFIXES)))
# EDGAR appends the state of incorporation to some registrant names: "1895 Bancorp of Wisconsin, Inc. /MD/".
_EDGAR_STATE = re.compile(r"\s*/[a-z]{2}/?\s*$", re.I)


def normalize_name(name: str) -> str:
    """'The Acme Robotics, Inc.' -> 'acme robotics'."""
    s = _EDGAR_STATE.sub("", name or "")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    s = s.replace("&", " and ")
    s = re.sub(r"['’`]s\b", "", s)
    s = re.sub(r"(?<=\b[a-z])\.(?=[a-z]\b)", "", s)  # "l.p." and "s.a." before punctuation goes
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^the\s+", "", s)
    stripped = _SUFFIX_RX.sub("", s).strip()
    return stripped or s


def loose_key(name: str) -> str:
    """A looser key for names spelled with and without an apostrophe ("Aaron's", "Aarons")."""
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in normalize_name(name).split())


def same_name(a: Optional[str], b: Optional[str]) -> bool:
    """Whether two spellings in one document name one organization: one key, or the words of
    the shorter leading the longer ("Alcoa" and "Alcoa Inc.", "Agilent" and "Agilent
    Technologies"). Within a document the short form is the long one's; across documents
    radar.entities.resolve.same_org is stricter ("Apple" is not "Apple Hospitality REIT")."""
    if not a or not b:
        return False
    na, nb = normalize_name(a), normalize_name(b)
    if na == nb or loose_key(a) == loose_key(b):
        return True
    wa, wb = na.split(), nb.split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return bool(short) and long_[: len(short)] == short


def domain_of(url_or_domain: str) -> str:
    d = re.sub(r"^[a-z]+://", "", url_or_domain.strip().lower()).split("/")[0].split(":")[0]
    return d.removeprefix("www.")
