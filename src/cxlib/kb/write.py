"""Writing files without ever losing the user's text: atomic, exclusive where asked."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from cxlib.errors import WriteRefusedError


def _temp_beside(target: Path, data: bytes) -> str:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def create_exclusive(target: Path, data: bytes) -> None:
    """Create ``target`` with ``data`` atomically; refuse if anything already exists there.

    The content is written to a temporary file first and hard-linked into place, so the target
    either does not exist or is complete, and an existing file is never replaced.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temp_beside(target, data)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        os.link(tmp, target)
    except FileExistsError:
        raise WriteRefusedError(f"{target.name} already exists; not overwriting it") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
