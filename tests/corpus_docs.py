"""Corpus documents as radar's crawlers would store them (fields of a Document row), by id:
``wikinews:…``, ``8k:…`` (with the slice's ticker), ``article:…``, ``feed:…`` (radar.nlp.corpus),
``edgar/<file>`` (a complete 8-K submission with its EDGAR header) and ``formd/<file>`` (a Form D)."""
import gzip
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional


def _root() -> Path:
    from radar.nlp.corpus import corpus_root

    root = corpus_root()
    if root is None:
        raise FileNotFoundError("the shared corpus is not here; set RADAR_CORPUS")
    return root


@lru_cache(maxsize=1)
def _tickers() -> dict[str, Optional[str]]:
    with gzip.open(_root() / "edgar" / "8k_slice.jsonl.gz", "rt", encoding="utf-8") as f:
        return {r["id"]: r.get("ticker") for r in map(json.loads, f)}


def document(doc_id: str) -> Optional[dict[str, Any]]:
    """The Document fields of one corpus document (url is https://corpus.invalid/<id>); None if empty."""
    from radar.spiders import edgar_parse as ep
    from radar.spiders.edgar import eight_k_document, form_d_document

    url = f"https://corpus.invalid/{doc_id}"
    if doc_id.startswith(("edgar/", "formd/")):
        kind, _, name = doc_id.partition("/")
        path = _root() / "edgar" / ("8-K/full_submissions" if kind == "edgar" else "form-D") / name
        raw = path.read_bytes()
        h = ep.parse_header(raw) if kind == "edgar" else ep.Header()
        ref = ep.FilingRef(form=h.form or ("8-K" if kind == "edgar" else "D"), company=h.company or "",
                           cik=h.cik or "", accession=h.accession or path.stem, index_url=url, filed=h.filed,
                           items=h.items)
        try:
            return {"url": url, **(eight_k_document(ref, raw) if kind == "edgar" else form_d_document(ref, raw))}
        except ValueError:
            return None
    from radar.nlp import corpus

    d = corpus.get(doc_id)
    if not (d.text or d.title):
        return None
    meta = dict(d.meta or {})
    if doc_id in _tickers():
        meta["ticker"] = _tickers()[doc_id]
    kind = "8-K" if doc_id.startswith("8k:") else "article"
    when = datetime.fromisoformat(d.date).replace(tzinfo=UTC) if d.date else None
    return {"url": url, "title": d.title or None, "text": d.text, "kind": kind, "meta": meta, "published_at": when}


def all_ids() -> Iterator[str]:
    from radar.nlp import corpus

    yield from corpus.all_ids()
    yield from (f"edgar/{p.name}" for p in sorted((_root() / "edgar" / "8-K" / "full_submissions").iterdir()))
    yield from (f"formd/{p.name}" for p in sorted((_root() / "edgar" / "form-D").iterdir()))
