"""The real CLI in a process of its own, under a limit the operating system enforces: a file size
the kernel will not write past (as a full disk refuses a write), or root without the
capabilities that let it read and write what its permissions forbid."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

PR_CAPBSET_DROP = 24  # <linux/prctl.h>
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2  # <linux/capability.h>


def _as_its_owner_cannot() -> None:  # pragma: no cover - runs in the child, before exec
    """Root reads any folder; without these two capabilities, permissions hold for it too."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


def _run(root: Path, args: tuple[str, ...], before: Callable[[], None]) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "cxlib", "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=before,
        cwd=root,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def restricted(root: Path, *args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of the CLI in a process that cannot read or write what its
    user may not."""
    return _run(root, args, _as_its_owner_cannot)


def limited(root: Path, *args: str, max_bytes: int) -> tuple[int, str, str]:
    """The CLI with the kernel refusing to write past ``max_bytes`` in any file (EFBIG): a real
    write failure, as a full disk gives one."""

    def limit() -> None:  # pragma: no cover - runs in the child
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return _run(root, args, limit)


def permissions_hold(tmp_path: Path) -> bool:
    """Whether a restricted process is stopped by a folder's permissions on this machine."""
    closed = tmp_path / "closed-probe"
    closed.mkdir()
    closed.chmod(0)
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import os, sys; os.listdir(sys.argv[1])", str(closed)],
            capture_output=True,
            preexec_fn=_as_its_owner_cannot,
            check=False,
        )
    finally:
        closed.chmod(0o700)
    return probe.returncode != 0
