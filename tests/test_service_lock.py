"""One radar serve per database: the lock refuses a second one, and recovers from a crash."""
import os
import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import Session

from radar.models import ServiceLock
from radar.service.lock import LockHeld, acquire, heartbeat, holder_info, release


def test_second_holder_is_refused_with_the_reason(engine) -> None:  # type: ignore[no-untyped-def]
    first = acquire(engine)
    with pytest.raises(LockHeld, match=rf"already running on this database \(pid {os.getpid()} on {socket.gethostname()}"):
        acquire(engine)
    assert heartbeat(first)
    release(first)
    second = acquire(engine)  # free again
    assert holder_info(engine)["holder"] == second.holder  # type: ignore[index]


def test_stale_heartbeat_is_taken_over_and_the_old_holder_learns_it(engine) -> None:  # type: ignore[no-untyped-def]
    old = acquire(engine, now=datetime.now(timezone.utc) - timedelta(minutes=10))
    new = acquire(engine)
    assert new.holder != old.holder
    assert not heartbeat(old)  # the old process must stop
    release(old)  # and cannot release what it no longer holds
    assert holder_info(engine)["holder"] == new.holder  # type: ignore[index]


def test_lock_of_a_dead_process_on_this_host_is_taken_at_once(engine) -> None:  # type: ignore[no-untyped-def]
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with Session(engine) as s:
        s.add(ServiceLock(name="serve", holder=f"{socket.gethostname()}:{dead.pid}:x", pid=dead.pid,
                          heartbeat_at=datetime.now(timezone.utc)))
        s.commit()
    assert acquire(engine).holder.endswith(tuple("0123456789abcdef"))


def test_live_holder_on_another_host_is_respected(engine) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as s:
        s.add(ServiceLock(name="serve", holder="elsewhere:1:x", pid=1, heartbeat_at=datetime.now(timezone.utc)))
        s.commit()
    with pytest.raises(LockHeld, match="pid 1 on elsewhere"):
        acquire(engine)
