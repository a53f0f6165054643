"""Writing files without ever losing the user's text: atomic, exclusive where asked."""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from cxlib.errors import WriteFailedError, WriteRefusedError

# A seam for the interruption tests: called at each step of a write with the step's name and the
# file it concerns: "temporary" (the new bytes are in a fsynced temporary file, not yet in
# place), "replaced" or "linked" (they are in place), "removed" (a file is gone). A test process
# kills or interrupts itself there to stop a write at an exact, repeatable point.
AT_STEP: Callable[[str, Path], None] | None = None


def _step(name: str, target: Path) -> None:
    if AT_STEP is not None:
        AT_STEP(name, target)


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


def real_folder(root: Path, rel: str) -> Path:
    """The folder ``rel`` (POSIX, relative) under ``root``, made where missing. Refused when a
    part of it is a link or not a folder: a link would take the write out of the base, to
    wherever it points."""
    path = root
    for i, part in enumerate(PurePosixPath(rel).parts, start=1):
        path = path / part
        shown = "/".join(PurePosixPath(rel).parts[:i])
        try:
            os.mkdir(path)
            continue
        except FileExistsError:
            pass
        except OSError as e:
            raise WriteFailedError(f"{shown}/", str(e.strerror or e)) from None
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            raise WriteRefusedError(
                f"{shown} is a symbolic link; cxlib never writes through a link in the "
                "knowledge base",
                hint=f"replace the link with a real folder holding the files: {shown}/",
            )
        if not stat.S_ISDIR(mode):
            raise WriteRefusedError(f"{shown} is not a folder; not writing")
    return path


def create_exclusive(target: Path, data: bytes) -> None:
    """Create ``target`` with ``data`` atomically; refuse if anything already exists there.

    The content is written to a temporary file first and hard-linked into place, so the target
    either does not exist or is complete, and an existing file is never replaced.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise _cannot_write(target, e) from None
    tmp = _written(target, data)
    try:
        _step("temporary", target)
        os.chmod(tmp, 0o666 & ~_umask())
        os.link(tmp, target)
        _step("linked", target)
    except FileExistsError:
        raise WriteRefusedError(f"{target.name} already exists; not overwriting it") from None
    except OSError as e:
        raise _cannot_write(target, e) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# A seam for tests of a crash or a concurrent edit at the worst moment: called with the target
# after the new content is safely in the temporary file and before the on-disk check and rename.
BEFORE_REPLACE: Callable[[Path], None] | None = None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_nofollow(target: Path) -> bytes:
    fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as fh:
        return fh.read()


def check_unchanged(target: Path, expected: bytes) -> None:
    """Refuse when ``target`` no longer holds ``expected`` (compared by SHA-256)."""
    try:
        current = _read_nofollow(target)
    except OSError as e:
        raise WriteRefusedError(
            f"{target.name} cannot be read again before writing ({e.strerror}); not writing"
        ) from None
    if _digest(current) != _digest(expected):
        raise WriteRefusedError(
            f"{target.name} changed on disk since it was read (another editor?); not writing",
            hint="run the command again on the current file",
        )


def _cannot_write(target: Path, e: OSError) -> WriteFailedError:
    return WriteFailedError(target.name, str(e.strerror or e))


def _written(target: Path, data: bytes) -> str:
    try:
        return _temp_beside(target, data)
    except OSError as e:
        raise _cannot_write(target, e) from None


def _regular_mode(target: Path) -> int:
    st = os.lstat(target)
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefusedError(f"{target.name} is not a regular file (a symlink?); not writing")
    return stat.S_IMODE(st.st_mode)


def writable_mode(target: Path) -> int:
    """The permissions of the regular file ``target``, which may be replaced. A file without
    its owner's write permission is refused, as git and editors refuse it: someone made it
    read-only on purpose, and replacing it by a rename would not even need that permission."""
    mode = _regular_mode(target)
    if not mode & stat.S_IWUSR:
        raise WriteRefusedError(
            f"{target.name} is read-only (its owner may not write it); not writing",
            hint=f"if it should change, make it writable first: chmod u+w {target}",
        )
    return mode


def _fsync_folder(folder: Path) -> None:
    # The rename itself must survive a power cut, not only the file's content.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _install(target: Path, data: bytes, mode: int, check: Callable[[], None] | None) -> None:
    """Put ``data`` in place of ``target`` through a fsynced temporary file in the same folder,
    after ``check`` (which may refuse); the temporary never stays."""
    tmp = _written(target, data)
    try:
        _step("temporary", target)
        os.chmod(tmp, mode)
        if check is not None:
            check()
        os.replace(tmp, target)
        _fsync_folder(target.parent)
        _step("replaced", target)
    except OSError as e:
        raise _cannot_write(target, e) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``target`` (new, or replaced whole) atomically with the default permissions."""
    _install(target, data, 0o666 & ~_umask(), None)


def replace_file(target: Path, data: bytes, expected: bytes) -> None:
    """Replace ``target`` with ``data`` atomically, only if it still holds ``expected``.

    The new bytes go to a temporary file in the same folder (fsynced, with the original's
    permissions) that is renamed over the target; the target is either the old file or the new
    one, never a mix. If the file changed since it was read, nothing is written. The temporary
    file is removed whatever happens.
    """

    def still_as_read() -> None:
        if BEFORE_REPLACE is not None:
            BEFORE_REPLACE(target)
        check_unchanged(target, expected)

    _install(target, data, writable_mode(target), still_as_read)


def move_file(source: Path, target: Path, data: bytes, expected: bytes) -> None:
    """Write ``data`` as ``target`` (which must not exist) and remove ``source``, only if
    ``source`` still holds ``expected``. The new file exists completely before the old one is
    removed, so a crash in between leaves both, never neither."""
    mode = writable_mode(source)
    check_unchanged(source, expected)
    tmp = _written(target, data)
    try:
        _step("temporary", target)
        os.chmod(tmp, mode)
        if BEFORE_REPLACE is not None:
            BEFORE_REPLACE(source)
        check_unchanged(source, expected)
        try:
            os.link(tmp, target)
        except FileExistsError:
            raise WriteRefusedError(f"{target.name} already exists; not overwriting it") from None
        _fsync_folder(target.parent)
        _step("linked", target)
        os.unlink(source)
        _fsync_folder(source.parent)
        _step("removed", source)
    except OSError as e:
        raise _cannot_write(target, e) from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def remove_file(target: Path, expected: bytes | None = None) -> None:
    """Remove ``target`` (only if it still holds ``expected``, when given); the removal is
    fsynced like a write."""
    if expected is not None:
        _regular_mode(target)
        check_unchanged(target, expected)
    try:
        os.unlink(target)
    except FileNotFoundError:
        return
    except OSError as e:
        raise WriteFailedError(target.name, str(e.strerror or e)) from None
    _fsync_folder(target.parent)
    _step("removed", target)
