"""One writer at a time: an OS file lock beside the index folder, waited for with a deadline.

The lock is ours rather than the backend's because an update may replace the whole index folder
(a rebuild is built aside and swapped in), and a lock file inside that folder would be swapped
with it. The OS releases the lock when its process dies, so a crash never leaves it stale.
Readers never take it: they read a committed state and retry once if it moves under them.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cxlib.index.errors import IndexBusyError

POLL_SECONDS = 0.05


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
def writer_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock at ``path``; wait at most ``timeout`` seconds, then raise IndexBusyError."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise IndexBusyError(
                    f"the search index is busy: another cxlib process has been updating it for "
                    f"more than {timeout:g} s",
                    hint="try again in a moment (or raise --timeout)",
                )
            time.sleep(POLL_SECONDS)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)
