"""Finding the documents an edit names, and reading them for a line-level edit."""

from __future__ import annotations

from cxlib.errors import UsageError
from cxlib.kb.edit import EditableFile
from cxlib.kb.files import read_document
from cxlib.kb.parse import MAX_FILE_BYTES
from cxlib.kb.store import KnowledgeBase
from cxlib.model.library import Library, LoadedDoc
from cxlib.ops.show import find


def find_unique(library: Library, doc_id: str) -> LoadedDoc:
    """The one document with this id; an id that two files share cannot be edited by id."""
    d = find(library, doc_id)
    same = library.by_id().get(d.id or "", [d])
    if len(same) > 1:
        paths = ", ".join(x.path for x in same)
        raise UsageError(
            f"{d.id} is used by {len(same)} files ({paths}); not editing either",
            hint=f"give one of them a new id first: cxlib renumber {same[-1].path}",
        )
    return d


def open_for_edit(kb: KnowledgeBase, d: LoadedDoc) -> EditableFile:
    """The file's current bytes, refused when it does not read cleanly (conflict markers, bad
    front-matter)."""
    raw = read_document(kb.root, d.path, MAX_FILE_BYTES)
    return EditableFile(raw, d.path)


def normalize_id(text: str) -> str:
    from cxlib.model.ids import ID_RE

    wanted = text.strip().upper()
    if not ID_RE.match(wanted):
        raise UsageError(f"invalid id {text!r}", hint="ids look like EXP-0042")
    return wanted
