"""Cooperative stop: SIGTERM or Ctrl-C sets a flag; long loops check it between documents.

A thread cannot be killed safely, so the crawl and extraction loops call `checkpoint()`
before each document and unwind with `Stopped` when the service is shutting down. Outside
`radar serve` the flag is never set and the checks cost nothing. Low in the package: every
stage can check it without importing the service.
"""
import threading

_stop = threading.Event()


class Stopped(Exception):
    """Raised at a checkpoint once a stop was requested; not an error."""


def request_stop() -> None:
    _stop.set()


def stop_requested() -> bool:
    return _stop.is_set()


def wait(timeout: float) -> bool:
    """Sleep up to `timeout` seconds; True as soon as a stop is requested."""
    return _stop.wait(timeout)


def reset() -> None:
    _stop.clear()


def checkpoint() -> None:
    if _stop.is_set():
        raise Stopped("stop requested")
