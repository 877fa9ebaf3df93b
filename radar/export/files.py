"""Writing export files atomically: a half-written file never replaces a good one."""
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from radar.errors import RadarError
from radar.writers import csv_text


def write_atomic(path: Path, text: str) -> None:
    """Write `text` to a temporary file beside `path`, then rename it over `path`."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)  # no stray temporary file beside the target
        raise RadarError(f"cannot write {path}: {e.strerror or e}; choose another --out") from None


def write_csv_files(items: Iterable[Any], folder: Path, layout: Sequence[tuple[str, Sequence[str], str]]) -> list[Path]:
    """One CSV per kind of item, in `layout` order (kind, columns, file name), skipping empty kinds.

    The order matters to CRMs that import references: companies before the people in them.
    """
    items = list(items)
    written = []
    for kind, columns, name in layout:
        rows = [i.payload for i in items if i.kind == kind]
        if rows:
            path = folder / name
            write_atomic(path, csv_text(rows, columns))
            written.append(path)
    return written
