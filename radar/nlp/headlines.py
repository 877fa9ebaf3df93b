"""Title Case headlines ("Acme Names Jane Doe Chief Operating Officer") confuse the tagger and
parser, which read every capitalized word as part of a name. Before parsing, the words of
the signal lexicons and common function words go back to lower case; names keep theirs.
"""
import re
from functools import lru_cache

from radar.nlp import lexicon as lx

_FUNCTION = frozenset("""a an the of in on at for with to from by and or as its their it into over after ahead
amid new first its next more than up out off plans plan deal deals round series funding financing million billion
debut ipo listing market office hub plant factory jobs workers staff engineers people report reports says said
partner partners partnership agreement contract expands expansion launch launches launched unveils opens enters
names appoints hires taps adds cuts lays raises secures closes acquires buys files prices""".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


@lru_cache(maxsize=1)
def _lowerable() -> frozenset[str]:
    return frozenset(_FUNCTION).union(
        lx.FUNDING_VERBS, lx.ACQUIRE_VERBS, lx.ACQUIRE_NOUNS, lx.APPOINT_VERBS, lx.PROMOTE_VERBS, lx.DEPART_VERBS,
        lx.LAUNCH_VERBS, lx.PARTNER_VERBS, lx.PARTNER_NOUNS, lx.CUSTOMER_VERBS, lx.EXPAND_VERBS, lx.HIRE_VERBS,
        lx.CUT_VERBS, lx.INVEST_VERBS, lx.SEARCH_VERBS, lx.JOB_NOUNS, lx.OFFICE_NOUNS, lx.FACILITY_NOUNS,
        lx.FUNDING_NOUNS) - {"series"}


def is_title_case(sentence: str) -> bool:
    words = _WORD.findall(sentence)
    if len(words) < 4:
        return False
    capital = sum(1 for w in words[1:] if w[0].isupper())
    return capital / (len(words) - 1) >= 0.7


def sentence_case(sentence: str) -> str:
    """The headline with lexicon and function words lowered; the first word stays as it is."""
    if not is_title_case(sentence):
        return sentence
    lower = _lowerable()
    out: list[str] = []
    for i, m in enumerate(re.finditer(r"\S+", sentence)):
        w = m.group(0)
        core = w.strip("\"'“”‘’,.:;!?()")
        after_name = bool(out) and out[-1][:1].isupper() and core.lower() in lx.ORG_SUFFIX_WORDS
        if i > 0 and core.lower() in lower and core[:1].isupper() and not core.isupper() and not after_name:
            w = w.replace(core, core.lower(), 1)
        out.append(w)
    return " ".join(out)
