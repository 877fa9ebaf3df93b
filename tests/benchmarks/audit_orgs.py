"""Audit: which organizations does a pipeline run over ../shared/corpus store for ranking?

Stores every corpus document (Wikinews articles, 8-K filings, article pages, feed entries)
in a fresh SQLite database with its publication date, runs `radar extract` on it, and
prints every organization that has a signal, with its signal types and one evidence
sentence, for a person to check that each is an organization. Names that grounding would
flag (publishers, generic words) are marked; the list is the measurement.

Usage: .venv/bin/python tests/benchmarks/audit_orgs.py [--limit N] [--out list.tsv]
"""
import argparse
import hashlib
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="documents (default: all)")
    ap.add_argument("--out", type=Path, help="also write the list as TSV")
    args = ap.parse_args()

    from sqlmodel import Session, select

    from radar.db import make_engine, migrate
    from radar.extract import extract
    from radar.models import Document, Organization, Signal
    from radar.nlp import corpus, grounding

    if corpus.corpus_root() is None:
        sys.exit("the shared corpus is not here; set RADAR_CORPUS")
    ids = list(corpus.all_ids())
    if args.limit:
        ids = ids[: args.limit]
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/audit.db")
        migrate(engine)
        with Session(engine) as s:
            for i in ids:
                d = corpus.get(i)
                if not (d.text or d.title):
                    continue
                when = datetime.fromisoformat(d.date).replace(tzinfo=UTC) if d.date else None
                kind = "edgar" if i.startswith("8k:") else "article"
                s.add(Document(url=f"https://corpus.invalid/{i}", title=d.title or None, text=d.text, kind=kind,
                               meta=d.meta or {}, published_at=when,
                               content_hash=hashlib.sha1((i + d.text).encode()).hexdigest()))
            s.commit()
        summary = extract(engine)
        print(f"{len(ids)} documents, {summary.signals_new} signals")
        with Session(engine) as s:
            rows = []
            for org in s.exec(select(Organization)):
                sigs = list(s.exec(select(Signal).where(Signal.organization_id == org.id)))
                if not sigs:
                    continue
                flag = ("PUBLISHER" if grounding.is_publisher(org.name)
                        else "GENERIC" if grounding.is_generic(org.name) else "")
                types = ",".join(sorted({g.type + ("(target)" if g.subtype == "target" else "") for g in sigs}))
                rows.append((org.name, types, flag, sigs[0].evidence.replace("\t", " ")[:160]))
        engine.dispose()
    rows.sort(key=lambda r: r[0].lower())
    for r in rows:
        print("\t".join(r))
    print(f"{len(rows)} organizations with signals; {sum(1 for r in rows if r[2])} flagged by grounding's own lists")
    if args.out:
        args.out.write_text("\n".join("\t".join(r) for r in rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
