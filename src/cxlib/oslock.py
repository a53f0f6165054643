"""Exclusive OS file locks, waited for with a deadline.

The operating system releases such a lock when its process dies, however it dies, so a crash or
a ``kill -9`` never leaves one stale and no waiter ever blocks for good. A top-level module,
beside :mod:`cxlib.cachefile`, because the search index and the knowledge base both lock.

An ``flock`` belongs to the open file, which a forked child shares: the lock would live on in
any worker that outlives its parent. So a forked child closes its copies of the locks held here
at once (its parent keeps them), and never unlocks them: unlocking a shared file would release
the parent's lock too.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

# A waiter looks again after 5 ms, then less and less often, up to every 50 ms: a lock held for
# a moment (an id being taken) changes hands at once, a long one costs little to watch.
FIRST_POLL_SECONDS = 0.005
POLL_SECONDS = 0.05

# The descriptors of the locks this process holds; a forked child starts with them closed.
_HELD: set[int] = set()


def _close_inherited() -> None:
    for fd in _HELD:
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def exclusive(path: Path, timeout: float, busy: Callable[[], Exception]) -> Iterator[None]:
    """Hold the lock at ``path`` (created if needed, never through a link); wait at most
    ``timeout`` seconds, then raise ``busy()``."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    _HELD.add(fd)
    try:
        deadline = time.monotonic() + timeout
        pause = FIRST_POLL_SECONDS
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise busy()
            time.sleep(pause)
            pause = min(pause * 2, POLL_SECONDS)
        try:
            yield
        finally:
            # A forked child that unwinds to here has closed its copy already (and the number
            # may name another file by now): only the process that took the lock releases it.
            if fd in _HELD:
                _unlock(fd)
    finally:
        if fd in _HELD:
            _HELD.discard(fd)
            os.close(fd)


def is_locked(path: Path) -> bool:
    """Whether another holder has the lock at ``path`` now (a missing file is no lock)."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        if not _try_lock(fd):
            return True
        _unlock(fd)
        return False
    finally:
        os.close(fd)
