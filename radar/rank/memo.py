"""What ranking derives from an organization's evidence, kept between rankings until that
evidence changes.

The service and the workers rank every organization at least daily in one long-running
process (and the digest asks for a whole ranking as well), while most organizations get no
new evidence from one ranking to the next. Classifying their industries (radar.industries)
and counting the words of their texts for BM25 (radar.rank.relevance) were a third of a
whole ranking; both are pure functions of the evidence, so they are kept per organization,
keyed by a digest of the evidence itself: a hit is exactly what computing again would give,
and any new sentence, source mention, filing fact or stored industry misses.
"""
import hashlib

from radar.industries import Evidence, classify
from radar.rank.relevance import TokenStats, token_stats

Found = list[tuple[str, list[str]]]  # classify()'s answer: [(industry, [origins])]


class EvidenceMemo:
    """Per organization: the digest of its evidence, its industries and its TokenStats for the
    query words they were counted for. At most `limit` organizations are kept (then it starts
    over: bounded memory however many are stored)."""

    def __init__(self, limit: int = 100_000):
        self.limit = limit
        self._kept: dict[int, tuple[bytes, Found, tuple[str, ...], TokenStats]] = {}

    def derive(self, org_id: int, ev: Evidence, words: tuple[str, ...]) -> tuple[Found, TokenStats]:
        """(classify(ev), token_stats(words, ev.texts)), computed again only when the evidence
        or the words changed since this organization was last asked for."""
        key = _digest(ev)
        kept = self._kept.get(org_id)
        if kept is not None and kept[0] == key:
            found = [(k, list(origins)) for k, origins in kept[1]]  # the caller's own lists
            if kept[2] == words:
                return found, kept[3]
        else:
            found = classify(ev)
        stats = token_stats(words, ev.texts)
        if len(self._kept) >= self.limit and org_id not in self._kept:
            self._kept.clear()
        self._kept[org_id] = (key, [(k, list(origins)) for k, origins in found], words, stats)
        return found, stats


def _digest(ev: Evidence) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    h.update(repr((ev.sic, ev.formd_group, sorted(ev.source_industries.items()), ev.stored)).encode())
    for text in ev.texts:  # the length first: texts ["ab", "c"] and ["a", "bc"] differ
        h.update(b"\0%d\0" % len(text))
        h.update(text.encode("utf-8", "surrogatepass"))
    return h.digest()
