"""Writing a file cxlib generates (a report): atomically, and replacing only an earlier one."""

from __future__ import annotations

from pathlib import Path

from cxlib.errors import WriteRefusedError
from cxlib.kb.write import write_atomic

_SNIFF = 4096


def write_generated(target: Path, data: bytes, marker: bytes) -> None:
    """Write ``data`` to ``target`` atomically (temporary file, then rename).

    An existing file is replaced only when its first bytes contain ``marker`` (it is an earlier
    output of the same kind), so a mistyped ``-o`` never destroys a user's document.
    """
    if target.is_symlink():
        raise WriteRefusedError(f"{target} is a symlink; not writing through it")
    if target.is_dir():
        raise WriteRefusedError(f"{target} is a folder", hint="give a file name, e.g. report.html")
    if target.exists():
        try:
            with target.open("rb") as fh:
                head = fh.read(_SNIFF)
        except OSError as e:
            raise WriteRefusedError(f"cannot read {target}: {e.strerror}") from None
        if marker not in head:
            raise WriteRefusedError(
                f"{target} exists and is not a report cxlib wrote; not overwriting it",
                hint="choose another file name, or move that file away",
            )
    if not target.parent.is_dir():
        raise WriteRefusedError(f"folder {target.parent} does not exist")
    write_atomic(target, data)
