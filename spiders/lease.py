"""Host leases: one request at a time per host, at its delay, across every process of a radar.

A lease is a row per host in the database: who holds the host now (until when), and when
the next request may start. A process takes the lease before each request and gives it back
after, setting the next start to now + the host's delay; every other process, on this
machine or another, waits for both. A holder that dies mid-request (kill -9, a lost
machine) frees the host when its lease expires, after the longest a request may take, or
at once when it ran on this machine and its process is gone.

`LocalLeases` does the same inside one process for fetches that have no database
(`radar sources check` before anything is stored).
"""
import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Optional, Protocol

from sqlalchemy.engine import Engine

from radar import store
from radar.processes import process_gone

logger = logging.getLogger(__name__)
POLL = 0.5  # seconds: the longest a waiting process sleeps before asking again


class Leases(Protocol):
    def hold(self, host: str, delay: float) -> AbstractContextManager[None]: ...


class LocalLeases:
    """One process's clocks: the next start per host, behind a lock per host."""

    def __init__(self, sleep: Callable[[float], None] = time.sleep):
        self._sleep = sleep
        self._next: dict[str, float] = {}

    @contextmanager
    def hold(self, host: str, delay: float) -> Iterator[None]:
        wait = self._next.get(host, 0.0) - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        try:
            yield
        finally:
            self._next[host] = time.monotonic() + delay


class DbLeases:
    """Leases in the host_lease table (SQLite or PostgreSQL). Times are Unix seconds from
    each process's clock: machines sharing a database keep their clocks in sync (NTP); the
    lease itself, not the clock, is what keeps two requests apart."""

    def __init__(self, engine: Engine, ttl: float, sleep: Callable[[float], None] = time.sleep,
                 holder: Optional[str] = None):
        self.engine = engine
        self.ttl = ttl
        self._sleep = sleep
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.waited = 0.0  # seconds spent waiting for other holders, for the crawl summary
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, host: str, delay: float) -> Iterator[None]:
        self.acquire(host)
        try:
            yield
        finally:
            self.release(host, delay)

    def acquire(self, host: str) -> None:
        """Wait until this process holds the host."""
        while True:
            wait = self._try(host, time.time())
            if wait is None:
                return
            with self._lock:
                self.waited += wait
            self._sleep(wait)

    def _try(self, host: str, now: float) -> Optional[float]:
        """None when the lease is ours now, else how long to wait before asking again."""
        took, row = store.take_lease(self.engine, host, self.holder, now, self.ttl)
        if took:
            return None
        if row is None:
            # The host's first request: another process may create its row first, then ask again.
            return None if store.create_lease(self.engine, host, self.holder, now, self.ttl) else 0.0
        if row.holder is not None and row.expires_at >= now:
            if process_gone(row.holder):
                # Its process died on this machine mid-request (kill -9): the host is free now
                # rather than when the lease expires.
                store.free_lease(self.engine, host, row.holder)
                return 0.0
            return min(POLL, max(0.01, row.expires_at - now))
        return min(POLL, max(0.001, row.next_at - now))

    def release(self, host: str, delay: float) -> None:
        """Give the host back; the next request, from any process, starts `delay` seconds from now."""
        store.release_lease(self.engine, host, self.holder, time.time() + delay)
