"""``cxlib renumber``: give a document a new id, rename its file and rewrite every reference.

For ids that collide when two branches merge: each branch added its own EXP-0043. Every edit is
line-level and verified like ``link``'s; all of them are computed (and refused, if need be)
before any file is written, and journaled before the first write, so an interrupted renumber is
finished with ``--resume`` or undone with ``--rollback`` (:mod:`cxlib.kb.recovery`).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from cxlib.errors import UsageError
from cxlib.kb import git, recovery
from cxlib.kb.changes import FileChange, diff
from cxlib.kb.edit import EditableFile
from cxlib.kb.files import read_document
from cxlib.kb.id_lock import ids_reserved
from cxlib.kb.journal import Journal, refuse_if_pending
from cxlib.kb.parse import MAX_FILE_BYTES
from cxlib.kb.store import KnowledgeBase
from cxlib.model.choices import id_hint
from cxlib.model.ids import ID_RE, format_id, id_from_filename, split_id
from cxlib.model.library import Library, LoadedDoc
from cxlib.model.vocabulary import LINK_FIELDS
from cxlib.ops.docs import load_library, normalize_id, touched
from cxlib.ops.new import next_id


@dataclass
class RenumberResult:
    old: str
    new: str
    path: str
    new_path: str
    rewritten: list[str] = field(default_factory=list)  # other files whose references changed
    references: int = 0  # references rewritten in other files
    left: list[str] = field(default_factory=list)  # "path:line" of plain-text mentions kept
    notes: list[str] = field(default_factory=list)
    diff: str = ""


@dataclass
class RecoveryResult:
    action: str  # "resume" or "rollback"
    renumber: str  # "EXP-0003 -> EXP-0100"
    path: str  # the renumbered file's old path
    new_path: str
    files: int  # files the renumber changes
    written: int  # files this run wrote
    left: list[str] = field(default_factory=list)  # changed by someone else; left as they are
    message: str = ""


def _pick(kb: KnowledgeBase, library: Library, old: str, cwd: Path) -> LoadedDoc:
    """The document to renumber: an id, or a file path when two files share the id."""
    if ID_RE.match(old.strip().upper()):
        wanted = old.strip().upper()
        same = library.by_id().get(wanted, [])
        if not same:
            raise UsageError(f"unknown id '{wanted}'", hint=id_hint(wanted, library.by_id()))
        if len(same) > 1:
            paths = "\n".join(f"  cxlib renumber {d.path}" for d in same)
            raise UsageError(
                f"{wanted} is used by {len(same)} files; say which one to renumber",
                hint=f"pass its path:\n{paths}",
            )
        return same[0]
    given = Path(old)
    absolute = Path(os.path.normpath(given if given.is_absolute() else cwd / given))
    try:
        rel = absolute.relative_to(kb.root).as_posix()
    except ValueError:
        rel = ""
    match = next((d for d in library.docs if d.path == rel), None)
    if match is None or not match.id:
        raise UsageError(f"{old!r} is neither an id nor a document of this knowledge base")
    return match


def _new_id(kb: KnowledgeBase, d: LoadedDoc, new: str | None) -> str:
    settings = kb.config.settings(d.kind)
    if new is None:
        return next_id(kb, d.kind)
    parts = split_id(normalize_id(new))
    assert parts is not None
    if parts[0] != settings.prefix:
        raise UsageError(
            f"{new}: {d.kind.plural} use the prefix {settings.prefix}",
            hint=f"e.g. {format_id(settings.prefix, parts[1], settings.digits)}",
        )
    return format_id(settings.prefix, parts[1], settings.digits)


def _taken(kb: KnowledgeBase, library: Library, new: str) -> str | None:
    if new in library.by_id():
        return f"{library.by_id()[new][0].path}"
    folders = [s.folder for s in kb.config.kinds.values()]
    if any(id_from_filename(n) == new for n in git.file_names_on_refs(kb.root, folders)):
        return "a file on another branch"
    return None


def renumber(
    kb: KnowledgeBase,
    old: str,
    new: str | None = None,
    dry_run: bool = False,
    cwd: Path | None = None,
    touch: dt.date | None = None,
) -> RenumberResult:
    """Renumber the document ``old`` (an id, or its path when the id is shared) to ``new``, or to
    the next free id of its kind (looking at every branch too).

    The id lock is held from choosing the id to the last write, so a concurrent ``new`` cannot
    take the same id; the writes are journaled."""
    refuse_if_pending(kb.root)
    with nullcontext() if dry_run else ids_reserved(kb.root):
        if not dry_run:
            refuse_if_pending(kb.root, holding_ids=True)
        result, changes = _plan(kb, old, new, cwd or Path.cwd(), touch)
        if not dry_run:
            journal = Journal("renumber", f"{result.old} -> {result.new}", tuple(changes))
            recovery.apply_journaled(kb.root, journal)
    return result


def _plan(
    kb: KnowledgeBase, old: str, new: str | None, cwd: Path, touch: dt.date | None
) -> tuple[RenumberResult, list[FileChange]]:
    """The renumber's result and every file change it makes, computed and checked in memory."""
    library = load_library(kb)
    d = _pick(kb, library, old, cwd)
    old_id = d.id or ""
    new_id = _new_id(kb, d, new)
    if new_id == old_id:
        raise UsageError(f"{old_id} already has that id")
    used_by = _taken(kb, library, new_id)
    if used_by:
        raise UsageError(f"{new_id} is already used by {used_by}", hint="pick another id")
    shared = len(library.by_id().get(old_id, [])) > 1
    name = d.path.rsplit("/", 1)[-1]
    folder = d.path[: -len(name)]
    named = id_from_filename(name)  # normally old_id; the file name may disagree with the id
    new_name = new_id + name[len(named) :] if named else f"{new_id}-{name}"
    result = RenumberResult(old_id, new_id, d.path, folder + new_name)

    def edited(doc: LoadedDoc, raw: bytes) -> bytes:
        after = EditableFile(raw, doc.path).replace_id(list(LINK_FIELDS[doc.kind]), old_id, new_id)
        return EditableFile(after, doc.path).replace_wiki_links(old_id, new_id)

    changes: list[FileChange] = []
    raw = read_document(kb.root, d.path, MAX_FILE_BYTES)
    mine = EditableFile(raw, d.path).replace_id(["id"], old_id, new_id)
    # Only the renumbered document is touched: the others' mentions are bookkeeping.
    mine = touched(raw, edited(d, mine), d.path, touch)
    changes.append(FileChange(d.path, raw, mine, result.new_path))
    # A plain-text mention: the id not inside a longer id (EXP-00431) or another word.
    pattern = re.compile(rf"(?<![A-Za-z0-9-]){re.escape(old_id)}(?![0-9])", re.IGNORECASE)
    for other in library.docs:
        if other is d or other.id == old_id:
            continue  # a file that shares the id mentions itself, not the renumbered one
        before = read_document(kb.root, other.path, MAX_FILE_BYTES)
        if not pattern.search(before.decode("utf-8", "replace")):
            continue
        if other.parsed.problems:
            raise UsageError(
                f"{other.path} mentions {old_id} but cannot be read cleanly "
                f"({other.parsed.problems[0].message}); nothing was written",
                hint="fix that file first ('cxlib validate'), then renumber",
            )
        links = [link for link in other.links() if link.target == old_id]
        after = before
        if links and not shared:
            after = edited(other, before)
            changes.append(FileChange(other.path, before, after))
            result.rewritten.append(other.path)
            result.references += len(links)
        text = after.decode("utf-8", "replace").replace("\r\n", "\n")
        result.left.extend(
            f"{other.path}:{n}"
            for n, line in enumerate(text.split("\n"), 1)
            if pattern.search(line)
        )
    mine_text = changes[0].after.decode("utf-8", "replace").replace("\r\n", "\n")
    result.left[:0] = [
        f"{result.new_path}:{n}"
        for n, line in enumerate(mine_text.split("\n"), 1)
        if pattern.search(line)
    ]
    if shared:
        result.notes.append(
            f"{old_id} is also the id of another file, so no reference was rewritten: each "
            "mention below may mean either document; point it at the right one"
        )
    result.diff = diff(changes)
    return result, changes


def recover(kb: KnowledgeBase, action: str) -> RecoveryResult:
    """Finish (``resume``) or undo (``rollback``) a renumber that was interrupted or failed
    midway, from its journal."""
    with ids_reserved(kb.root):
        done = recovery.resume(kb.root) if action == "resume" else recovery.rollback(kb.root)
    moved = next((c for c in done.journal.changes if c.new_path not in (None, c.path)), None)
    path, new_path = (moved.path, moved.new_path or moved.path) if moved else ("", "")
    result = RecoveryResult(
        action,
        done.journal.title,
        path,
        new_path,
        done.files,
        done.written,
        list(done.left),
    )
    others = done.files - done.written - len(done.left)
    if action == "resume":
        result.message = (
            f"finished renumber {result.renumber}: {done.written} file(s) written now, "
            f"{others} before it stopped"
        )
    else:
        result.message = (
            f"rolled back renumber {result.renumber}: {done.written} file(s) put back as they "
            f"were, {others} had not been changed"
        )
    return result
