"""The search index as operations use it: brought up to date before every answer, rebuilt on any
doubt, safe with several processes at once. Backend-neutral: whoosh is reached through
:mod:`cxlib.index.store` and :mod:`cxlib.index.query` only.

Freshness: a query lists the knowledge base, compares it with the manifest (no lock, no index
read), and only when something changed takes the writer lock and updates what changed. Doubt
(no manifest, another format, a file of the index missing or resized, a folder not made by this
user, an unreadable index) means a rebuild into a fresh folder that is swapped in whole, so a
reader sees the old index or the new one, never a half-written one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from cxlib.errors import CxError
from cxlib.index.errors import (
    IndexBusyError,
    IndexDamagedError,
    IndexRefusedError,
    IndexWriteError,
)
from cxlib.index.location import index_home, make_private
from cxlib.index.lock import writer_lock
from cxlib.index.manifest import Changes, Manifest, compare
from cxlib.index.manifest import FileEntry as FileEntry
from cxlib.index.records import Record, body_text, build_record, similarity_texts
from cxlib.index.results import Hit

if TYPE_CHECKING:
    from cxlib.index import store
    from cxlib.index.query import Parsed as Parsed
    from cxlib.model.source import ParsedFile

INDEX_DIR = "index"
LOCK_NAME = "index.lock"
DEFAULT_TIMEOUT = 10.0

Progress = Callable[[int, int], None]
T = TypeVar("T")


@dataclass
class SyncReport:
    """What bringing the index up to date did."""

    documents: int = 0
    added: int = 0
    changed: int = 0
    removed: int = 0
    rebuilt: str | None = None  # why the index was built from scratch
    stale: bool = False  # another process held the lock; the answer may miss recent edits


@dataclass(frozen=True)
class Ahead(Generic[T]):
    """An answer from the index as it stood, given before the files were listed: good if the
    listing then shows the index was up to date and no one has written it since (see
    :meth:`SearchIndex.answer_ahead`)."""

    manifest: Manifest
    answer: T


@dataclass
class Source:
    """How the index reads the knowledge base (kept out of here, so ``index`` needs no ``kb``)."""

    read: Callable[[str], bytes]  # a document's bytes by root-relative path
    parse: Callable[[bytes], ParsedFile]
    # For a batch of N files: a parser that may reuse earlier work (e.g. the parse cache) for a
    # file whose bytes it was given; by default ``parse``.
    batch_parser: Callable[[int], Callable[[FileEntry, bytes], ParsedFile]] | None = None


class SearchIndex:
    def __init__(
        self,
        root: Path,
        source: Source,
        timeout: float = DEFAULT_TIMEOUT,
        procs: int = 1,
        limitmb: int = 128,
        cache: Path | None = None,
        fields: Mapping[str, str] | None = None,
    ) -> None:
        """``cache``: the folder for the index, its lock and build folders; by default one in
        the user's cache folder (see :mod:`cxlib.index.location`), never one in the base.
        ``fields``: the fields cxlib.toml declares, name to type, indexed too; an index made
        with others is rebuilt."""
        self.root = root
        self.fields = dict(fields or {})
        self.source = source
        self.timeout = timeout
        self.procs = procs  # worker processes and memory per worker for a full build
        self.limitmb = limitmb
        self.cache = cache if cache is not None else index_home(root)
        self.folder = self.cache / INDEX_DIR
        self.lock_path = self.cache / LOCK_NAME

    @property
    def stamp(self) -> str:
        """The stamp this index must carry: cxlib's, the backend's and the declared fields'."""
        from cxlib.index.version import stamp

        return stamp(self.fields)

    # -- checks before anything is unpickled ---------------------------------------------------
    def exists(self) -> bool:
        return os.path.lexists(self.folder)

    def check_folder(self) -> None:
        """Refuse an index reached through a symlink: cxlib opens only folders it made."""
        for path in (self.cache, self.folder):
            if path.is_symlink():
                raise IndexRefusedError(
                    f"{path} is a symlink; cxlib keeps its search index only in a real folder",
                    hint=f"remove the link: rm {path}",
                )

    def _doubt(self, manifest: Manifest | None) -> str | None:
        """Why the index folder cannot be trusted as it is, or None."""
        if not self.folder.is_dir():
            return "there is no index yet"
        if manifest is None:
            return "its manifest is missing or unreadable"
        if manifest.stamp != self.stamp:
            same_version = manifest.stamp.split("/fields-")[0] == self.stamp.split("/fields-")[0]
            if same_version:
                return "the fields cxlib.toml declares changed"
            return f"it was made by another version ({manifest.stamp})"
        if hasattr(os, "getuid"):
            st = self.folder.stat()
            if st.st_uid != os.getuid() or st.st_mode & 0o077:
                return "its folder was not made by cxlib for this user"
        damage = manifest.damage(self.folder)
        return f"it is damaged: {damage}" if damage else None

    # -- bringing the index up to date ---------------------------------------------------------
    def sync(
        self,
        files: Sequence[FileEntry],
        rebuild: bool = False,
        allow_stale: bool = False,
        progress: Progress | None = None,
    ) -> SyncReport:
        """Make the index match ``files``: nothing when it does, else update or rebuild it.

        With ``allow_stale``, a healthy index whose writer lock is busy is left as it is (the
        report says so) instead of raising IndexBusyError. What the file system refuses (no
        space, a read-only folder, a folder where the lock file goes) is an IndexWriteError.
        """
        with self._writing():
            return self._sync(files, rebuild, allow_stale, progress)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        try:
            yield
        except OSError as e:
            raise IndexWriteError(
                f"cannot write the search index in {self.cache}: {e.strerror or e}",
                hint=f"free some space, or remove {self.cache} and search again",
            ) from None

    def _sync(
        self,
        files: Sequence[FileEntry],
        rebuild: bool,
        allow_stale: bool,
        progress: Progress | None,
    ) -> SyncReport:
        self.check_folder()
        seen: tuple[Manifest, Changes] | None = None
        if not rebuild:
            manifest = Manifest.load(self.folder)
            if self._doubt(manifest) is None:
                assert manifest is not None
                # Damaged entries leave ``seen`` unset: the locked path rebuilds.
                with contextlib.suppress(IndexDamagedError):
                    seen = (manifest, compare(files, manifest, self.source.read))
            if seen is not None and not seen[1].needs_manifest:
                return SyncReport(documents=len(files))
            if seen is not None and not seen[1].needs_index:
                # Only new signatures to remember: worth it if nobody else is writing.
                try:
                    with writer_lock(self.lock_path, 0):
                        return self._sync_locked(files, False, progress, seen)
                except IndexBusyError:
                    return SyncReport(documents=len(files))
        try:
            with self._locked():
                return self._sync_locked(files, rebuild, progress, seen)
        except IndexBusyError:
            if not (allow_stale and seen is not None):
                raise
            return SyncReport(documents=len(files), stale=True)

    @contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[None]:
        make_private(self.cache)
        with writer_lock(self.lock_path, self.timeout if timeout is None else timeout):
            yield

    def _sync_locked(
        self,
        files: Sequence[FileEntry],
        rebuild: bool,
        progress: Progress | None,
        seen: tuple[Manifest, Changes] | None = None,
    ) -> SyncReport:
        """Under the writer lock. ``seen``: the manifest and changes found before taking the
        lock, reused if no other process has written the manifest since."""
        self._remove_leftovers()
        started = time.time_ns()
        if seen is not None and seen[0].is_current(self.folder):
            manifest, changes = seen
        else:
            loaded = Manifest.load(self.folder, entries=True) if self.folder.is_dir() else None
            reason = "a rebuild was asked for" if rebuild else self._doubt(loaded)
            if reason is not None or loaded is None:
                return self._rebuild(files, reason or "", progress)
            manifest, changes = loaded, compare(files, loaded, self.source.read)
        if not changes.needs_manifest:
            return SyncReport(documents=len(files))
        try:
            self._update(manifest, changes, started, progress)
        except IndexDamagedError as e:
            return self._rebuild(files, f"it could not be updated ({e})", progress)
        return SyncReport(
            documents=len(files),
            added=len(changes.added),
            changed=len(changes.changed),
            removed=len(changes.removed),
        )

    def _records(
        self,
        files: Sequence[FileEntry],
        manifest: Manifest,
        started: int,
        contents: Mapping[str, bytes],
        progress: Progress | None,
    ) -> Iterator[Record]:
        if self.source.batch_parser is not None:
            parse = self.source.batch_parser(len(files))
        else:
            parse = lambda _, raw: self.source.parse(raw)  # noqa: E731
        for i, f in enumerate(files):
            raw = contents.get(f.path)
            try:
                raw = raw if raw is not None else self.source.read(f.path)
            except OSError:
                continue  # gone since it was listed: the next query sees it as removed
            manifest.record(f, raw, started)
            yield build_record(f.path, f.kind, raw, parse(f, raw), self.fields)
            if progress and i % 100 == 0:
                progress(i, len(files))

    def _update(
        self,
        manifest: Manifest,
        changes: Changes,
        started: int,
        progress: Progress | None,
    ) -> None:
        from cxlib.index import store

        if changes.needs_index:
            todo = [*changes.added, *changes.changed]
            store.update(
                self.folder,
                changes.removed,
                self._records(todo, manifest, started, changes.contents, progress),
                self.fields,
            )
        for path in changes.removed:
            manifest.entries.pop(path, None)
        for f in changes.touched:
            manifest.record(f, changes.contents[f.path], started)
        manifest.files = store.backend_files(self.folder)
        manifest.seal(started)
        manifest.save(self.folder)

    def _rebuild(
        self,
        files: Sequence[FileEntry],
        reason: str,
        progress: Progress | None,
    ) -> SyncReport:
        from cxlib.index import store

        started = time.time_ns()
        manifest = Manifest(stamp=self.stamp)
        fresh = Path(tempfile.mkdtemp(dir=self.cache, prefix=f"{INDEX_DIR}.new-"))
        try:
            records = self._records(files, manifest, started, {}, progress)
            store.build(fresh, records, self.procs, self.limitmb, self.fields)
            manifest.files = store.backend_files(fresh)
            manifest.seal(started)
            manifest.save(fresh)
            self._swap_in(fresh)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        return SyncReport(
            documents=len(manifest.entries), added=len(manifest.entries), rebuilt=reason
        )

    def _swap_in(self, fresh: Path) -> None:
        old = None
        try:
            if os.path.lexists(self.folder):
                old = Path(tempfile.mkdtemp(dir=self.cache, prefix=f"{INDEX_DIR}.old-"))
                os.replace(self.folder, old / INDEX_DIR)
            os.replace(fresh, self.folder)
        except OSError as e:
            raise IndexRefusedError(
                f"cannot replace the search index folder {self.folder}: {e.strerror}",
                hint=f"remove {self.folder} by hand and run 'cxlib index'",
            ) from None
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def _remove_leftovers(self) -> None:
        """Folders of a build or swap that a crash interrupted (only ever made by cxlib)."""
        for prefix in (f"{INDEX_DIR}.new-", f"{INDEX_DIR}.old-"):
            for path in self.cache.glob(f"{prefix}*"):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path, ignore_errors=True)

    # -- answering -----------------------------------------------------------------------------
    def read(
        self,
        files: Sequence[FileEntry],
        work: Callable[[store.Reader], T],
        progress: Progress | None = None,
        ahead: Ahead[T] | None = None,
    ) -> tuple[T, SyncReport]:
        """Bring the index up to date, then run ``work`` on a reader of it; or take ``ahead``'s
        answer when the index it read is still the current one (bringing it up to date, here or
        in another process, writes a new manifest).

        A reader that fails may only have met a concurrent swap: it is retried under the writer
        lock, where nothing moves; failing there too, the index is rebuilt and asked once more.
        """
        from cxlib.index import store

        report = self.sync(files, allow_stale=True, progress=progress)
        if ahead is not None and ahead.manifest.is_current(self.folder):
            return ahead.answer, report
        try:
            with store.Reader(self.folder, self.fields) as reader:
                return work(reader), report
        except IndexDamagedError:
            pass
        with self._writing(), self._locked():
            try:
                with store.Reader(self.folder, self.fields) as reader:
                    return work(reader), report
            except IndexDamagedError as e:
                report = self._rebuild(files, f"it could not be read ({e})", progress)
            try:
                with store.Reader(self.folder, self.fields) as reader:
                    return work(reader), report
            except IndexDamagedError as e:
                raise IndexRefusedError(
                    f"the search index cannot be read even after a rebuild: {e}",
                    hint=f"remove {self.folder} and run 'cxlib index'; report this if it recurs",
                ) from None

    def peek(self, work: Callable[[store.Reader], T]) -> T | None:
        """Run ``work`` on the index as it is, without updating it; None when there is no usable
        index (cheap: never builds, never waits for a lock)."""
        seen = self._as_it_stands(work)
        return None if seen is None else seen.answer

    def answer_ahead(
        self, work: Callable[[store.Reader], T], folders: Sequence[Path] = ()
    ) -> Ahead[T] | None:
        """``work`` run on the index as it stands, while the files are still being listed, for
        :meth:`read` to take if the index turns out up to date (a search's work then overlaps
        the listing instead of following it); None when the index cannot answer yet, for
        whatever reason: :meth:`read` meets that reason again and deals with it. Also None
        when one of ``folders`` (the kind folders) changed since the index was last brought up
        to date: a document was added, removed or saved by renaming (as cxlib's own edits and
        many editors save), so the work would most likely be wasted."""
        try:
            return self._as_it_stands(work, folders)
        except (CxError, OSError):
            return None

    def _as_it_stands(
        self, work: Callable[[store.Reader], T], folders: Sequence[Path] = ()
    ) -> Ahead[T] | None:
        from cxlib.index import store

        self.check_folder()
        manifest = Manifest.load(self.folder)
        if self._doubt(manifest) is not None:
            return None
        assert manifest is not None
        if any(_changed_since(folder, manifest.checked_ns) for folder in folders):
            return None
        try:
            with store.Reader(self.folder, self.fields) as reader:
                return Ahead(manifest, work(reader))
        except IndexDamagedError:
            return None

    def texts(self, path: str) -> dict[str, str]:
        """The title, hypothesis and body of a document as "more like this" reads them."""
        raw = self.source.read(path)
        return similarity_texts(raw, self.source.parse(raw))

    def snippet_text(self, path: str) -> str:
        """A document's body as snippets show it ("" when it cannot be read)."""
        try:
            return body_text(self.source.read(path))
        except OSError:
            return ""


def parse(
    text: str, vocabulary: Callable[[], Mapping[str, Set[str]]], fields: Mapping[str, str]
) -> Parsed:
    """A query in the query language (see the README), checked before any index work. Loads
    the backend too (:func:`load_backend`): a search needs it next."""
    load_backend()
    from cxlib.index.query import parse_query

    return parse_query(text, vocabulary, fields)


def load_backend() -> None:
    """Load the modules that read and write the index now rather than at their first use, so
    a caller can overlap the loading with other work (:func:`cxlib.kb.files.listed_while`)."""
    import cxlib.index.store  # noqa: F401


def search(
    index: SearchIndex,
    files: Sequence[FileEntry],
    query: Parsed,
    limit: int,
    kind: str | None = None,
    progress: Progress | None = None,
    ahead: Ahead[list[Hit]] | None = None,
) -> tuple[list[Hit], SyncReport]:
    """Ranked hits for a query made by :func:`parse`; ``ahead``: the same search made by
    :func:`search_ahead` before the files were listed."""
    return index.read(files, _searching(index, query, limit, kind), progress, ahead)


def _changed_since(folder: Path, ns: int) -> bool:
    """Whether an entry of ``folder`` was added, removed or renamed at or after ``ns`` (a
    missing folder holds nothing that changed)."""
    try:
        return os.stat(folder).st_mtime_ns >= ns
    except FileNotFoundError:
        return False


def search_ahead(
    index: SearchIndex,
    query: Parsed,
    limit: int,
    kind: str | None = None,
    folders: Sequence[Path] = (),
) -> Ahead[list[Hit]] | None:
    """The hits :func:`search` would give if the index is up to date, found before the files
    are listed (see :meth:`SearchIndex.answer_ahead`, and its ``folders``)."""
    return index.answer_ahead(_searching(index, query, limit, kind), folders)


def _searching(
    index: SearchIndex, query: Parsed, limit: int, kind: str | None
) -> Callable[[store.Reader], list[Hit]]:
    return lambda r: r.search(query, limit, kind, index.snippet_text)


def similar(
    index: SearchIndex,
    files: Sequence[FileEntry],
    doc_id: str,
    limit: int,
    progress: Progress | None = None,
) -> tuple[tuple[list[str], list[Hit]], SyncReport]:
    """The paths holding ``doc_id`` and the documents most like the first of them."""

    def work(reader: store.Reader) -> tuple[list[str], list[Hit]]:
        paths = reader.paths_of(doc_id)
        if not paths:
            return [], []
        try:
            texts = index.texts(paths[0])
        except OSError:
            return paths, []
        return paths, reader.similar(texts, limit, exclude=paths)

    return index.read(files, work, progress)


def similar_to_text(index: SearchIndex, texts: Mapping[str, str], limit: int) -> list[Hit] | None:
    """Documents like a not-yet-written one, from the index as it stands; None without one."""
    hits = index.peek(lambda r: r.similar(texts, limit * 2))
    if hits is None:
        return None
    # The index is not brought up to date here, so skip what was deleted since.
    return [h for h in hits if (index.root / h.path).is_file()][:limit]
