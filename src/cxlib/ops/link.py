"""``cxlib link``: add a typed link, stored on the first document in the field the kinds give."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from cxlib.errors import UnknownIdError, UsageError
from cxlib.kb.changes import FileChange, apply, diff
from cxlib.kb.store import KnowledgeBase
from cxlib.model.kinds import Kind
from cxlib.model.relations import Relation, relation_named, relations_between, targets_of
from cxlib.ops.docs import file_ids, normalize_id, open_by_id, touched


@dataclass
class LinkResult:
    source: str
    target: str
    field: str
    relation: str
    path: str
    changed: bool
    message: str
    notes: list[str] = dataclasses.field(default_factory=list)
    diff: str = ""


def _offered(kind: Kind) -> str:
    return ", ".join(f"{r.target.value} ({r.field})" for r in targets_of(kind))


def choose_relation(
    source: Kind, source_id: str, target: Kind, target_id: str, rel: str | None
) -> Relation:
    """The relation a link from ``source`` to ``target`` stands for; refused when the kinds do
    not allow one (with the command that stores it on the other side, when that exists)."""
    options = relations_between(source, target)
    if not options:
        reverse = relations_between(target, source)
        hint = (
            f"the link is stored on the {target.value}: cxlib link {target_id} {source_id}"
            if reverse
            else f"an {source.value} links to: {_offered(source)}"
        )
        raise UsageError(
            f"an {source.value} cannot link to an {target.value} ({source_id} -> {target_id})",
            hint=hint,
        )
    if rel is None:
        return options[0]
    chosen = relation_named(source, target, rel)
    if chosen is None:
        names = ", ".join(f"{r.field} ({r.flow})" for r in options)
        raise UsageError(
            f"--rel {rel}: an {source.value} links to an {target.value} only as: {names}"
        )
    return chosen


def link_documents(
    kb: KnowledgeBase,
    source_id: str,
    target_id: str,
    rel: str | None = None,
    dry_run: bool = False,
    touch: dt.date | None = None,
) -> LinkResult:
    """Add the link ``source -> target``; a link that already exists is a no-op. With
    ``touch``, the source's ``updated:`` becomes that date."""
    ids = file_ids(kb)
    tid = normalize_id(target_id)
    if tid == normalize_id(source_id):
        raise UsageError(f"{tid} cannot link to itself")
    source, doc = open_by_id(kb, ids, source_id)
    targets = ids.get(tid)
    if not targets:
        raise UnknownIdError(f"link target {tid} does not exist", hint="see 'cxlib list'")
    relation = choose_relation(source.kind, source.id or "", targets[0].kind, tid, rel)
    result = LinkResult(
        source=source.id or "",
        target=tid,
        field=relation.field,
        relation=relation.flow,
        path=source.path,
        changed=False,
        message="",
    )
    current = doc.data.get(relation.field)
    if relation.single:
        if current == tid:
            result.message = f"{source.id} already names {tid} in '{relation.field}'; nothing to do"
            return result
        if current not in (None, ""):
            raise UsageError(
                f"{source.id} already names {current} in '{relation.field}' (one value only); "
                "not replacing it",
                hint=f"first: cxlib unlink {source.id} {current}",
            )
        after = doc.set_value(relation.field, tid)
    else:
        if isinstance(current, list) and tid in current:
            result.message = f"{source.id} already lists {tid} in '{relation.field}'; nothing to do"
            return result
        after = doc.add_item(relation.field, tid)
    after = touched(doc.raw, after, source.path, touch)
    changes = [FileChange(source.path, doc.raw, after)]
    result.changed = True
    result.diff = diff(changes)
    verb = "would link" if dry_run else "linked"
    result.message = f"{verb} {source.id} -> {tid} in '{relation.field}' ({relation.flow})"
    if not dry_run:
        apply(kb.root, changes)
    return result
