"""Worker processes that die with the command that forked them.

A worker blocked on its job queue does not notice that its parent was killed: it would wait
for work for good, holding whatever the parent had open. So while a command forks its workers
(inside :func:`die_with_parent`), each child asks the kernel, right after the fork, to kill it
when its parent dies (``PR_SET_PDEATHSIG`` on Linux; elsewhere nothing is asked). The locks the
parent holds are never inherited at all (see :mod:`cxlib.oslock`).

A top-level module, beside :mod:`cxlib.oslock`, because both the parse pool of the knowledge
base and the search index's writer fork workers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import BinaryIO

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>

# While a scope is open: the system call that ties a child to its parent (looked up before the
# fork, so the child only makes the call). None outside a scope, and where there is no such call.
_tie: Callable[[], int] | None = None
_scopes = 0
_forking_pid = 0


def _linux_tie() -> Callable[[], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal  # here, as ctypes: a run that forks no worker never loads them

    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    args = [ctypes.c_ulong(v) for v in (signal.SIGKILL, 0, 0, 0)]
    return lambda: int(prctl(ctypes.c_int(PR_SET_PDEATHSIG), *args))


def _before_fork() -> None:
    global _forking_pid
    _forking_pid = os.getpid()


def _after_fork_in_child() -> None:
    global _tie, _scopes
    tie, parent = _tie, _forking_pid
    # The child forks no workers of its own from the parent's scope.
    _tie, _scopes = None, 0
    if tie is None:
        return
    tie()
    if os.getppid() != parent:
        # The parent died between the fork and the call: the kernel will never send the signal.
        os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)


@contextmanager
def die_with_parent() -> Iterator[None]:
    """While inside, every process forked from this one is killed when this one dies."""
    global _tie, _scopes
    if _scopes == 0:
        _tie = _linux_tie()
    _scopes += 1
    try:
        yield
    finally:
        _scopes -= 1
        if _scopes == 0:
            _tie = None


def fork_workers(items: int, minimum: int) -> int:
    """How many forked workers ``items`` pieces of work are worth: none under ``minimum``
    items, with one CPU, or where processes cannot be forked (only Linux's fork is used: the
    workers start with every module imported); else one per CPU, at most 8."""
    import multiprocessing  # here: start-up never pays for it

    workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 8)
    if (
        items < minimum
        or workers < 2
        or sys.platform != "linux"
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return 0
    return workers


class Child:
    """``work`` run in a forked child while this process goes on, on the other CPU.

    :meth:`result` waits for the bytes ``work`` returned; it answers None when there is no
    child: not on Linux, or this process has other threads (forking copies only the calling
    one), or the fork failed, or the child failed or was killed. The caller then does the work
    itself, so the answer never depends on the child. :meth:`close` ends a child whose answer
    was not read, and reaps it; a child must be closed.
    """

    def __init__(self, work: Callable[[], bytes]) -> None:
        import threading  # here: start-up never pays for it

        self.pid: int | None = None
        self._inbox: BinaryIO | None = None
        self._exit_code: int | None = None
        if sys.platform != "linux" or threading.active_count() > 1:
            return
        try:
            readable, writable = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(readable)
            os.close(writable)
            return
        if pid == 0:  # the child: never returns to the caller's code
            code = 1
            try:
                os.close(readable)
                with open(writable, "wb") as out:
                    out.write(work())
                code = 0
            finally:
                os._exit(code)
        os.close(writable)
        self.pid = pid
        self._inbox = open(readable, "rb")  # noqa: SIM115 - closed by close(), read or not

    def result(self) -> bytes | None:
        if self._inbox is None:
            return None
        try:
            data = self._inbox.read()
        finally:
            self._inbox.close()
        return data if self._reap() == 0 else None

    def close(self) -> None:
        if self._inbox is not None and not self._inbox.closed:
            self._inbox.close()
            if self.pid is not None and self._exit_code is None:
                # Its answer is not wanted: a child still at work would be waited for.
                import signal

                with suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> int:
        if self.pid is None:
            return -1
        if self._exit_code is None:
            try:
                self._exit_code = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored): its answer is lost
                self._exit_code = -1
        return self._exit_code
