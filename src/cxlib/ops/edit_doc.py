"""``cxlib edit``: which file holds a document, and what validate says of it once edited.

The editing itself is the user's editor's (started by :mod:`cxlib.cli.editor`); cxlib never
changes the file, it only names it and checks it against the whole knowledge base.
"""

from __future__ import annotations

import datetime as dt

from cxlib.errors import UsageError
from cxlib.kb.journal import refuse_if_pending
from cxlib.kb.store import KnowledgeBase
from cxlib.ops.docs import normalize_id, paths_of
from cxlib.ops.validate import ValidationReport, validate


def file_to_edit(kb: KnowledgeBase, doc_id: str) -> str:
    """The root-relative path of the one file with this id (refused while a renumber is
    unfinished, or when two files share the id: editing either would hide the other)."""
    refuse_if_pending(kb.root)
    paths = paths_of(kb, doc_id)
    if len(paths) > 1:
        wanted = normalize_id(doc_id)
        raise UsageError(
            f"{wanted} is used by {len(paths)} files ({', '.join(paths)}); not choosing one",
            hint=f"give one of them a new id first: cxlib renumber {paths[-1]}",
        )
    return paths[0]


def check_edited(kb: KnowledgeBase, rel: str, today: dt.date | None) -> ValidationReport:
    """Every rule on the file at ``rel``, its links and id checked against the whole base."""
    return validate(kb, paths=[str(kb.root / rel)], cwd=kb.root, today=today)
