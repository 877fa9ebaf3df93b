"""Job titles to (function, seniority), for signals that carry only a title and for profile roles.

Kept on the ranking side (no spaCy import) so ranking stays a pure, fast core; the
extractor normalizes the titles it finds itself.
"""
import re
from typing import Optional

# Order matters: the first cue that matches wins ("Chief Revenue Officer" is sales, not executive).
FUNCTION_CUES: tuple[tuple[str, str], ...] = (
    ("data", r"\bdata\b|analytics|machine learning|\bml\b|\bai\b|\bcdo\b|data scien"),
    ("engineering", r"engineer|technolog|\bcto\b|technical|platform|software|infrastructure|\bit\b|security|\bciso\b"),
    ("product", r"\bproduct|\bcpo\b"),
    ("design", r"design|\bux\b|creative"),
    ("sales", r"sales|revenue|\bcro\b|business development|commercial|account exec"),
    ("marketing", r"marketing|\bcmo\b|brand|growth|communications"),
    ("customer_success", r"customer|client|support|success"),
    ("finance", r"financ|\bcfo\b|accounting|controller|treasur|investor relations|risk"),
    ("people", r"people|human resources|\bhr\b|talent|\bchro\b|recruit"),
    ("legal", r"legal|counsel|compliance|\bclo\b|general counsel"),
    ("operations", r"operat|\bcoo\b|supply|logistics|manufactur|plant|facility|site\b|procurement"),
    ("executive", r"\bceo\b|chief executive|president|founder|managing director|general manager|country manager"
                  r"|turnaround|restructuring"),
)
SENIORITY_CUES: tuple[tuple[str, str], ...] = (
    ("vp", r"vice president|\bvp\b|\bsvp\b|\bevp\b"),
    ("c_level", r"\bchief\b|\bc[a-z]{1,2}o\b|\bceo\b|^president|general counsel|managing director|\bpresident\b"),
    ("head", r"\bhead\b|general manager|country manager"),
    ("director", r"director"),
    ("manager", r"manager|\blead\b"),
    ("senior", r"senior|staff|principal|\bsr\b"),
)


def parse_title(title: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(function, seniority) of a title such as 'VP of Engineering'; None where unknown."""
    if not title:
        return None, None
    t = title.lower()
    function = next((f for f, rx in FUNCTION_CUES if re.search(rx, t)), None)
    seniority = next((s for s, rx in SENIORITY_CUES if re.search(rx, t)), None)
    return function, seniority
