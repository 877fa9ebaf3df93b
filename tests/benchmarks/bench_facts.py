"""Benchmark: the organization-fact pass (radar.entities.facts.read_facts) against the spaCy
pipeline extraction runs on the same documents.

Extraction reads the facts of every organization a document names, after the NLP: what it
costs is worth knowing against what the NLP costs. Documents are the Wikinews business
articles of ../shared/corpus (read at run time). The baseline is the full en_core_web_sm
pipeline over the documents (nlp.pipe, as `radar extract` runs the expensive components on
part of the text only, the ratio to it is a lower bound of the share); its ORG entities are the
names whose facts are then read, each with every reader (domain, place, head count, industry,
markets). Both run in this process on the same documents, so the ratio is what counts on a
shared machine.

Usage: .venv/bin/python tests/benchmarks/bench_facts.py [--docs 300] [--repeat 3]
"""
import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import CORPUS  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3, help="fact passes timed (the best is kept)")
    args = ap.parse_args()
    path = CORPUS / "wikinews" / "economy_business.jsonl"
    if not path.is_file():
        sys.exit(f"no {path}: the benchmark needs the shared corpus")
    import spacy

    from radar.entities.facts import Page, read_facts
    from radar.nlp.model import MODEL_NAME

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [r["text"] for r in rows if len(r.get("text") or "") > 200][:args.docs]
    words = sum(len(t.split()) for t in texts)
    nlp = spacy.load(MODEL_NAME)
    start = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=64))
    nlp_s = time.perf_counter() - start
    names = [sorted({e.text for e in d.ents if e.label_ == "ORG" and len(e.text) > 1}) for d in docs]
    pages = [Page(t) for t in texts]
    best = float("inf")
    facts = 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        facts = sum(len(read_facts(p, n)) for p, ns in zip(pages, names, strict=True) for n in ns)
        best = min(best, time.perf_counter() - start)
    pairs = sum(len(n) for n in names)
    print(f"{len(texts)} documents, {words:,} words, {pairs} organization names (spaCy ORG), {facts} facts")
    print(f"baseline: full {MODEL_NAME} pipeline  {nlp_s * 1000:9.0f} ms  ({words / nlp_s:,.0f} words/s)  1")
    print(f"fact pass, every reader, every name  {best * 1000:9.0f} ms  ({best / pairs * 1000:.2f} ms/name)  "
          f"{best / nlp_s:.2f}x")


if __name__ == "__main__":
    main()
