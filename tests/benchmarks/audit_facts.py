"""Audit: what does radar know about the organizations it ranks, after a pipeline run over
../shared/corpus?

Stores every corpus document (Wikinews articles, the 8-K slice with its tickers, the complete
8-K submissions and Form D notices with their EDGAR headers, article pages, feed entries) in a
fresh SQLite database, runs `radar extract` (which reads the organization facts as it goes),
and prints the share of organizations with signals that have a domain, a location, a size, an
industry and a stage, then every stored winning fact with its evidence, for a person to check.

Usage: .venv/bin/python tests/benchmarks/audit_facts.py [--limit N] [--out facts.tsv]
"""
import argparse
import hashlib
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def corpus_documents(limit: int = 0) -> list[dict[str, Any]]:
    """Document fields for every corpus document, as the crawlers would store them."""
    from tests.corpus_docs import all_ids, document

    ids = list(all_ids())
    return [d for d in (document(i) for i in (ids[:limit] if limit else ids)) if d is not None]


# Facts only the issuer's own release or filing gives: the organization was seen speaking for itself.
ISSUER_METHODS = frozenset({"link in the About boilerplate", "the only link in the About boilerplate",
                            "About boilerplate", "head count in the About boilerplate",
                            "dateline of its press release", "EDGAR business address"})


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="corpus documents (default: all)")
    ap.add_argument("--out", type=Path, help="also write the winning facts as TSV")
    ap.add_argument("--db", type=Path, help="keep the database here (default: a temporary one)")
    ap.add_argument("--reread", action="store_true",
                    help="the --db database is extracted already: only read the facts again (no NLP)")
    args = ap.parse_args()

    from sqlmodel import Session, select

    from radar.db import make_engine, migrate
    from radar.entities import sec
    from radar.entities.profile import facts_of, resolve
    from radar.extract import extract, reread_facts
    from radar.models import Document, Organization, Signal
    from radar.nlp import corpus

    if corpus.corpus_root() is None:
        sys.exit("the shared corpus is not here; set RADAR_CORPUS")
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{args.db or Path(tmp) / 'audit.db'}")
        migrate(engine)
        if args.reread and args.db:
            print(f"facts read again for {reread_facts(engine, listed=sec.by_name())} organizations", file=sys.stderr)
        else:
            docs = corpus_documents(args.limit)
            with Session(engine) as s:
                for d in docs:
                    s.add(Document(**d, content_hash=hashlib.sha1((d["url"] + d["text"]).encode()).hexdigest()))
                s.commit()
            summary = extract(engine, reference=sec.reference_names(), listed=sec.by_name())
            print(f"{len(docs)} documents, {summary.signals_new} signals", file=sys.stderr)
        known: Counter[str] = Counter()
        issuers = issuer_domains = 0
        rows = []
        with Session(engine) as s:
            orgs = [o for o in s.exec(select(Organization))
                    if s.exec(select(Signal.id).where(Signal.organization_id == o.id)).first()]
            for o in orgs:
                assert o.id is not None
                facts = facts_of(s, o.id)
                chosen = resolve(facts)
                for name in ("domain", "location", "employees", "industry", "stage", "ticker"):
                    known[name] += bool(chosen.get(name))
                if any(f.method in ISSUER_METHODS or f.method.startswith("files ") for f in facts):
                    issuers += 1
                    issuer_domains += bool(chosen.get("domain"))
                for name, values in chosen.items():
                    for c in values:
                        best = max((f for f in facts if f.field == name and f.value == c.value),
                                   key=lambda f: f.confidence)
                        rows.append((o.name, name, c.value, f"{c.score:.2f}", best.method, best.url or "",
                                     " ".join(best.evidence.split())[:200]))
        engine.dispose()
    n = len(orgs)
    print(f"{n} organizations with signals")
    for name, k in known.items():
        print(f"  {name:<10} {k:>4} ({k / n:.0%})" if n else name)
    if issuers:
        print(f"{issuers} of them seen in their own press release or filing; with a domain: {issuer_domains} "
              f"({issuer_domains / issuers:.0%})")
    for r in sorted(rows):
        print("\t".join(r))
    if args.out:
        args.out.write_text("\n".join("\t".join(r) for r in sorted(rows)) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
