"""Listing the document files of a knowledge base: an lstat walk that never follows a symlink.

A walk (rather than ``git ls-files``) sees new, not-yet-added documents too, needs no git, and
under pre-commit sees exactly the staged tree (pre-commit stashes unstaged changes first).
"""

from __future__ import annotations

import atexit
import marshal
import os
import stat
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypeVar, overload

from cxlib.listings import listing_digest
from cxlib.model.config import ProgramConfig
from cxlib.model.kinds import Kind
from cxlib.workers import Child

if TYPE_CHECKING:
    from cxlib.model.findings import Finding

T = TypeVar("T")

# Documents are short markdown files: a larger one is refused unread.
MAX_FILE_BYTES = 2 * 1024 * 1024
# Files a folder may hold that are not documents.
NOT_DOCUMENTS = {"readme.md", "index.md", "_index.md"}


class DocFile(NamedTuple):
    """A document file as the listing found it (a tuple: tens of thousands are made per run)."""

    path: str  # POSIX, relative to the knowledge base root
    kind: Kind
    size: int
    mtime_ns: int
    inode: int
    # The status-change time: an edit that puts the old modification time back (same size,
    # ``touch -d``) still changes it, as git knows. Part of the signature, not of the racy rule.
    ctime_ns: int = 0

    @property
    def sig(self) -> list[int]:
        """What a cache compares to trust an entry of this file without reading it."""
        return [self.size, self.mtime_ns, self.inode, self.ctime_ns]


# Each kind and its folder, in the config's order: all a listing needs of the config.
KindFolders = tuple[tuple[Kind, str], ...]


def kind_folders(config: ProgramConfig) -> KindFolders:
    return tuple((kind, settings.folder) for kind, settings in config.kinds.items())


def scan(
    root: Path,
    config: ProgramConfig,
    signatures: bool = True,
    folders: dict[str, list[int]] | None = None,
) -> tuple[list[DocFile], list[Finding]]:
    """Every ``*.md`` under the kind folders (recursively); symlinks are reported, not followed.

    ``signatures=False`` lists names only (size, mtime and inode 0): no file is stat-ed, so the
    listing costs what reading the folders costs. ``folders``, when given, receives every folder
    read (and every kind folder that is missing) with its stamp (:func:`folder_stamp`): while
    no stamp changes, no name in the listing has.
    """
    return scan_folders(root, kind_folders(config), signatures, folders)


def scan_folders(
    root: Path,
    kinds: KindFolders,
    signatures: bool = True,
    folders: dict[str, list[int]] | None = None,
) -> tuple[list[DocFile], list[Finding]]:
    """What :func:`scan` gives, for the kind folders ``kinds``."""
    files: list[DocFile] = []
    findings: list[Finding] = []
    for kind, name in kinds:
        top = root / name
        if folders is not None:
            folders[name] = folder_stamp(top)
        try:
            st = top.lstat()
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(st.st_mode):
            findings.append(_symlink(name))
            continue
        _walk(top, name, kind, files, findings, signatures, folders)
    files.sort(key=lambda f: f.path)
    return files, findings


def listed_while(
    root: Path, config: ProgramConfig, prepare: Callable[[], T]
) -> tuple[Sequence[DocFile], T]:
    """The document files (as :func:`scan` lists them; its findings aside) and what ``prepare``
    returned, the listing made in a child process while ``prepare`` runs here.

    Listing a large base waits on one ``lstat`` per file; loading the search index's modules
    keeps a CPU busy. On two CPUs the two overlap (10,000 documents: the listing, 65 ms, is
    hidden behind whoosh's import). The child may have been started earlier, by
    :func:`list_ahead`. Without a child the listing is made here, after ``prepare``.
    """
    kinds = kind_folders(config)
    child = _ahead.pop((root, kinds), None) or Child(_listing(root, kinds))
    try:
        prepared = prepare()
        raw = child.result()
    finally:
        child.close()
    return (scan(root, config) if raw is None else _decoded(raw))[0], prepared


def listing(root: Path, config: ProgramConfig) -> tuple[Sequence[DocFile], list[Finding]]:
    """What :func:`scan` gives, taken from the listing :func:`list_ahead` started for this base
    when there is one (else listed here)."""
    child = _ahead.pop((root, kind_folders(config)), None)
    raw = None if child is None else child.result()  # which ends and reaps it
    return scan(root, config) if raw is None else _decoded(raw)


# Listings started ahead of time, by base and kind folders: what the next listing of the same
# base and folders takes.
_ahead: dict[tuple[Path, KindFolders], Child] = {}


def list_ahead(root: Path, kinds: KindFolders) -> None:
    """Start listing ``root``'s files in a child now, for the next :func:`listing` or
    :func:`listed_while` of the same base and kind folders: the command line starts it before
    it loads its own modules (or even validates the config: ``kinds`` may be read off it
    unchecked, and a listing of other folders than the config's is never taken), so the
    listing is over before the command asks for it. A listing never asked for is ended when
    this process exits."""
    key = (root, kinds)
    if key not in _ahead:
        _ahead[key] = child = Child(_listing(root, kinds))
        atexit.register(child.close)


def _listing(root: Path, kinds: KindFolders) -> Callable[[], bytes]:
    def work() -> bytes:
        files, findings = scan_folders(root, kinds)
        found = [f.to_json() for f in findings]
        if not files:
            return marshal.dumps((found,))
        # In columns: a few large objects cost a fraction of 10,000 small ones, both here
        # and where they are read back.
        paths, kinds_of, *numbers = zip(*files, strict=True)
        digest = listing_digest(paths, numbers)  # DocFile's numbers are the SIGNATURE
        kinds_column = [k.value for k in kinds_of]
        return marshal.dumps((found, digest, "\0".join(paths), kinds_column, *numbers))

    return work


def _decoded(raw: bytes) -> tuple[Sequence[DocFile], list[Finding]]:
    found, *columns = marshal.loads(raw)
    findings = []
    if found:
        from cxlib.model.findings import Finding

        findings = [Finding.from_json(x) for x in found]
    if not columns:
        return [], findings
    digest, paths, kinds, *numbers = columns
    return Listing(digest, paths, kinds, numbers), findings


class Listing(Sequence[DocFile]):
    """The document files a child listed, made into :class:`DocFile` rows on first use, and
    the :func:`~cxlib.listings.listing_digest` of them the child computed: a search whose
    index is up to date needs only the number of files and the digest (making 10,000 rows
    cost it 10-17 ms, and the digest 5-8 ms more)."""

    def __init__(self, digest: str, paths: str, kinds: list[str], numbers: list[tuple[int, ...]]):
        self.digest = digest
        self._columns: tuple[str, list[str], list[tuple[int, ...]]] | None = (paths, kinds, numbers)
        self._count = len(kinds)
        self._rows: list[DocFile] = []

    def _made(self) -> list[DocFile]:
        if self._columns is not None:
            paths, kinds, numbers = self._columns
            by_value = {k.value: k for k in Kind}
            rows = zip(paths.split("\0"), [by_value[k] for k in kinds], *numbers, strict=True)
            self._rows = list(map(DocFile._make, rows))
            self._columns = None
        return self._rows

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> DocFile: ...
    @overload
    def __getitem__(self, index: slice) -> list[DocFile]: ...
    def __getitem__(self, index: int | slice) -> DocFile | list[DocFile]:
        return self._made()[index]

    def __iter__(self) -> Iterator[DocFile]:
        return iter(self._made())

    def __eq__(self, other: object) -> bool:
        """Equal to a list of the same rows, as the list :func:`scan` gives."""
        return self._made() == (other._made() if isinstance(other, Listing) else other)


def _walk(
    top: Path,
    top_rel: str,
    kind: Kind,
    files: list[DocFile],
    findings: list[Finding],
    signatures: bool = True,
    folders: dict[str, list[int]] | None = None,
) -> None:
    """Add the documents under a kind's folder to ``files`` and its symlinks and unreadable
    folders to ``findings``; hidden folders are skipped."""
    stack = [(top, top_rel)]
    while stack:
        folder, rel = stack.pop()
        if folders is not None:
            folders[rel] = folder_stamp(folder)  # before reading it: a later change is newer
        try:
            entries = list(os.scandir(folder))
        except OSError as e:
            findings.append(_unreadable(rel, e))
            continue
        for entry in entries:
            child = f"{rel}/{entry.name}"
            if entry.is_symlink():
                if entry.name.endswith(".md") or entry.is_dir():
                    findings.append(_symlink(child))
            elif entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    stack.append((Path(entry.path), child))
            else:
                found = _document(entry, child, kind, signatures)
                if found is not None:
                    files.append(found)


def _document(entry: os.DirEntry[str], child: str, kind: Kind, signatures: bool) -> DocFile | None:
    """The listing entry of a file that is a document (a regular ``*.md``), else None."""
    if not entry.name.endswith(".md") or entry.name.lower() in NOT_DOCUMENTS:
        return None
    if not signatures:
        return DocFile(child, kind, 0, 0, 0) if entry.is_file(follow_symlinks=False) else None
    return signature(entry.path, child, kind)


def folder_stamp(folder: Path) -> list[int]:
    """A folder's modification time and inode ([0, 0] when missing, [-1, -1] when it is not a
    plain folder): adding, removing or renaming an entry changes the first, replacing the
    folder the second."""
    try:
        st = folder.lstat()
    except OSError:
        return [0, 0]
    if not stat.S_ISDIR(st.st_mode):
        return [-1, -1]
    return [st.st_mtime_ns, st.st_ino]


def signature(path: str | Path, rel: str, kind: Kind) -> DocFile | None:
    """A regular file's listing entry, or None (not regular, or gone since it was listed)."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return DocFile(rel, kind, st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


# The listing's findings are rare: their module (and the rule codes) loads only for one.
def _unreadable(rel: str, e: OSError) -> Finding:
    from cxlib.model.findings import error

    return error("unreadable", rel, f"cannot read folder: {e.strerror}")


def _symlink(path: str) -> Finding:
    from cxlib.model.findings import error

    return error(
        "symlink",
        path,
        "symlinks are not allowed in the knowledge base (not followed)",
        hint="replace the link with the file itself",
    )


def kind_of_path(rel: str, config: ProgramConfig) -> Kind | None:
    """The kind whose folder holds a root-relative path, or None."""
    top = rel.split("/", 1)[0]
    return config.kind_for_folder(top) if "/" in rel else None


def read_document(root: Path, rel: str, limit: int | None = None) -> bytes:
    """Read a document without following a symlink at the last component; with ``limit``, at
    most ``limit + 1`` bytes, so a huge file is recognised without being loaded."""
    # Plain reads of the descriptor: a buffered file object around it cost three times the
    # read itself (a cold run reads every document).
    fd = os.open(os.path.join(root, rel), _READ_FLAGS)
    try:
        want = -1 if limit is None else limit + 1
        chunks: list[bytes] = []
        got = 0
        while want < 0 or got < want:
            chunk = os.read(fd, _READ_SIZE if want < 0 else min(_READ_SIZE, want - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    finally:
        os.close(fd)


_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
_READ_SIZE = 1 << 20
