"""One writer at a time: an OS file lock beside the index folder, waited for with a deadline.

The lock is ours rather than the backend's because an update may replace the whole index folder
(a rebuild is built aside and swapped in), and a lock file inside that folder would be swapped
with it. The OS releases the lock when its process dies, so a crash never leaves it stale.
Readers never take it: they read a committed state and retry once if it moves under them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cxlib.index.errors import IndexBusyError
from cxlib.oslock import exclusive


@contextmanager
def writer_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold the lock at ``path``; wait at most ``timeout`` seconds, then raise IndexBusyError."""

    def busy() -> IndexBusyError:
        return IndexBusyError(
            f"the search index is busy: another cxlib process has been updating it for "
            f"more than {timeout:g} s",
            hint="try again in a moment (or raise --timeout)",
        )

    with exclusive(path, timeout, busy):
        yield
