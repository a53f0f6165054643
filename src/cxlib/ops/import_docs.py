"""``cxlib import SOURCE FILE…``: another tool's records as documents of the library.

A source reader (:mod:`cxlib.importers`) turns the saved files into documents; the plan
(:mod:`cxlib.importers.plan`) sorts them into created, updated, already imported, near
duplicates and refused; the ids are then reserved in one batch (one scan, under the id lock)
and every file is written, all or nothing (:mod:`cxlib.importers.apply`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxlib.errors import CxError, UsageError
from cxlib.importers import record as records
from cxlib.importers.apply import write_all
from cxlib.importers.plan import Context, Duplicate, ImportPlan, Planned, assign_ids, plan_import
from cxlib.importers.records import Batch, SourceOptions
from cxlib.kb import git
from cxlib.kb.files import scan
from cxlib.kb.id_lock import ids_reserved
from cxlib.kb.journal import refuse_if_pending
from cxlib.kb.store import KnowledgeBase
from cxlib.kb.tuning import collector_paused
from cxlib.model.choices import choice_hint
from cxlib.model.kinds import Kind
from cxlib.model.library import Library
from cxlib.ops.docs import load_library

# Source name -> the module that reads it.
SOURCES = {
    "growthbook": "cxlib.importers.growthbook",
    "statsig": "cxlib.importers.statsig",
    "markdown": "cxlib.importers.markdown",
    "csv": "cxlib.importers.spreadsheet",
    "cxlib": "cxlib.importers.cxlib_export",
}
# Two titles this alike (difflib's ratio of their words) name the same test or finding.
SAME_TITLE = 0.85


@dataclass
class ImportResult:
    source: str
    dry_run: bool
    created: list[dict[str, str]] = field(default_factory=list)  # id, path, ref, title
    updated: list[dict[str, Any]] = field(default_factory=list)  # id, path, ref, changed, kept
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)  # where, reason
    drafts: list[str] = field(default_factory=list)
    unmapped_metrics: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    message: str = ""


def import_documents(
    kb: KnowledgeBase,
    source: str,
    files: list[Path],
    today: dt.date,
    dry_run: bool = False,
    update: bool = False,
    force: bool = False,
    kind: Kind | None = None,
    mapping: tuple[tuple[str, str], ...] = (),
) -> ImportResult:
    """Import the records of ``files`` (saved from ``source``); ``dry_run`` writes nothing."""
    if source not in SOURCES:
        raise UsageError(f"unknown source '{source}'", hint=choice_hint(source, list(SOURCES)))
    if not files:
        raise UsageError("give the files to import", hint=f"cxlib import {source} FILE…")
    reader = importlib.import_module(SOURCES[source])
    options = SourceOptions(kb.config, today, kind, mapping)
    batch: Batch = reader.read(files, options)
    if not dry_run:
        refuse_if_pending(kb.root)
    library = load_library(kb)
    ctx = Context(kb.root, kb.config, library)
    notes: list[str] = []
    near = None if force else _near_finder(kb, library, notes)
    with collector_paused():  # thousands of documents' objects live until the end
        plan = plan_import(ctx, batch, source, update, near)
    if dry_run:
        assign_ids(ctx, plan, _names(kb))
    elif plan.create or plan.update:
        with ids_reserved(kb.root):
            refuse_if_pending(kb.root, holding_ids=True)
            assign_ids(ctx, plan, _names(kb))
            creates = [(_path(kb, p), p.text) for p in plan.create]
            write_all(kb.root, creates, [u.change for u in plan.update])
    if not dry_run and not records.save(kb.root, source, plan.imported):
        notes.append(
            "the import record could not be kept in .cxlib/imports/: a later --update "
            "will keep every field as if edited"
        )
    return _result(kb, plan, batch, dry_run, notes)


def _path(kb: KnowledgeBase, p: Planned) -> str:
    return f"{kb.config.settings(p.kind).folder}/{p.file_name}"


def _names(kb: KnowledgeBase) -> set[str]:
    """Every document file name in the working tree and on every branch (one scan)."""
    names = {Path(f.path).name for f in scan(kb.root, kb.config, signatures=False)[0]}
    folders = [s.folder for s in kb.config.kinds.values()]
    return names | git.file_names_on_refs(kb.root, folders)


def same_title(a: str, b: str) -> bool:
    wa, wb = a.lower().split(), b.lower().split()
    return bool(wa) and difflib.SequenceMatcher(a=wa, b=wb).ratio() >= SAME_TITLE


def _near_finder(
    kb: KnowledgeBase, library: Library, notes: list[str]
) -> Callable[[list[Planned]], list[tuple[Planned, Duplicate]]] | None:
    """The near-duplicates of documents about to be created: the similar index proposes the
    documents most like each (title and hypothesis), and a title this alike decides."""
    if not any(d.id for d in library.docs):
        return None

    def find(planned: list[Planned]) -> list[tuple[Planned, Duplicate]]:
        from cxlib.ops.index import documents, open_index

        def work(reader: Any) -> list[tuple[Planned, Duplicate]]:
            out = []
            for p in planned:
                inc = p.incoming
                texts = {"title": inc.title, "hypothesis": str(inc.fields.get("hypothesis") or "")}
                for hit in reader.similar({**texts, "body": ""}, 3):
                    if same_title(inc.title, hit.title):
                        out.append((p, Duplicate(inc.ref, inc.title, hit.id, hit.title)))
                        break
            return out

        files = documents(kb)
        try:
            found, _report = open_index(kb, documents=len(files)).read(files, work)
        except CxError as e:
            notes.append(f"near-duplicates were not looked for: {e.message}")
            return []
        return list(found)

    return find


def _result(
    kb: KnowledgeBase, plan: ImportPlan, batch: Batch, dry_run: bool, notes: list[str]
) -> ImportResult:
    notes = [*batch.notes, *notes]
    notes += [f"{p.incoming.ref}: {n}" for p in plan.create for n in p.incoming.notes]
    result = ImportResult(plan.source, dry_run, notes=notes)
    result.created = [
        {"id": p.doc_id, "path": _path(kb, p), "ref": p.incoming.ref, "title": p.incoming.title}
        for p in plan.create
    ]
    result.updated = [
        {"id": u.doc_id, "path": u.path, "ref": u.ref, "changed": u.changed, "kept": u.kept}
        for u in plan.update
    ]
    result.unchanged = plan.unchanged
    result.duplicates = [
        {"ref": d.ref, "title": d.title, "like": d.like, "like_title": d.like_title}
        for d in plan.duplicates
    ]
    result.refused = [{"where": r.where, "reason": r.reason} for r in plan.refused]
    result.drafts = plan.drafts
    result.unmapped_metrics = {m: len(refs) for m, refs in sorted(batch.unmapped_metrics.items())}
    verb = "would create" if dry_run else "created"
    result.message = (
        f"{plan.source}: {verb} {len(plan.create)}, "
        f"{'would update' if dry_run else 'updated'} {len(plan.update)}, "
        f"{len(plan.unchanged)} already imported, {len(plan.duplicates)} near-duplicate(s) "
        f"held back, {len(plan.refused)} refused"
        + (f"; {len(plan.drafts)} as drafts" if plan.drafts else "")
    )
    return result
