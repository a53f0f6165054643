"""``cxlib unlink``: remove a typed link from the document that stores it."""

from __future__ import annotations

import datetime as dt

from cxlib.errors import UnknownIdError, UsageError
from cxlib.kb.changes import FileChange, apply, diff
from cxlib.kb.edit import EditableFile
from cxlib.kb.store import KnowledgeBase
from cxlib.model.relations import Relation, answers_to, targets_of
from cxlib.ops.docs import file_ids, normalize_id, open_by_id, touched
from cxlib.ops.link import LinkResult, choose_relation


def _holds(doc: EditableFile, relation: Relation, tid: str) -> bool:
    value = doc.data.get(relation.field)
    return value == tid if relation.single else isinstance(value, list) and tid in value


def unlink_documents(
    kb: KnowledgeBase,
    source_id: str,
    target_id: str,
    rel: str | None = None,
    dry_run: bool = False,
    touch: dt.date | None = None,
) -> LinkResult:
    """Remove the link ``source -> target`` from every field of ``source`` that holds it (only
    ``--rel``'s field when given). A target that no longer exists may still be unlinked, so a
    broken link can be cleaned up; a link that is not there is a no-op."""
    ids = file_ids(kb)
    tid = normalize_id(target_id)
    if tid == normalize_id(source_id):
        raise UsageError(f"{tid} cannot link to itself, so there is nothing to unlink")
    source, doc = open_by_id(kb, ids, source_id)
    matches = ids.get(tid)
    if matches:
        kind = matches[0].kind
        choose_relation(source.kind, source.id or "", kind, tid, rel)  # refuses what cannot be
        relations = [r for r in targets_of(source.kind) if r.target == kind]
        if rel is not None:
            relations = [r for r in relations if answers_to(r, rel)]
    else:
        # The target is gone: a broken link may still be removed from whichever field holds it.
        relations = [r for r in targets_of(source.kind) if _holds(doc, r, tid)]
        if rel is not None:
            relations = [r for r in relations if answers_to(r, rel)]
        if not relations:
            raise UnknownIdError(f"unknown id '{tid}'", hint="see 'cxlib list'")
    present = [r for r in relations if _holds(doc, r, tid)]
    result = LinkResult(
        source=source.id or "",
        target=tid,
        field=", ".join(r.field for r in present) or relations[0].field,
        relation=", ".join(r.flow for r in present),
        path=source.path,
        changed=False,
        message="",
    )
    mentions = [line for t, line in doc.parsed.wiki_links if t.upper() == tid]
    if mentions:
        where = ", ".join(str(n) for n in mentions)
        result.notes.append(
            f"the body of {source.id} still mentions [[{tid}]] (line {where}); not changed"
        )
    if not present:
        result.message = f"{source.id} does not link to {tid}; nothing to do"
        return result
    after = doc.raw
    for r in present:
        current = EditableFile(after, source.path)
        after = current.set_value(r.field, None) if r.single else current.remove_item(r.field, tid)
    after = touched(doc.raw, after, source.path, touch)
    changes = [FileChange(source.path, doc.raw, after)]
    result.changed = True
    result.diff = diff(changes)
    verb = "would unlink" if dry_run else "unlinked"
    result.message = f"{verb} {source.id} -> {tid} from '{result.field}'"
    if not dry_run:
        apply(kb.root, changes)
    return result
