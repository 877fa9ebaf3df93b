"""Whether the process behind a "host:pid:..." holder name is gone: the holders of host
leases, URL claims and `radar serve`'s lock are named so, and a holder that died on this
machine (kill -9) gives up what it held at once rather than when it expires."""
import os
import socket


def process_gone(holder: str) -> bool:
    """True only when a "host:pid:..." holder (a lease's, `radar serve`'s lock's) ran on this
    host and its process no longer exists."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return _zombie(int(pid))


def _zombie(pid: int) -> bool:
    """A process killed but not yet reaped by its parent (kill -9 of a child of a supervisor
    that has not waited for it yet) still answers kill(pid, 0), yet holds nothing any more."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as f:
            return f.read().rpartition(")")[2].split()[:1] == ["Z"]
    except OSError:  # no /proc (not Linux), or the process is gone meanwhile
        return False
