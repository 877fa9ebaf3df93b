"""HTTP for CRM pushes and webhooks: a request budget per minute, retries with backoff, one-line errors.

Retries cover what servers do on bad days (429, 5xx, dropped connections) and honour
Retry-After; any other 4xx is the caller's mistake and stops the export with the
server's own message, trimmed to one line.
"""
import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Optional

import httpx

from radar import __version__
from radar.errors import ConfigError, RadarError
from radar.retry_after import retry_after_seconds

logger = logging.getLogger(__name__)
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_RETRY_AFTER = 120.0


class RateLimiter:
    """At most `max_requests` in any window of `per_seconds` (a sliding window of send times)."""

    def __init__(self, max_requests: int, per_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self.max_requests, self.per_seconds = max_requests, per_seconds
        self.clock, self.sleep = clock, sleep
        self.sent: deque[float] = deque()
        self.lock = threading.Lock()

    def wait(self) -> None:
        with self.lock:
            while True:
                now = self.clock()
                while self.sent and now - self.sent[0] >= self.per_seconds:
                    self.sent.popleft()
                if len(self.sent) < self.max_requests:
                    self.sent.append(now)
                    return
                self.sleep(self.per_seconds - (now - self.sent[0]) + 0.001)

    def done(self) -> None:
        """Count the last request from when its answer came: the server saw it no later than that,
        so its own window over arrival times never holds more than `max_requests`."""
        with self.lock:
            if self.sent:
                self.sent[-1] = self.clock()


def retry_after(response: httpx.Response, attempt: int, base: float) -> float:
    """Seconds to wait: the server's Retry-After when it gives one, else exponential backoff."""
    seconds = retry_after_seconds(response.headers.get("Retry-After"))
    return base * (2 ** attempt) if seconds is None else min(seconds, MAX_RETRY_AFTER)


def require_url(url: str, what: str, setting: str) -> str:
    if not url:
        raise ConfigError(f"no {what} URL: set {setting} in the config file or pass --url")
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"{what} URL {url!r} must start with http:// or https://")
    try:
        host = httpx.URL(url).host
    except (httpx.InvalidURL, ValueError) as e:
        raise ConfigError(f"{what} URL {url!r} is not a valid URL ({e}); fix {setting} or --url") from None
    if not host:
        raise ConfigError(f"{what} URL {url!r} has no host name; fix {setting} or --url")
    return url.rstrip("/")


class ApiClient:
    """JSON over HTTP with a token, a request budget and retries; one instance per export run."""

    def __init__(self, base_url: str, *, token: Optional[str] = None, requests_per_minute: int = 60,
                 retries: int = 4, backoff: float = 1.0, timeout: float = 30.0, limiter: Optional[RateLimiter] = None,
                 name: str = "server", sleep: Callable[[float], None] = time.sleep):
        headers = {"User-Agent": f"radar/{__version__}", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.base_url, self.name, self.retries, self.backoff, self.sleep = base_url, name, retries, backoff, sleep
        self.limiter = limiter or RateLimiter(requests_per_minute, 60.0)
        self.client = httpx.Client(headers=headers, timeout=timeout, follow_redirects=False)
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "ApiClient":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def request(self, method: str, path: str, *, json: Any = None, content: Optional[bytes] = None,
                headers: Optional[dict[str, str]] = None, params: Optional[dict[str, str]] = None,
                ok_statuses: tuple[int, ...] = ()) -> httpx.Response:
        """Send with retries; returns a 2xx response (or one in ok_statuses), raises RadarError otherwise."""
        url = self.base_url + path
        for attempt in range(self.retries + 1):
            self.limiter.wait()
            self.requests += 1
            try:
                response = self.client.request(method, url, json=json, content=content, headers=headers, params=params)
            except httpx.HTTPError as e:
                self.limiter.done()
                if attempt >= self.retries:
                    raise RadarError(f"{self.name} at {self.base_url} did not answer ({type(e).__name__}: {e}); "
                                     "check the URL and try again later; what was sent before is recorded") from None
                self.sleep(self.backoff * (2 ** attempt))
                continue
            self.limiter.done()
            if response.is_success or response.status_code in ok_statuses:
                return response
            if response.status_code in RETRY_STATUSES and attempt < self.retries:
                wait = retry_after(response, attempt, self.backoff)
                logger.info("%s answered %s to %s %s; retrying in %.1fs", self.name, response.status_code,
                            method, path, wait)
                self.sleep(wait)
                continue
            raise RadarError(self._failure(method, path, response))
        raise AssertionError("unreachable")

    def _failure(self, method: str, path: str, response: httpx.Response) -> str:
        body = " ".join(response.text.split())[:300]
        hint = {401: "; check the API token", 403: "; the token lacks permission",
                404: "; check the base URL"}.get(response.status_code, "")
        return f"{self.name} refused {method} {path or self.base_url}: HTTP {response.status_code} {body}{hint}"
