"""A set of planned file changes: shown as a diff, or applied with every safety check.

Commands that edit files first compute all their changes in memory (each one already verified by
re-parsing), so a refusal anywhere means nothing was written anywhere.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from cxlib.kb.write import check_unchanged, move_file, replace_file, writable_mode


@dataclass(frozen=True)
class FileChange:
    path: str  # repository-relative POSIX path of the file as read
    before: bytes
    after: bytes
    new_path: str | None = None  # set when the file is also renamed

    @property
    def changed(self) -> bool:
        return self.before != self.after or (self.new_path not in (None, self.path))


def diff(changes: list[FileChange]) -> str:
    """A unified diff of the changes (for ``--dry-run``)."""
    out: list[str] = []
    for c in changes:
        if not c.changed:
            continue
        a = c.before.decode("utf-8", "replace").splitlines(keepends=True)
        b = c.after.decode("utf-8", "replace").splitlines(keepends=True)
        out.extend(
            difflib.unified_diff(a, b, fromfile=f"a/{c.path}", tofile=f"b/{c.new_path or c.path}")
        )
        if c.new_path and c.new_path != c.path and a == b:
            out.append(f"rename {c.path} -> {c.new_path}\n")
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


def apply(root: Path, changes: list[FileChange]) -> None:
    """Write each change atomically; each refuses if its file changed since it was read or is
    read-only. All files are checked before the first is written, so a concurrent edit anywhere
    stops the whole set (short of one landing in the moment between that check and a file's own
    write)."""
    for c in changes:
        if c.changed:
            check_unchanged(root / c.path, c.before)
            writable_mode(root / c.path)
    for c in changes:
        if not c.changed:
            continue
        if c.new_path and c.new_path != c.path:
            move_file(root / c.path, root / c.new_path, c.after, c.before)
        else:
            replace_file(root / c.path, c.after, c.before)
