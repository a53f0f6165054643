"""The index's own record of what it holds: a JSON file inside the index folder.

For every indexed document: the file signature (size, mtime, inode), a content digest and when
that digest was taken. A query compares it with a listing of the knowledge base to find new,
changed and deleted files without opening the index. A signature is trusted only when the file was
last modified well before its digest was taken (git's "racy clean" rule); any other file whose
signature differs, or that was too recent, is read and its digest compared, so a change is never
missed and a mere ``touch`` costs no re-indexing.

The first line of the file is a small header: the format stamp, the backend's files and sizes
after the last commit (so a truncated or missing file is noticed before the backend reads it),
and a digest of the whole listing the last update saw. A query whose listing has the same digest,
with every file older than that update, needs nothing more: the per-document entries on the
second line are parsed only when something differs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from cxlib.cachefile import dumps, read_with_stat, write_text
from cxlib.index.errors import IndexDamagedError
from cxlib.listings import listing_digest, signature_columns
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
    @property
    def ctime_ns(self) -> int: ...


class Entry(NamedTuple):
    size: int
    mtime_ns: int
    inode: int
    digest: str
    checked_ns: int  # when the digest was taken (or last confirmed), before reading the file
    ctime_ns: int = 0  # the status-change time: an edit that restores the mtime still moves it

    def same_signature(self, f: FileEntry) -> bool:
        return (self.size, self.mtime_ns, self.inode, self.ctime_ns) == (
            f.size,
            f.mtime_ns,
            f.inode,
            f.ctime_ns,
        )

    def trusted(self, f: FileEntry) -> bool:
        """The file is unchanged on its signature alone."""
        return self.same_signature(f) and f.mtime_ns + RACY_NS < self.checked_ns


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass
class Manifest:
    stamp: str  # format of the index and backend version; any other value means rebuild
    files: dict[str, int] = field(default_factory=dict)  # backend file name -> size
    listing: str = ""  # listing_digest() of the files the last update saw
    newest_ns: int = 0  # the newest modification time among them
    checked_ns: int = 0  # when that update started
    _entries: dict[str, Entry] | None = None
    _raw_entries: bytes = b"{}"
    source: tuple[int, int, int] | None = None  # (inode, size, mtime) of the file it was read from

    @property
    def entries(self) -> dict[str, Entry]:
        """Per-document entries by path (parsed on first use)."""
        if self._entries is None:
            try:
                raw = json.loads(self._raw_entries)
                self._entries = {p: Entry(*v) for p, v in raw.items()}
                if not all(
                    type(p) is str and type(e.digest) is str and type(e.checked_ns) is int
                    for p, e in self._entries.items()
                ):
                    raise TypeError("unexpected values")
            except (ValueError, TypeError, AttributeError) as e:
                raise IndexDamagedError(f"{MANIFEST_NAME} is unreadable: {e}") from None
        return self._entries

    @classmethod
    def load(cls, folder: Path, entries: bool = False) -> Manifest | None:
        """The manifest in ``folder``, or None when it is missing or unreadable (``entries``:
        parse them now, so a damaged second line also gives None)."""
        read = read_with_stat(folder / MANIFEST_NAME)
        if read is None:
            return None
        raw, st = read
        head, _, rest = raw.partition(b"\n")
        try:
            header = json.loads(head)
            manifest = cls(
                stamp=str(header["stamp"]),
                files={str(k): int(v) for k, v in header["files"].items()},
                listing=str(header["listing"]),
                newest_ns=int(header["newest_ns"]),
                checked_ns=int(header["checked_ns"]),
                _raw_entries=rest,
                source=(st.st_ino, st.st_size, st.st_mtime_ns),
            )
            if entries:
                manifest.entries  # noqa: B018 - parse now, inside the try
            return manifest
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None
        except IndexDamagedError:
            return None

    def save(self, folder: Path) -> None:
        """Write atomically (a reader sees the old or the new manifest, never half of one)."""
        header: dict[str, Any] = {
            "stamp": self.stamp,
            "files": self.files,
            "listing": self.listing,
            "newest_ns": self.newest_ns,
            "checked_ns": self.checked_ns,
        }
        # Not synced (see cxlib.cachefile): a manifest lost to a power cut means a rebuild.
        write_text(folder / MANIFEST_NAME, dumps(header) + "\n" + dumps(self.entries))

    def is_current(self, folder: Path) -> bool:
        """The manifest file in ``folder`` is still the one this was read from."""
        try:
            st = (folder / MANIFEST_NAME).stat()
        except OSError:
            return False
        return self.source == (st.st_ino, st.st_size, st.st_mtime_ns)

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
        self.entries[f.path] = Entry(
            f.size, f.mtime_ns, f.inode, digest(raw), checked_ns, f.ctime_ns
        )

    def seal(self, checked_ns: int) -> None:
        """Summarise the entries in the header, for an update that started at ``checked_ns``.

        The digest is of the signatures recorded, so a file the update could not read (its entry
        kept the old signature, or has none) differs from the next listing and is tried again.
        """
        entries = sorted(self.entries.items())
        self.listing = listing_digest(
            [p for p, _ in entries], signature_columns([e for _, e in entries])
        )
        self.newest_ns = max((e.mtime_ns for _, e in entries), default=0)
        self.checked_ns = checked_ns

    def unchanged(self, files: Sequence[FileEntry]) -> bool:
        """The listing is the one the last update ended with, and every file was older than that
        update: nothing can have changed."""
        if self.newest_ns + RACY_NS >= self.checked_ns:
            return False
        # A listing made in another process may come with its digest (cxlib.kb.files.Listing).
        known = getattr(files, "digest", None)
        if known is None:
            known = listing_digest([f.path for f in files], signature_columns(files))
        return bool(known == self.listing)


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


def compare(files: Sequence[FileEntry], manifest: Manifest, read: Reader) -> Changes:
    """New, changed (by content digest), touched and deleted documents since ``manifest``.

    A file that cannot be read counts as changed; the update then records it as it can.
    """
    out = Changes()
    if manifest.unchanged(files):
        return out
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
