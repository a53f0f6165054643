"""The journal of a change to several files: the whole plan, on disk before the first write.

A renumber rewrites every file that links to a document; a kill, a Ctrl-C or a full disk midway
would leave some files with the old id and some with the new one. So before the first file is
touched the plan is written to ``.cxlib/journal.json`` (atomically, fsynced): for each file its
path, its new path when it is renamed, and its bytes before and after. The tree no longer holds
the old bytes once a file is written, so the journal must; with both, every file can be told to
be as it was, as the change leaves it, or neither, and the change can be finished or undone
(:mod:`cxlib.kb.recovery`). While a journal exists every writing command refuses.

The journal is JSON (never pickle) and is checked whole when read: digests of every byte
string, and paths that stay inside the knowledge base, since a base can arrive as a tarball with
any ``.cxlib/`` in it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from cxlib.cachefile import CACHE_DIR, cache_folder, make_folder, read_bytes
from cxlib.errors import CxError, WriteRefusedError
from cxlib.kb.changes import FileChange
from cxlib.kb.id_lock import ids_busy
from cxlib.kb.write import remove_file, write_atomic

JOURNAL_NAME = "journal.json"
FORMAT = "cxlib-journal-1"
# The commands that journal a change (each finishes or undoes it with --resume / --rollback),
# and the one file besides documents a change may hold: rename rewrites cxlib.toml too.
COMMANDS = ("renumber", "rename")
CONFIG_FILE = "cxlib.toml"


class JournalDamagedError(CxError):
    """The journal of an unfinished change exists but cannot be trusted."""


@dataclass(frozen=True)
class Journal:
    command: str  # the command that finishes or undoes it: cxlib COMMAND --resume/--rollback
    title: str  # what the change is, for messages: "EXP-0003 -> EXP-0100"
    changes: tuple[FileChange, ...]

    @property
    def shown(self) -> str:
        return f"{self.command} {self.title}"


def journal_path(root: Path) -> Path:
    return cache_folder(root) / JOURNAL_NAME


def recover_hint(command: str) -> str:
    return (
        f"'cxlib {command} --resume' finishes it; 'cxlib {command} --rollback' puts every file "
        "back as it was"
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save(root: Path, journal: Journal) -> None:
    """Write the journal atomically and durably (fsynced file and folder)."""
    if not make_folder(cache_folder(root)):
        raise WriteRefusedError(
            f"cannot keep a journal in {CACHE_DIR}/ (not writable, or a link); nothing was written",
            hint=f"make {CACHE_DIR}/ a writable folder (it is cxlib's git-ignored cache)",
        )
    entries = [
        {
            "path": c.path,
            "new_path": c.new_path,
            "before": _b64(c.before),
            "after": _b64(c.after),
            "before_sha256": _digest(c.before),
            "after_sha256": _digest(c.after),
        }
        for c in journal.changes
    ]
    data = {
        "format": FORMAT,
        "command": journal.command,
        "title": journal.title,
        "changes": entries,
    }
    write_atomic(journal_path(root), json.dumps(data, ensure_ascii=True).encode("ascii"))


def discard(root: Path) -> None:
    """Remove the journal: the change is complete, or completely undone."""
    remove_file(journal_path(root))


def exists(root: Path) -> bool:
    """Whether a journal is there. A ``.cxlib/`` that cannot be looked into (another user's,
    left by ``sudo cxlib``) may hide one, so it stops every write rather than count as none."""
    try:
        os.lstat(journal_path(root))
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError as e:
        raise WriteRefusedError(
            f"cannot look for an unfinished change in {CACHE_DIR}/ ({e.strerror}); not writing",
            hint=f"give {CACHE_DIR}/ (cxlib's git-ignored cache) back to your user: "
            f'sudo chown -R "$USER" {CACHE_DIR}',
        ) from None
    return True


def _relative(value: object) -> str:
    """A document path the journal may name: relative, normalised, inside the base, not in a
    dot-folder (``.git``, ``.cxlib``), a markdown file or the base's ``cxlib.toml``."""
    if not isinstance(value, str) or "\\" in value or "\0" in value:
        raise ValueError("a path is not text")
    parts = PurePosixPath(value).parts
    if (
        not parts
        or PurePosixPath(value).is_absolute()
        or any(p in {"", ".", ".."} or p.startswith(".") for p in parts)
        or not (value.endswith(".md") or value == CONFIG_FILE)
        or PurePosixPath(*parts).as_posix() != value
    ):
        raise ValueError(f"{value!r} is not a document path of the base")
    return value


def _bytes(entry: dict[str, Any], key: str) -> bytes:
    try:
        data = base64.b64decode(str(entry[key]), validate=True)
    except (KeyError, binascii.Error) as e:
        raise ValueError(f"'{key}' is not base64") from e
    if _digest(data) != entry.get(f"{key}_sha256"):
        raise ValueError(f"'{key}' does not match its digest")
    return data


def _change(entry: object) -> FileChange:
    if not isinstance(entry, dict):
        raise ValueError("a change is not a mapping")
    new_path = entry.get("new_path")
    return FileChange(
        path=_relative(entry.get("path")),
        before=_bytes(entry, "before"),
        after=_bytes(entry, "after"),
        new_path=None if new_path is None else _relative(new_path),
    )


def _decoded(raw: bytes) -> Journal:
    data = json.loads(raw)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a journal cxlib writes")
    command, title, changes = data.get("command"), data.get("title"), data.get("changes")
    if command not in COMMANDS or not isinstance(title, str) or not isinstance(changes, list):
        raise ValueError("not a journal cxlib writes")
    return Journal(command, title, tuple(_change(c) for c in changes))


def load(root: Path) -> Journal | None:
    """The journal of an unfinished change, or None when there is none."""
    if not exists(root):
        return None
    raw = read_bytes(journal_path(root))
    if raw is None and not exists(root):
        return None  # finished between the two looks
    try:
        if raw is None:
            raise ValueError("it is not a readable regular file")
        return _decoded(raw)
    except (ValueError, RecursionError) as e:
        raise JournalDamagedError(
            f"{CACHE_DIR}/{JOURNAL_NAME}, the journal of an unfinished change, cannot be read "
            f"({e}); not writing",
            hint=f"check the library ('cxlib validate'); once it is as it should be, remove "
            f"{CACHE_DIR}/{JOURNAL_NAME}",
        ) from None


def refuse_if_pending(root: Path, holding_ids: bool = False) -> None:
    """Refuse to write while a change to several files is running or unfinished.

    ``holding_ids``: the caller holds the id lock, so no other change can be running."""
    if not exists(root):
        return
    if not holding_ids and ids_busy(root):
        raise WriteRefusedError(
            "a renumber is running in this knowledge base; not writing",
            hint="try again when it has finished",
        )
    journal = load(root)
    assert journal is not None
    raise WriteRefusedError(
        f"the {journal.shown} did not finish (it was interrupted or a write failed), so "
        "references may point at both ids; not writing",
        hint=recover_hint(journal.command),
    )
