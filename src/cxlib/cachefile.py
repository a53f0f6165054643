"""Cache files: read whole or not at all, written atomically, never through a link.

The one home of how cxlib keeps what it can recompute: the parse and facts caches
(``.cxlib/parsed/``, ``.cxlib/facts/``), the history cache (``.cxlib/history.json``) and the search
index's manifest (in the user's cache folder). A cache is an optimisation, so every failure to
read one means "no cache" and every failure to write one is skipped: none is ever an error.
Plain JSON only (never pickle: reading a cache must not run code).

Writes are atomic (a temporary file renamed into place) but not fsynced: a cache lost to a
power cut only costs a recomputation, and an fsync per shard would cost every run. The users'
own files go through :mod:`cxlib.kb.write`, which does sync.

A top-level module, beside :mod:`cxlib.errors`, because the index (which may not import the
knowledge-base layer) and the knowledge base both use it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE_DIR = ".cxlib"  # where a knowledge base's own caches live, under its root
MAX_BYTES = 256 * 1024 * 1024  # far above any real cache; a larger file is not one of ours


# The first reason a cache could not be used in this run, for the CLI to say once: a cache that
# silently stops working (another user's ``.cxlib/``, left by ``sudo cxlib``) only shows as a
# slow tool, and nobody would know why.
_first_problem: str | None = None


def note_unusable(path: Path, e: OSError) -> None:
    """Remember, for :func:`take_problem`, that ``path`` could not be used (missing is fine)."""
    global _first_problem
    if _first_problem is None and e.errno != errno.ENOENT:
        _first_problem = f"{path}: {e.strerror or e}"


def take_problem() -> str | None:
    """The first reason this run could not read or write a cache, once (then None)."""
    global _first_problem
    problem, _first_problem = _first_problem, None
    return problem


def cache_folder(root: Path) -> Path:
    return root / CACHE_DIR


def read_with_stat(path: Path, limit: int = MAX_BYTES) -> tuple[bytes, os.stat_result] | None:
    """The bytes of a regular file and its status, or None: missing, a link, a FIFO or device
    (never blocks), larger than ``limit``, or unreadable."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        if e.errno != errno.ELOOP:  # a link in place of a cache file is simply not one of ours
            note_unusable(path, e)
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1), st
    except OSError:
        return None
    finally:
        os.close(fd)


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes | None:
    """The bytes of a regular file, or None (see :func:`read_with_stat`)."""
    read = read_with_stat(path, limit)
    return None if read is None else read[0]


def read_json(path: Path, object_hook: Callable[[dict[str, Any]], Any] | None = None) -> Any:
    """The decoded JSON of a cache file, or None when there is none or it is not valid JSON
    (including JSON nested too deep to decode)."""
    raw = read_bytes(path)
    if raw is None:
        return None
    try:
        return json.loads(raw, object_hook=object_hook)
    except (ValueError, RecursionError):
        return None


def make_folder(folder: Path) -> bool:
    """Create a cache folder (mode 0700) if needed; False when it cannot be, or is a link."""
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
    except OSError as e:
        note_unusable(folder, e)
        return False
    return not os.path.islink(folder)


def write_text(path: Path, text: str) -> bool:
    """Replace ``path`` atomically with ``text``; False (and nothing left behind) on failure."""
    import tempfile  # here: a run that writes no cache (the pre-commit hook's) never loads it

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        note_unusable(path.parent, e)
        return False
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
        return True
    except OSError as e:
        note_unusable(path, e)
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def dumps(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """Compact JSON, as every cache file is written."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=default)
