"""Organization names to a comparable key: case, punctuation, 'The' and legal suffixes."""
import re
import unicodedata

LEGAL_SUFFIXES = (
    "incorporated", "inc", "corporation", "corp", "company", "co", "limited", "ltd", "llc", "llp", "lp",
    "plc", "gmbh", "ag", "sa", "sas", "sarl", "bv", "nv", "oy", "ab", "as", "spa", "srl", "pte", "pty",
    "kk", "holdings", "holding", "group",
)
_SUFFIX_RX = re.compile(r"(?:[\s,]+(?:%s))+$" % "|".join(LEGAL_SUFFIXES))


def normalize_name(name: str) -> str:
    """'The Acme Robotics, Inc.' -> 'acme robotics'."""
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    s = s.replace("&", " and ")
    s = re.sub(r"['’`]s\b", "", s)
    s = re.sub(r"[^\w\s]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^the\s+", "", s)
    stripped = _SUFFIX_RX.sub("", s).strip()
    return stripped or s


def domain_of(url_or_domain: str) -> str:
    d = re.sub(r"^[a-z]+://", "", url_or_domain.strip().lower()).split("/")[0].split(":")[0]
    return d.removeprefix("www.")
