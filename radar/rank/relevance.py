"""Relevance of an organization's recent text to the profile's statement, roles and skills (BM25).

A small Okapi BM25 over one document per organization (its recent texts joined): the corpus
is the organizations being ranked, so the IDF favours words that set one organization apart.
"""
import functools
import math
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from typing import Optional

from radar.settings import Profile

K1, B = 1.2, 0.75
FLOOR, SPAN = 0.85, 0.35  # the factor runs from 0.85 (no overlap) to 1.2 (the best match)
STOPWORDS = frozenset("""a an and are as at be by for from has have i in into is it its of on or our that the their
this to we with will was were you your who what which want would like lead build building work working company
companies organization organizations team teams role roles""".split())
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#-]*")


@functools.lru_cache(maxsize=200_000)
def _fold(t: str) -> Optional[str]:
    """A raw word as a token: None for stopwords and single characters, plurals folded."""
    if t in STOPWORDS or len(t) < 2:
        return None
    return t[:-1] if len(t) > 4 and t.endswith("s") and not t.endswith("ss") else t


def tokens(text: str) -> list[str]:
    """Lowercase words without stopwords, with a light plural fold (payments → payment)."""
    return [f for f in map(_fold, _TOKEN.findall(text.lower())) if f is not None]


def token_counts(text: str) -> Counter[str]:
    """Counter(tokens(text)), faster: words are counted before folding, once per distinct word
    (ranking tokenizes every signal's evidence, a million sentences on a large database)."""
    out: Counter[str] = Counter()
    for t, n in Counter(_TOKEN.findall(text.lower())).items():
        f = _fold(t)
        if f is not None:
            out[f] += n
    return out


def profile_query(profile: Profile) -> list[str]:
    """The words of the desired career path: statement, target roles and skills."""
    return tokens(" ".join([profile.statement, *profile.roles, *profile.skills]))


def bm25(query: list[str], docs: dict[int, list[str]]) -> dict[int, float]:
    """Okapi BM25 of each document for the query."""
    if not docs or not query:
        return {}
    n = len(docs)
    avg = sum(len(d) for d in docs.values()) / n or 1.0
    df = Counter(t for d in docs.values() for t in set(d))
    q = Counter(query)
    out = {}
    for key, doc in docs.items():
        tf = Counter(doc)
        norm = K1 * (1 - B + B * len(doc) / avg)
        out[key] = sum(qn * math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * tf[t] * (K1 + 1) / (tf[t] + norm)
                       for t, qn in q.items() if tf[t])
    return out


# A document as BM25 reads it: its length in tokens, and how often each of the query's words occurs.
TokenStats = tuple[int, dict[str, int]]


def token_stats(words: Collection[str], texts: Iterable[str]) -> TokenStats:
    """A document's TokenStats for a query's words: all that BM25 needs of it, small enough to
    keep per organization between rankings (radar.rank.memo). Without words (a profile
    without statement, roles or skills) nothing is counted: relevance_factors asks for none."""
    if not words:
        return 0, {}
    counts = token_counts(" ".join(texts))
    return sum(counts.values()), {t: counts[t] for t in words if t in counts}


def bm25_stats(query: list[str], docs: Mapping[int, TokenStats]) -> dict[int, float]:
    """bm25() over documents given as TokenStats; the same numbers, computed in the same order,
    with document frequencies counted for the query's words only."""
    if not docs or not query:
        return {}
    n = len(docs)
    avg = sum(length for length, _ in docs.values()) / n or 1.0
    q = Counter(query)
    df = {t: sum(1 for _, tf in docs.values() if t in tf) for t in q}
    out = {}
    for key, (length, tf) in docs.items():
        norm = K1 * (1 - B + B * length / avg)
        out[key] = sum(qn * math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5)) * tf[t] * (K1 + 1) / (tf[t] + norm)
                       for t, qn in q.items() if tf.get(t))
    return out


def relevance_factors(profile: Profile, texts: Mapping[int, Iterable[str]],
                      known: Optional[Mapping[int, TokenStats]] = None) -> dict[int, float]:
    """Per organization id, a factor from 0.85 to 1.2; organizations without text stay at 1.0.
    `known`: TokenStats already counted for profile_query(profile)'s words, by organization."""
    query = profile_query(profile)
    if not query:  # nothing to be relevant to (bm25_stats gives nothing): no text counted
        return {}
    words = set(query)
    known = known or {}
    docs = {k: known[k] if k in known else token_stats(words, v) for k, v in texts.items()}
    scores = bm25_stats(query, {k: d for k, d in docs.items() if d[0]})
    best = max(scores.values(), default=0.0)
    if best <= 0:
        return {}
    return {k: round(FLOOR + SPAN * s / best, 4) for k, s in scores.items()}
