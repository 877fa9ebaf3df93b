"""`radar nlp detect` and `radar nlp eval`: the extractor's contracts.

Both work without a config file or a database: they only load the spaCy model.
"""
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, Optional, TextIO

import typer

from radar.cli import app
from radar.cli.output import CsvOpt, JsonlOpt, JsonOpt, emit, pick_format, stderr
from radar.errors import UsageError
from radar.json_lines import json_objects

nlp_app = typer.Typer(help="The signal extractor on its own.\n\nExample: radar nlp detect news.jsonl",
                      context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(nlp_app, name="nlp")


def _open(file: str) -> Iterator[str]:
    """The input's lines; the file is closed when they are read, and a byte that is not UTF-8
    is a usage error naming its line, not a traceback."""
    if file != "-" and not Path(file).is_file():
        raise UsageError(f"input file {file} does not exist; give a JSON Lines file or - for stdin")
    return _lines(file)


def _lines(file: str) -> Iterator[str]:
    stream: TextIO = sys.stdin if file == "-" else Path(file).open(encoding="utf-8")
    n = 0
    try:
        for line in stream:
            n += 1
            yield line
    except UnicodeDecodeError:
        raise UsageError(f"{'stdin' if file == '-' else file} is not UTF-8 text (after line {n}); "
                         "input must be JSON Lines in UTF-8") from None
    finally:
        if stream is not sys.stdin:
            stream.close()


def read_records(stream: Iterable[str]) -> Iterator[dict[str, Any]]:
    """JSON objects with a 'text', one a line; a bad line stops the run with its number."""
    for n, rec in json_objects(stream, "input must be JSON Lines with 'id' and 'text'"):
        if not isinstance(rec.get("text"), str):
            raise UsageError(f"line {n} has no string 'text' field; each line needs 'id' and 'text'")
        yield rec


@nlp_app.command("detect")
def detect(file: Annotated[str, typer.Argument(
        help="JSON Lines with id, text and optional title and date; - for stdin.")]) -> None:
    """Detect signals in JSON Lines; one JSON line out per line in, in input order.

    A record's optional "date" (its publication date, ISO 8601) tells news from history:
    an event the text dates well before it is not reported.

    Example: echo '{"id": 1, "text": "Acme raised $5M.", "date": "2026-11-30"}' | radar nlp detect -
    """
    from radar.nlp.detect import Detector

    detector = Detector()
    pending: list[dict[str, Any]] = []

    def texts() -> Iterator[tuple[str, Optional[str], None, Optional[str]]]:
        for rec in read_records(_open(file)):
            pending.append(rec)
            title, when = rec.get("title"), rec.get("date")
            yield rec["text"], title if isinstance(title, str) else None, None, when if isinstance(when, str) else None

    for found in detector.detect(texts()):
        rec = pending.pop(0)
        # The target's side of an acquisition is radar's own bookkeeping, not a reported event.
        signals = [c.to_json() for c in found if c.subtype != "target"]
        sys.stdout.write(json.dumps({"id": rec.get("id"), "signals": signals}, ensure_ascii=False) + "\n")
        sys.stdout.flush()


@nlp_app.command("eval")
def evaluate_cmd(
    file: Annotated[str, typer.Argument(help="Labeled JSON Lines: id, text, events [{type, org, ...}]; - for stdin.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    as_json: JsonOpt = False, as_jsonl: JsonlOpt = False, as_csv: CsvOpt = False,
    errors: Annotated[bool, typer.Option("--errors", help="Also list missed and spurious events (on stderr).")] = False,
) -> None:
    """Score the detector on labeled JSON Lines: precision, recall, F1 and support per type.

    A record may name a document of the shared corpus ("doc") instead of carrying its text,
    as radar's own labels do.

    Example: radar nlp eval labels.jsonl --format json
    """
    from radar.nlp.evaluate import evaluate, read_labeled

    if fmt not in ("table", "json"):
        raise UsageError(f"--format {fmt} is not known; use table or json")
    chosen = "json" if fmt == "json" else pick_format(as_json, as_jsonl, as_csv)
    records = read_labeled(_open(file))
    if not records:
        raise UsageError(f"{file} holds no labeled records")
    report = evaluate(records)
    if errors:
        for e in report.errors:
            stderr.print(json.dumps(e, ensure_ascii=False), markup=False)
    if fmt == "json":
        typer.echo(json.dumps({"records": len(records), "types": report.rows(), "attributes": report.attribute_rows()},
                              indent=2))
        return
    emit(report.rows(), ["type", "precision", "recall", "f1", "support", "tp", "fp", "fn"], chosen,
         title=f"signal detection on {len(records)} records")
    if chosen == "table":
        emit(report.attribute_rows(), ["attribute", "accuracy", "right", "total"], "table",
             title="attributes of matched events")


@nlp_app.command("train")
def train_cmd(
    out: Annotated[Optional[Path], typer.Option(
        "--out", help="Where to write the model (default: the one radar ships).")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same weights.")] = 0,
    epochs: Annotated[int, typer.Option(
        "--epochs", help="Passes over the training sentences.", min=1, max=50)] = 8,
) -> None:
    """Retrain the sentence classifier and the decision model from radar's labelled real news.

    Needs the shared corpus the labels point into (../shared/corpus, or RADAR_CORPUS).
    Takes a few minutes on a CPU.

    Example: radar nlp train --out /tmp/radar-model
    """
    from radar.nlp import classifier, corpus
    from radar.nlp.train import train

    if corpus.corpus_root() is None:
        raise UsageError("the shared corpus is not here; set RADAR_CORPUS to the folder holding wikinews/ and edgar/")
    target = out or classifier.model_path()
    meta = train(target, epochs=epochs, seed=seed, progress=lambda msg: stderr.print(msg, markup=False))
    stderr.print(f"model written to {target}: {meta['epochs']} epochs, "
                 f"decision threshold {meta['decision']['threshold']}", markup=False)
