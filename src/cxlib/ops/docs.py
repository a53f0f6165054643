"""Finding the documents an edit names, and reading them for a line-level edit."""

from __future__ import annotations

import datetime as dt

from cxlib.errors import UnknownIdError, UsageError
from cxlib.kb.edit import EditableFile
from cxlib.kb.files import DocFile, read_document, scan
from cxlib.kb.journal import refuse_if_pending
from cxlib.kb.parse import MAX_FILE_BYTES
from cxlib.kb.store import KnowledgeBase
from cxlib.model.choices import id_hint
from cxlib.model.ids import id_from_filename
from cxlib.model.library import Library, LoadedDoc
from cxlib.model.source import ParsedFile


def load_library(kb: KnowledgeBase) -> Library:
    """Every document read through the parse cache, without the per-document schema and rule
    checks that ``kb.load`` runs for ``validate``: links, the graph and renumbering need only the
    parsed front-matter, ids and kinds (an edit checks the one document it changes in full). On
    10,000 documents this is about half the time of a full load."""
    return kb.load_parsed()


def normalize_id(text: str) -> str:
    from cxlib.model.ids import ID_RE

    wanted = text.strip().upper()
    if not ID_RE.match(wanted):
        raise UsageError(f"invalid id {text!r}", hint="ids look like EXP-0042")
    return wanted


def file_ids(kb: KnowledgeBase) -> dict[str, list[DocFile]]:
    """Every document file by the id its name starts with: one directory walk, no file read, so
    an edit of one document costs the same in a library of any size."""
    files, _ = scan(kb.root, kb.config)
    out: dict[str, list[DocFile]] = {}
    for f in files:
        doc_id = id_from_filename(f.path.rsplit("/", 1)[-1])
        if doc_id:
            out.setdefault(doc_id, []).append(f)
    return out


def open_by_id(
    kb: KnowledgeBase, ids: dict[str, list[DocFile]], doc_id: str
) -> tuple[LoadedDoc, EditableFile]:
    """The one document with this id, read for a line-level edit (refused while a renumber is
    running or unfinished: its references may be half rewritten)."""
    refuse_if_pending(kb.root)
    wanted = normalize_id(doc_id)
    files = ids.get(wanted)
    if not files:
        raise UnknownIdError(f"unknown id '{wanted}'", hint=id_hint(wanted, ids))
    if len(files) > 1:
        paths = ", ".join(f.path for f in files)
        raise UsageError(
            f"{wanted} is used by {len(files)} files ({paths}); not editing either",
            hint=f"give one of them a new id first: cxlib renumber {files[-1].path}",
        )
    f = files[0]
    editable = EditableFile(read_document(kb.root, f.path, MAX_FILE_BYTES), f.path)
    declared = editable.data.get("id")
    if declared != wanted:
        raise UsageError(
            f"{f.path}: the file name says {wanted} but the front-matter says id: {declared}; "
            "not editing it",
            hint="make them agree first ('cxlib validate' shows it)",
        )
    return LoadedDoc(path=f.path, kind=f.kind, parsed=editable.parsed), editable


def with_neighbours(ids: dict[str, list[DocFile]], d: LoadedDoc) -> Library:
    """``d`` among stand-ins for every other document (their id and kind, from the file name):
    enough to check ``d``'s links and id against the whole library."""
    docs = [d]
    for doc_id, files in ids.items():
        docs += [
            LoadedDoc(path=f.path, kind=f.kind, parsed=ParsedFile(data={"id": doc_id}))
            for f in files
            if f.path != d.path
        ]
    return Library(docs)


def touched(before: bytes, after: bytes, label: str, today: dt.date | None) -> bytes:
    """``after`` with ``updated:`` set to ``today``, when the edit changed anything and
    ``today`` is given (None: ``--no-touch``, or ``[edit] touch_updated = false``)."""
    if today is None or after == before:
        return after
    return EditableFile(after, label).touch(today)


def paths_of(kb: KnowledgeBase, doc_id: str) -> list[str]:
    """The repository-relative paths of the files with this id (two when an id is shared)."""
    wanted = normalize_id(doc_id)
    ids = file_ids(kb)
    files = ids.get(wanted)
    if not files:
        raise UnknownIdError(f"unknown id '{wanted}'", hint=id_hint(wanted, ids))
    return [f.path for f in files]
