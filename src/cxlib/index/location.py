"""Where a knowledge base's search index lives: in the user's cache folder, never in the base.

whoosh unpickles its index files, so opening an index runs whatever they say. A folder inside
the working tree proves nothing about who wrote it: a base arrives as a tarball, a zip or with a
submodule as often as a clone, and none of the checks a working tree allows (not tracked, owned
by this user, mode 0700) tell cxlib's own index from a planted one. A folder in the user's cache,
named after the base's real path, is one only this user's cxlib writes.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

APP = "cxlib"
INDEXES = "index"


def user_cache_home(env: Mapping[str, str] | None = None) -> Path:
    """The user's cache folder: ``$XDG_CACHE_HOME`` when it is an absolute path, else the
    platform's own (``~/.cache``, ``~/Library/Caches``, ``%LOCALAPPDATA%``)."""
    env = os.environ if env is None else env
    xdg = env.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is invalid and ignored
        return Path(xdg)
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        local = env.get("LOCALAPPDATA", "")
        if local:
            return Path(local)
    if sys.platform == "darwin":  # pragma: no cover - exercised on macOS only
        return Path.home() / "Library" / "Caches"
    return Path.home() / ".cache"


def index_home(root: Path, env: Mapping[str, str] | None = None) -> Path:
    """The folder holding ``root``'s index, its lock and its build folders.

    Named ``<folder name>-<digest of the real path>``: readable in a listing, and distinct for
    every base, including two checkouts of one repository.
    """
    real = os.path.realpath(root)
    digest = hashlib.blake2b(real.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", os.path.basename(real))[:40].strip(".-") or "base"
    return user_cache_home(env) / APP / INDEXES / f"{name}-{digest}"


def make_private(folder: Path, levels: int = 3) -> None:
    """Create ``folder`` and its ``levels - 1`` nearest parents with mode 0700 (the cache home
    above them with the default mode), so no other user can list or plant anything there."""
    chain = [folder]
    while len(chain) < levels:
        chain.append(chain[-1].parent)
    chain[-1].parent.mkdir(parents=True, exist_ok=True)
    for path in reversed(chain):
        path.mkdir(mode=0o700, exist_ok=True)
