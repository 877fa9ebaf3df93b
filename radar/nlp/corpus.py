"""Documents of the shared real-news corpus, by id: what the labels point into.

Labels live in the project and hold only ids and character offsets (no copied text), so
the text behind an id must come out of ../shared/corpus the same way every time. Ids:
- ``wikinews:<n>``: a Wikinews business article (title, text, date as published);
- ``8k:<accession>``: an 8-K from the EDGAR slice, its body then its Exhibit 99;
- ``article:<path>``: an article page under articles/, read by radar's own extractor;
- ``feed:<file>#<n>``: the n-th entry of a feed under feeds/news, its summary as text.
"""
import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from radar.json_lines import json_objects
from radar.shared_corpus import corpus_root  # `corpus.corpus_root()` is asked here too

# An 8-K's parts are joined with a blank line: offsets into the body stay valid.
EIGHTK_JOIN = "\n\n"


@dataclass(frozen=True)
class CorpusDoc:
    id: str
    title: str
    text: str
    date: Optional[str]  # ISO date the document was published or filed
    meta: Optional[dict[str, object]] = None


def _root() -> Path:
    root = corpus_root()
    if root is None:
        raise FileNotFoundError("the shared corpus is not here; set RADAR_CORPUS to its folder")
    return root


@lru_cache(maxsize=1)
def _wikinews() -> dict[str, CorpusDoc]:
    out = {}
    with (_root() / "wikinews" / "economy_business.jsonl").open(encoding="utf-8") as f:
        for _, r in json_objects(f, "the shared corpus's wikinews file is damaged"):
            out[r["id"]] = CorpusDoc(r["id"], r.get("title") or "", r.get("text") or "", r.get("date"))
    return out


@lru_cache(maxsize=1)
def _eightks() -> dict[str, CorpusDoc]:
    out = {}
    with gzip.open(_root() / "edgar" / "8k_slice.jsonl.gz", "rt", encoding="utf-8") as f:
        for _, r in json_objects(f, "the shared corpus's 8-K file is damaged"):
            parts = [p for p in (r.get("text") or "", r.get("exhibit_99") or "") if p.strip()]
            meta = {"kind": "edgar", "form": "8-K", "items": r.get("items") or [], "company": r.get("company")}
            out[r["id"]] = CorpusDoc(r["id"], "", EIGHTK_JOIN.join(parts), r.get("filed"), meta)
    return out


def _article(path: str) -> CorpusDoc:
    from radar.spiders.articles import extract_article

    file = _root() / "articles" / path
    raw = gzip.decompress(file.read_bytes()) if file.suffix == ".gz" else file.read_bytes()
    art = extract_article(raw, "https://example.invalid/" + path)
    date = art.published.date().isoformat() if art and art.published else None
    return CorpusDoc("article:" + path, (art.title or "") if art else "", art.text if art else "", date)


@lru_cache(maxsize=16)
def _feed_entries(name: str) -> list[CorpusDoc]:
    from radar.spiders.edgar_parse import html_to_text
    from radar.spiders.feeds import parse_feed

    entries = parse_feed((_root() / "feeds" / "news" / name).read_bytes())
    return [CorpusDoc(f"feed:{name}#{n}", e.title, html_to_text(e.summary.encode()),
                      e.published.date().isoformat() if e.published else None)
            for n, e in enumerate(entries)]


def get(doc_id: str) -> CorpusDoc:
    """The document behind a label's id; KeyError if the corpus has no such document."""
    kind, _, rest = doc_id.partition(":")
    if kind == "wikinews":
        return _wikinews()[doc_id]
    if kind == "8k":
        return _eightks()[doc_id]
    if kind == "article":
        return _article(rest)
    if kind == "feed":
        name, _, n = rest.partition("#")
        return _feed_entries(name)[int(n)]
    raise KeyError(doc_id)


def all_ids() -> Iterator[str]:
    """Every id the corpus offers, in a stable order."""
    yield from _wikinews()
    yield from _eightks()
    root = _root() / "articles"
    for p in sorted(root.rglob("*")):
        if p.suffix in (".htm", ".html", ".gz") and p.name not in ("expected.html",):
            yield "article:" + p.relative_to(root).as_posix()
    for f in sorted((_root() / "feeds" / "news").iterdir()):
        for d in _feed_entries(f.name):
            yield d.id
