"""Job titles to (function, seniority): the one normalizer for signals and the profile.

Extraction stores what it reads from a title on each signal; ranking reads the user's
target roles, and the titles of signals that carry no function or seniority, through the
same function, so a title means the same thing on both sides. Pure and without spaCy, so
the ranking core stays light.
"""
import re
from typing import Optional

from radar.vocabulary import Function, Seniority

# Order matters: the first cue that matches wins ("Chief Revenue Officer" is sales, "VP People
# Operations" is people). A department noun beats the generic words of the executive cue.
_FUNCTION_CUES: tuple[tuple[Function, str], ...] = (
    ("people", r"people|human resources|\bhr\b|talent|\bchro\b|culture|recruit"),
    ("legal", r"legal|counsel|compliance|\bclo\b|secretary"),
    ("finance", r"financ|\bcfo\b|accounting|controller|treasur|risk|\bcao\b|credit|lending|investment officer"
                r"|investor relations"),
    ("data", r"\bdata\b|analytics|\bai\b|\bml\b|machine learning|\bcdo\b|scien"),
    ("design", r"design|\bux\b|creative|\bart\b"),
    ("product", r"product|\bcpo\b"),
    ("marketing", r"marketing|\bcmo\b|brand|communications|growth"),
    ("customer_success", r"customer|client|support|success|service"),
    ("sales", r"sales|revenue|\bcro\b|business development|commercial|\bcco\b|partnerships|account exec"),
    # Research is R&D: the engineering organization's, unless a data or science cue came first.
    ("engineering", r"engineer|technolog|\bcto\b|technical|platform|software|infrastructure|security|\bciso\b"
                    r"|\bcio\b|information|\bit\b|autonomy|r&d|research"),
    ("operations", r"operat|\bcoo\b|supply|logistics|manufactur|production|nursing|medical|claims|procurement"
                   r"|plant|facility|\bsite\b"),
)
# The company's leader or its board: the function when no department is named.
_EXECUTIVE = (r"\bceo\b|chief executive|president|founder|managing director|general manager|country manager"
              r"|chair|director|board|turnaround|restructuring")
_SENIORITY_CUES: tuple[tuple[Seniority, str], ...] = (
    ("vp", r"vice[- ]president|\bvp\b|\bsvp\b|\bevp\b"),
    # A bare "Director", a class or independent director and a board member sit on the board
    # (8-K Item 5.02 speaks of directors so); a Managing Director runs the company.
    ("c_level", r"\bchief\b|\bc[a-z]{1,2}o\b|\bceo\b|general counsel|president|chair|founder|board"
                r"|^director$|class \w+ director|independent director|managing director"),
    ("head", r"\bhead\b|general manager|country manager"),
    ("director", r"director"),
    ("manager", r"manager|\blead\b"),
    ("senior", r"senior|\bstaff\b|principal|\bsr\b"),
)
_LEADER = re.compile(r"\bceo\b|chief executive|^(co-)?president$|president and (chief executive|ceo)")


def normalize_title(title: Optional[str]) -> tuple[Optional[Function], Optional[Seniority]]:
    """(function, seniority) of a title: 'VP of Engineering' -> ('engineering', 'vp'); None where unknown."""
    if not title:
        return None, None
    t = re.sub(r"\s+", " ", title.lower()).strip()
    if _LEADER.search(t):
        return "executive", "c_level"
    function = next((f for f, rx in _FUNCTION_CUES if re.search(rx, t)), None)
    if function is None and re.search(_EXECUTIVE, t):
        function = "executive"
    seniority = next((s for s, rx in _SENIORITY_CUES if re.search(rx, t)), None)
    return function, seniority
