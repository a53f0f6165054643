"""A command killed while its workers run takes them along, and they never hold its lock.

The search index of a base of 2,000 documents or more is built by several forked processes
(``INDEX_WORKERS_FROM``); ``kill -9`` of the parent must neither leave them running nor leave the
index locked for the next ``cxlib index``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import ROOT

from cxlib.kb.tuning import INDEX_WORKERS_FROM

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
    reason="forked index workers: Linux with two or more CPUs",
)


def _generate(out: Path, docs: int) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "corpus.py"), str(out), "--docs", str(docs)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    """Running, or stopped; not gone and not a zombie (a zombie holds no file)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def _cxlib(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cxlib", "-C", str(root), *args]


def test_kill_9_of_a_rebuild_leaves_no_worker_and_no_lock(tmp_path: Path) -> None:
    base = tmp_path / "base"
    _generate(base, INDEX_WORKERS_FROM)
    build = subprocess.Popen(
        _cxlib(base, "index", "--rebuild"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
            workers |= _children(build.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the rebuild never started its workers"
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [w for w in workers if _alive(w)], "workers outlived their parent"
        # A smaller base, so the next build is quick; it must still take the lock to build.
        for folder in ("insights", "opportunities", "experiments"):
            for doc in sorted((base / folder).glob("*.md"))[5:]:
                doc.unlink()
        again = subprocess.run(
            _cxlib(base, "index", "--timeout", "5"),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert again.returncode == 0, again.stderr
        assert "documents" in again.stdout
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
        for w in workers:  # survivors of a failed test, started by it
            with contextlib.suppress(OSError):
                os.kill(w, signal.SIGKILL)


HOLD_AND_FORK = """
import os, signal, sys, time
from pathlib import Path
from cxlib.oslock import exclusive

# The child says when it runs (its fork hooks have run by then): the parent goes on only after,
# so the test never looks at the lock while the child is still being set up.
started, ready = os.pipe()
with exclusive(Path(sys.argv[1]), 1, RuntimeError):
    child = os.fork()
    if child == 0:
        os.write(ready, b"1")
        if sys.argv[2] == "outlive":
            time.sleep(60)
            os._exit(0)
    else:
        os.read(started, 1)
        print(child, flush=True)
        if sys.argv[2] == "outlive":
            os.kill(os.getpid(), signal.SIGKILL)
        os.waitpid(child, 0)
        print("parent still locked", flush=True)
        time.sleep(60)
os._exit(0)
"""


def _holder(lock: Path, mode: str) -> subprocess.Popen[str]:
    """A process that holds ``lock`` and forks a child that outlives it or leaves first."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_FORK, str(lock), mode], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    return holder


def test_a_forked_child_never_holds_its_parents_lock(tmp_path: Path) -> None:
    from cxlib.oslock import is_locked

    lock = tmp_path / "held.lock"
    holder = _holder(lock, "outlive")
    assert holder.stdout is not None
    child = int(holder.stdout.readline())
    holder.wait()
    holder.stdout.close()
    try:
        assert _alive(child)
        assert not is_locked(lock), "the lock lives on in the child"
    finally:
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)


def test_a_forked_child_leaving_the_lock_never_releases_the_parents(tmp_path: Path) -> None:
    from cxlib.oslock import is_locked

    lock = tmp_path / "held.lock"
    holder = _holder(lock, "leave")
    assert holder.stdout is not None
    try:
        holder.stdout.readline()
        assert holder.stdout.readline() == "parent still locked\n"
        assert is_locked(lock)
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
