"""Precision of organization facts on real documents: a sample of 55 organizations from a
pipeline run over ../shared/corpus, each stored fact checked by hand against its source
(tests/data/org_facts_sample.jsonl: document, organization, field, value, correct or not, and
why when not), and the 32 facts new after the readers changed on 2026-12-02 (rows marked
"checked"), each checked the same way. The readers run again on each document; facts judged
wrong must stay rare."""
import json
from collections import defaultdict
from typing import Any

from radar.entities import sec
from radar.entities.facts import Event, Page, read_facts
from radar.entities.normalize import normalize_name
from radar.entities.profile import listing_facts
from tests.conftest import DATA, corpus_or_skip

SAMPLE = DATA / "org_facts_sample.jsonl"
PRECISION_FLOOR = 0.9
KEPT_FLOOR = 0.9  # of the facts judged right, the share the readers still find


def _is_filer(meta: dict[str, Any], names: list[str]) -> bool:
    formd: dict[str, Any] = meta["formd"] if isinstance(meta.get("formd"), dict) else {}
    company = formd.get("issuer") or meta.get("company")
    return bool(company) and normalize_name(str(company)) in {normalize_name(n) for n in names}


def test_stored_facts_on_the_hand_checked_sample_are_precise() -> None:
    from tests.corpus_docs import document

    corpus_or_skip()
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    assert len({r["org"] for r in rows}) >= 50
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["doc"], r["org"])].append(r)
    listed = sec.by_name()
    judged = right = kept = 0
    for (doc_id, org), expected in groups.items():
        d = document(doc_id)
        assert d is not None, doc_id
        names = [org, *expected[0]["aliases"]]
        events = [Event(org, str(e["type"]), e.get("subtype"), str(e["evidence"]))
                  for e in (r.get("event") for r in expected) if e]
        page = Page(d["text"], d.get("title") or "", d.get("meta") or {}, d.get("kind") or "article", d["url"])
        filer = _is_filer(page.meta, names)
        found = {(f.field, f.value) for f in read_facts(page, org, names[1:], events, filer=filer)}
        found |= {(f.field, f.value) for f in listing_facts(names, listed)}
        for r in expected:
            if (r["field"], r["value"]) in found:
                judged += 1
                right += bool(r["correct"])
                kept += bool(r["correct"])
    correct_total = sum(bool(r["correct"]) for r in rows)
    assert right / judged >= PRECISION_FLOOR, f"precision {right / judged:.2f} on {judged} judged facts"
    assert kept / correct_total >= KEPT_FLOOR, f"only {kept} of {correct_total} facts judged right are still read"
