"""One radar serve per database: the lock refuses a second one, and recovers from a crash."""
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from radar.models import ServiceLock
from radar.service.lock import LockHeld, acquire, heartbeat, holder_info, release


def test_second_holder_is_refused_with_the_reason(engine: Engine) -> None:
    first = acquire(engine)
    with pytest.raises(LockHeld,
                       match=rf"already running on this database \(pid {os.getpid()} on {socket.gethostname()}"):
        acquire(engine)
    assert heartbeat(first)
    release(first)
    second = acquire(engine)  # free again
    info = holder_info(engine)
    assert info is not None and info["holder"] == second.holder


def test_stale_heartbeat_is_taken_over_and_the_old_holder_learns_it(engine: Engine) -> None:
    old = acquire(engine, now=datetime.now(UTC) - timedelta(minutes=10))
    new = acquire(engine)
    assert new.holder != old.holder
    assert not heartbeat(old)  # the old process must stop
    release(old)  # and cannot release what it no longer holds
    info = holder_info(engine)
    assert info is not None and info["holder"] == new.holder


def test_lock_of_a_dead_process_on_this_host_is_taken_at_once(engine: Engine) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with Session(engine) as s:
        s.add(ServiceLock(name="serve", holder=f"{socket.gethostname()}:{dead.pid}:x", pid=dead.pid,
                          heartbeat_at=datetime.now(UTC)))
        s.commit()
    assert acquire(engine).holder.endswith(tuple("0123456789abcdef"))


def test_live_holder_on_another_host_is_respected(engine: Engine) -> None:
    with Session(engine) as s:
        s.add(ServiceLock(name="serve", holder="elsewhere:1:x", pid=1, heartbeat_at=datetime.now(UTC)))
        s.commit()
    with pytest.raises(LockHeld, match="pid 1 on elsewhere"):
        acquire(engine)
