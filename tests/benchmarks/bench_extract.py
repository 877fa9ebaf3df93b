"""Benchmark: `radar extract` against the full en_core_web_sm pipeline over every document.

Documents are real news: the Wikinews business articles of ../shared/corpus (read at run
time, never copied), cycled to the requested count. Both sides run in this process, on the
same documents, so the ratio is what counts on a shared machine. Also checks that reading
only the sentences the classifier keeps loses no F1 against parsing every sentence with the
full pipeline (on the labelled dev split), and prints peak RSS.

Usage: .venv/bin/python tests/benchmarks/bench_extract.py [--docs 2000] [--baseline-docs N]
"""
import argparse
import hashlib
import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.conftest import CORPUS  # noqa: E402


def make_documents(n: int) -> list[tuple[str, str]]:
    path = CORPUS / "wikinews" / "economy_business.jsonl"
    if not path.is_file():
        sys.exit(f"no {path}: the benchmark needs the shared corpus")
    articles = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(f"https://bench.example/{i}",
             articles[i % len(articles)]["title"] + "\n" + articles[i % len(articles)]["text"])
            for i in range(n)]


def store(engine: Any, docs: list[tuple[str, str]]) -> None:
    from sqlmodel import Session

    from radar.models import Document

    with Session(engine) as s:
        for url, text in docs:
            s.add(Document(url=url, text=text, content_hash=hashlib.sha1(text.encode()).hexdigest()))
        s.commit()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def f1_on_dev_split(detector: Any) -> float:
    from radar.nlp.evaluate import evaluate
    from radar.nlp.labels import labelled_records

    report = evaluate(list(labelled_records("dev")), detector)
    return next(r["f1"] for r in report.rows() if r["type"] == "all (micro)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--baseline-docs", type=int, default=0, help="full-pipeline documents (default: all)")
    args = ap.parse_args()

    from radar.db import make_engine, migrate
    from radar.extract import extract
    from radar.nlp.detect import Detector
    from radar.nlp.model import load_full_pipeline, load_pipeline

    docs = make_documents(args.docs)
    words = sum(len(t.split()) for _, t in docs)
    print(f"documents: {len(docs):,}, words: {words:,} ({words / len(docs):.0f} per document)")
    load_pipeline()  # the full pipeline loads after extract, so the RSS above is extract's own

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        migrate(engine)
        store(engine, docs)
        started = time.perf_counter()
        summary = extract(engine)
        ours = time.perf_counter() - started
        engine.dispose()
    print(f"radar extract: {ours:.1f} s, {len(docs) / ours:,.0f} docs/s, {words / ours:,.0f} words/s "
          f"({summary.signals_new:,} signals, {summary.mentions_new:,} mentions, {summary.failed} failed)")
    extract_rss = peak_rss_mb()
    print(f"peak RSS after radar extract: {extract_rss:.0f} MB  (target < 600 MB)")

    full = load_full_pipeline()
    base_docs = docs[: args.baseline_docs or len(docs)]
    base_words = sum(len(t.split()) for _, t in base_docs)
    started = time.perf_counter()
    for _ in full.pipe((t for _, t in base_docs), batch_size=64):
        pass
    base = time.perf_counter() - started
    print(f"full en_core_web_sm over every document: {base:.1f} s for {len(base_docs):,} docs, "
          f"{len(base_docs) / base:,.0f} docs/s, {base_words / base:,.0f} words/s")
    ratio = (words / ours) / (base_words / base)
    print(f"speed-up (words/s, extract incl. database writes vs NLP alone): {ratio:.1f}x  (target >= 3x)")

    gated = f1_on_dev_split(Detector())
    reference = f1_on_dev_split(Detector(use_gate=False, full_pipeline=True))
    print(f"real dev split micro F1: kept sentences + trimmed pipeline {gated:.3f}, "
          f"every sentence + full pipeline {reference:.3f} "
          f"({'no loss' if gated >= reference else 'LOSS'})")
    print(f"peak RSS of the whole run (both pipelines loaded): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
