"""The HTTP Retry-After header as seconds, for the crawler and the exporters alike."""
import email.utils
import math
import time
from typing import Optional


def retry_after_seconds(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait from a Retry-After value: a number of seconds or an HTTP date (RFC 9110);
    never negative; None when absent or unreadable, so the caller falls back to its backoff."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds) if math.isfinite(seconds) else None
