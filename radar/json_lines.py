"""Reading JSON Lines: one JSON object a line, blank lines skipped, a bad line named."""
import json
from collections.abc import Iterable, Iterator
from typing import Any

from radar.errors import UsageError


def json_objects(lines: Iterable[str], hint: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line; a line that is not a JSON object stops the
    reading with one message naming the line, then `hint` (what the input should be)."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            raise UsageError(f"line {n} is not valid JSON ({e.msg}); {hint}") from None
        if not isinstance(rec, dict):
            raise UsageError(f"line {n} is not a JSON object; {hint}")
        yield n, rec
