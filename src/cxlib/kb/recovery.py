"""A change to several files that an interruption cannot leave half done.

:func:`apply_journaled` writes the journal (:mod:`cxlib.kb.journal`) before the first file and
removes it after the last. Each file write is atomic, so after a kill every file is in one of a
few states, told apart by its bytes: as it was (``BEFORE``), as the change leaves it
(``AFTER``), or, for the renamed file, written under its new name with the old one not yet
removed (``HALF``). Anything else (``OTHER``) was edited by someone else meanwhile and is never
overwritten. :func:`resume` takes every file forward to ``AFTER`` and :func:`rollback` back to
``BEFORE``; both can themselves be interrupted and run again.
"""

from __future__ import annotations

import contextlib
import enum
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cxlib.cachefile import CACHE_DIR, read_bytes
from cxlib.errors import (
    UnfinishedChangeError,
    UsageError,
    WriteFailedError,
    WriteRefusedError,
)
from cxlib.kb.changes import FileChange
from cxlib.kb.journal import (
    JOURNAL_NAME,
    Journal,
    discard,
    load,
    recover_hint,
    save,
)
from cxlib.kb.write import (
    check_unchanged,
    move_file,
    remove_file,
    replace_file,
    writable_mode,
)


class State(enum.Enum):
    BEFORE = "as it was"
    HALF = "written under its new name, the old name not yet removed"
    AFTER = "as the change leaves it"
    OTHER = "changed by someone else"


@dataclass(frozen=True)
class Recovery:
    journal: Journal
    files: int  # files the change writes
    written: int  # files this run wrote
    left: tuple[str, ...] = ()  # files changed by someone else meanwhile, left as they are


@dataclass(frozen=True)
class _Look:
    present: bool
    data: bytes | None  # None when absent, or present but not a readable regular file

    def holds(self, expected: bytes) -> bool:
        return self.data is not None and self.data == expected


def _look(path: Path) -> _Look:
    return _Look(os.path.lexists(path), read_bytes(path))


def _renamed(c: FileChange) -> bool:
    return c.new_path is not None and c.new_path != c.path


def state_of(root: Path, c: FileChange) -> State:
    """Where one file of the change stands, from the bytes on disk."""
    old = _look(root / c.path)
    if not _renamed(c):
        if old.holds(c.after):
            return State.AFTER
        return State.BEFORE if old.holds(c.before) else State.OTHER
    assert c.new_path is not None
    new = _look(root / c.new_path)
    if old.holds(c.before):
        if not new.present:
            return State.BEFORE
        return State.HALF if new.holds(c.after) else State.OTHER
    return State.AFTER if not old.present and new.holds(c.after) else State.OTHER


def _forward(root: Path, c: FileChange) -> None:
    if _renamed(c):
        assert c.new_path is not None
        move_file(root / c.path, root / c.new_path, c.after, c.before)
    else:
        replace_file(root / c.path, c.after, c.before)


def _backward(root: Path, c: FileChange) -> None:
    if _renamed(c):
        assert c.new_path is not None
        move_file(root / c.new_path, root / c.path, c.before, c.after)
    else:
        replace_file(root / c.path, c.before, c.after)


@dataclass
class _Count:
    done: int
    total: int
    phrase: str  # "were changed", "are back as they were"

    def __str__(self) -> str:
        return f"{self.done} of {self.total} files {self.phrase}"


@contextmanager
def _counted(journal: Journal, count: _Count) -> Iterator[None]:
    """A failure or Ctrl-C midway says how many files are done and how to finish or undo."""
    hint = f"the plan is kept in {CACHE_DIR}/{JOURNAL_NAME}: " + recover_hint(journal.command)
    try:
        yield
    except WriteFailedError as e:
        raise UnfinishedChangeError(f"cannot write {e.name}: {e.reason}; {count}", hint) from None
    except WriteRefusedError as e:
        raise UnfinishedChangeError(f"{e.message}; {count}", hint) from None
    except OSError as e:  # a file vanished or turned into a folder under us
        reason = f"{e.filename}: {e.strerror}" if e.filename else str(e)
        raise UnfinishedChangeError(f"cannot write {reason}; {count}", hint) from None
    except KeyboardInterrupt:
        raise UnfinishedChangeError(f"interrupted; {count}", hint, interrupted=True) from None


def apply_journaled(root: Path, journal: Journal) -> None:
    """Write every change, journaled: the plan is on disk before the first file is touched and
    removed after the last, so an interruption anywhere can be resumed or rolled back."""
    changes = tuple(c for c in journal.changes if c.changed)
    for c in changes:
        check_unchanged(root / c.path, c.before)
        writable_mode(root / c.path)
        if _renamed(c) and c.new_path is not None and os.path.lexists(root / c.new_path):
            raise WriteRefusedError(f"{c.new_path} already exists; nothing was written")
    journal = Journal(journal.command, journal.title, changes)
    save(root, journal)
    count = _Count(0, len(changes), "were changed")
    with _counted(journal, count):
        for c in changes:
            _forward(root, c)
            count.done += 1
    discard(root)


def _pending(root: Path, action: str) -> Journal:
    journal = load(root)
    if journal is None:
        raise UsageError(
            f"there is no unfinished renumber to {action} ({CACHE_DIR}/{JOURNAL_NAME} does not "
            "exist); nothing was written",
            hint="a renumber stopped before its journal was written changed no file",
        )
    return journal


def _remove_temporaries(root: Path, changes: tuple[FileChange, ...]) -> None:
    """The temporary files a kill left beside the change's files (a kill cannot clean up)."""
    prefixes: dict[Path, set[str]] = {}
    for c in changes:
        for rel in (c.path, c.new_path):
            if rel is not None:
                path = root / rel
                prefixes.setdefault(path.parent, set()).add(f".{path.name}.")
    for folder, starts in prefixes.items():
        with contextlib.suppress(OSError), os.scandir(folder) as entries:
            for entry in entries:
                if (
                    entry.name.endswith(".tmp")
                    and entry.name.startswith(tuple(starts))
                    and entry.is_file(follow_symlinks=False)
                ):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _finish(root: Path, journal: Journal) -> None:
    _remove_temporaries(root, journal.changes)
    discard(root)


def resume(root: Path) -> Recovery:
    """Take every file of an unfinished change to its new state; refuse, writing nothing, when
    a file is in neither its old nor its new state."""
    journal = _pending(root, "resume")
    states = [(c, state_of(root, c)) for c in journal.changes]
    odd = [c.path for c, s in states if s is State.OTHER]
    if odd:
        raise WriteRefusedError(
            f"cannot resume the {journal.shown}: {', '.join(odd)} "
            f"{'is' if len(odd) == 1 else 'are'} neither as before it nor as it leaves "
            f"{'it' if len(odd) == 1 else 'them'} (edited since?); nothing was written",
            hint="put it back as it was ('git diff' shows the edit) and resume, or "
            f"'cxlib {journal.command} --rollback' to undo the rest and leave it as it is",
        )
    count = _Count(sum(s is State.AFTER for _, s in states), len(states), "were changed")
    already = count.done
    with _counted(journal, count):
        for c, s in states:
            if s is State.BEFORE:
                _forward(root, c)
            elif s is State.HALF:
                remove_file(root / c.path, c.before)
            else:
                continue
            count.done += 1
    _finish(root, journal)
    return Recovery(journal, len(states), count.done - already)


def rollback(root: Path) -> Recovery:
    """Put every file of an unfinished change back as it was. A file someone else changed
    meanwhile is left as it is, and named."""
    journal = _pending(root, "roll back")
    count = _Count(0, len(journal.changes), "are back as they were")
    left: list[str] = []
    written = 0
    with _counted(journal, count):
        for c in reversed(journal.changes):
            s = state_of(root, c)
            if s is State.OTHER:
                left.append(f"{c.path} -> {c.new_path}" if _renamed(c) else c.path)
                continue
            if s is State.AFTER:
                _backward(root, c)
                written += 1
            elif s is State.HALF:
                assert c.new_path is not None
                remove_file(root / c.new_path, c.after)
                written += 1
            count.done += 1
    _finish(root, journal)
    return Recovery(journal, len(journal.changes), written, tuple(reversed(left)))
