"""Ids are reserved one command at a time: the lock ``new`` holds from choosing the next free id
to creating the file that takes it, and ``renumber`` from choosing its id to its last write.

The reservation covers the choice, not a file name: two processes that both see EXP-0005 free
create ``EXP-0005-a.md`` and ``EXP-0005-b.md``, two names that no exclusive create can refuse.
So the choice and the create are made under one lock per knowledge base, in its git-ignored
``.cxlib/`` folder. It is an OS lock: it dies with its process, so a killed ``cxlib`` never
leaves it held, and a waiter gives up after a deadline rather than hang.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from cxlib.cachefile import CACHE_DIR, cache_folder, make_folder
from cxlib.errors import WriteRefusedError
from cxlib.oslock import exclusive, is_locked

LOCK_NAME = "ids.lock"
TIMEOUT_SECONDS = 60.0  # far above a renumber of thousands of files


def lock_path(root: Path) -> Path:
    return cache_folder(root) / LOCK_NAME


@contextmanager
def ids_reserved(root: Path, timeout: float = TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the knowledge base's id lock, waiting at most ``timeout`` seconds for it."""
    if not make_folder(cache_folder(root)):
        raise WriteRefusedError(
            f"cannot use {CACHE_DIR}/ in {root} to reserve an id (not writable, or a link)",
            hint=f"make {CACHE_DIR}/ a writable folder (it is cxlib's git-ignored cache)",
        )

    def busy() -> WriteRefusedError:
        return WriteRefusedError(
            f"another cxlib has been creating or renumbering a document here for more than "
            f"{timeout:g} s; not writing",
            hint="try again when it has finished",
        )

    with ExitStack() as held:
        try:
            held.enter_context(exclusive(lock_path(root), timeout, busy))
        except OSError as e:
            raise WriteRefusedError(
                f"cannot lock {CACHE_DIR}/{LOCK_NAME} to reserve an id: {e.strerror or e}",
                hint=f"make {CACHE_DIR}/ (cxlib's git-ignored cache) a folder your user can "
                f'write, e.g. sudo chown -R "$USER" {CACHE_DIR}',
            ) from None
        yield


def ids_busy(root: Path) -> bool:
    """Whether another process holds the id lock now."""
    return is_locked(lock_path(root))
