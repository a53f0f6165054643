"""Writing an import: all or nothing.

Every new document is first written to a temporary file beside its place; only when all are
written are they linked into place, each refusing a name that exists. A failure at any step
removes what this import placed, and the temporary files, so the base is as it was. The updates
of existing documents are checked (unchanged since read, writable) before the first new file,
then written atomically one by one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from cxlib.errors import WriteFailedError, WriteRefusedError
from cxlib.kb.changes import FileChange, apply
from cxlib.kb.write import check_unchanged, real_folder, writable_mode

# A seam for a test of a failure midway: called with each target before it is linked.
BEFORE_LINK = None


def write_all(root: Path, creates: list[tuple[str, bytes]], updates: list[FileChange]) -> None:
    """Create the files ``creates`` (root-relative path, bytes) and apply ``updates``."""
    for c in updates:
        check_unchanged(root / c.path, c.before)
        writable_mode(root / c.path)
    temps: list[tuple[str, Path]] = []
    placed: list[Path] = []
    mode = 0o666 & ~_umask()
    try:
        folders: dict[str, Path] = {}
        for rel, data in creates:
            folder_rel, _, name = rel.rpartition("/")
            if folder_rel not in folders:
                folders[folder_rel] = real_folder(root, folder_rel)
            temps.append(
                (_temporary(folders[folder_rel], name, data, mode), folders[folder_rel] / name)
            )
        for tmp, target in temps:
            if BEFORE_LINK is not None:
                BEFORE_LINK(target)
            try:
                os.link(tmp, target)
            except FileExistsError:
                raise WriteRefusedError(
                    f"{target.relative_to(root).as_posix()} already exists; nothing was written"
                ) from None
            placed.append(target)
    except OSError as e:
        _undo(placed)
        raise WriteFailedError(str(e.filename or root), str(e.strerror or e)) from None
    except BaseException:
        _undo(placed)
        raise
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    apply(root, updates)


def _temporary(folder: Path, name: str, data: bytes, mode: int) -> str:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _undo(placed: list[Path]) -> None:
    for target in placed:
        with contextlib.suppress(OSError):
            os.unlink(target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
