"""The index's own record of what it holds: a JSON file inside the index folder.

For every indexed document: the file signature (size, mtime, inode), a content digest and when
that digest was taken. A query compares it with a listing of the knowledge base to find new,
changed and deleted files without opening the index. A signature is trusted only when the file was
last modified well before its digest was taken (git's "racy clean" rule); any other file whose
signature differs, or that was too recent, is read and its digest compared, so a change is never
missed and a mere ``touch`` costs no re-indexing. The manifest also records the backend's files
and sizes after the last commit, so a damaged index (a truncated or missing file) is noticed
before the backend reads it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cxlib.model.kinds import Kind

MANIFEST_NAME = "cxlib-manifest.json"
RACY_NS = 2_000_000_000


class FileEntry(Protocol):
    """A document file as listed by the knowledge base (``cxlib.kb.files.DocFile`` fits)."""

    @property
    def path(self) -> str: ...
    @property
    def kind(self) -> Kind: ...
    @property
    def size(self) -> int: ...
    @property
    def mtime_ns(self) -> int: ...
    @property
    def inode(self) -> int: ...


@dataclass
class Entry:
    size: int
    mtime_ns: int
    inode: int
    digest: str
    checked_ns: int  # when the digest was taken (or last confirmed), before reading the file

    def same_signature(self, f: FileEntry) -> bool:
        return (self.size, self.mtime_ns, self.inode) == (f.size, f.mtime_ns, f.inode)

    def trusted(self, f: FileEntry) -> bool:
        """The file is unchanged on its signature alone."""
        return self.same_signature(f) and f.mtime_ns + RACY_NS < self.checked_ns


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass
class Manifest:
    stamp: str  # format of the index and backend version; any other value means rebuild
    files: dict[str, int] = field(default_factory=dict)  # backend file name -> size
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Manifest | None:
        """The manifest in ``folder``, or None when it is missing or unreadable."""
        try:
            raw = json.loads((folder / MANIFEST_NAME).read_bytes())
            return cls(
                stamp=str(raw["stamp"]),
                files={str(k): int(v) for k, v in raw["files"].items()},
                entries={
                    p: Entry(int(a), int(b), int(c), str(d), int(e))
                    for p, (a, b, c, d, e) in raw["entries"].items()
                },
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def save(self, folder: Path) -> None:
        """Write atomically (a reader sees the old or the new manifest, never half of one)."""
        payload = {
            "stamp": self.stamp,
            "files": self.files,
            "entries": {
                p: [e.size, e.mtime_ns, e.inode, e.digest, e.checked_ns]
                for p, e in sorted(self.entries.items())
            },
        }
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".manifest.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(payload, fh, separators=(",", ":"))
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, folder / MANIFEST_NAME)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    def damage(self, folder: Path) -> str | None:
        """Why the backend files in ``folder`` differ from those recorded, or None."""
        for name, size in self.files.items():
            try:
                actual = (folder / name).stat().st_size
            except OSError:
                return f"{name} is missing"
            if actual != size:
                return f"{name} changed size ({size} -> {actual} bytes)"
        return None

    def record(self, f: FileEntry, raw: bytes, checked_ns: int) -> None:
        self.entries[f.path] = Entry(f.size, f.mtime_ns, f.inode, digest(raw), checked_ns)


@dataclass
class Changes:
    """How the knowledge base differs from the index."""

    added: list[FileEntry] = field(default_factory=list)
    changed: list[FileEntry] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    touched: list[FileEntry] = field(default_factory=list)  # new signature, same content
    contents: dict[str, bytes] = field(default_factory=dict)  # files read while comparing

    @property
    def needs_index(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    @property
    def needs_manifest(self) -> bool:
        return self.needs_index or bool(self.touched)


Reader = Callable[[str], bytes]


def compare(files: Iterable[FileEntry], manifest: Manifest, read: Reader) -> Changes:
    """New, changed (by content digest), touched and deleted documents since ``manifest``.

    A file that cannot be read counts as changed; the update then records it as it can.
    """
    out = Changes()
    seen: set[str] = set()
    for f in files:
        seen.add(f.path)
        entry = manifest.entries.get(f.path)
        if entry is None:
            out.added.append(f)
            continue
        if entry.trusted(f):
            continue
        try:
            raw = read(f.path)
        except OSError:
            out.changed.append(f)
            continue
        out.contents[f.path] = raw
        if digest(raw) == entry.digest:
            out.touched.append(f)
        else:
            out.changed.append(f)
    out.removed = sorted(p for p in manifest.entries if p not in seen)
    return out
