"""`radar nlp detect` and `radar nlp eval`: the extractor's contracts."""
import json
import sys
from pathlib import Path
from typing import Annotated, Iterator, TextIO

import typer

from radar.cli import app
from radar.errors import UsageError

nlp_app = typer.Typer(help="The signal extractor on its own.\n\nExample: radar nlp detect news.jsonl", context_settings={"help_option_names": ["-h", "--help"]}, no_args_is_help=True)
app.add_typer(nlp_app, name="nlp")


def _open(file: str) -> TextIO:
    if file == "-":
        return sys.stdin
    p = Path(file)
    if not p.is_file():
        raise UsageError(f"input file {file} does not exist")
    return p.open(encoding="utf-8")


def read_records(stream: TextIO) -> Iterator[dict]:  # type: ignore[type-arg]
    for n, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise UsageError(f"line {n} is not valid JSON ({e.msg}); input must be JSON Lines with 'id' and 'text'")
        if not isinstance(rec, dict) or "text" not in rec:
            raise UsageError(f"line {n} has no 'text' field; each line needs 'id' and 'text'")
        yield rec


@nlp_app.command("detect")
def detect(file: Annotated[str, typer.Argument(help="JSON Lines with id, text and optional title; - for stdin.")]) -> None:
    """Detect signals in JSON Lines; one JSON line out per line in, in input order.

    Example: echo '{"id": 1, "text": "Acme raised $5M."}' | radar nlp detect -
    """
    from radar.nlp.detect import Detector

    detector = Detector()
    records = read_records(_open(file))
    pending: list[dict] = []  # type: ignore[type-arg]

    def texts() -> Iterator[tuple[str, str | None]]:
        for rec in records:
            pending.append(rec)
            yield str(rec.get("text") or ""), rec.get("title")

    for rec_signals in detector.detect(texts()):
        rec = pending.pop(0)
        sys.stdout.write(json.dumps({"id": rec.get("id"), "signals": [c.to_json() for c in rec_signals]}, ensure_ascii=False) + "\n")
        sys.stdout.flush()
