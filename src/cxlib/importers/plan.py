"""What an import does, decided before anything is written: the documents to create (each
rendered and validated), the ones to update, the records already imported, the near-duplicates
and the records refused, each with its reason.

A record is found again by its ``source_ref``: a second import of the same file creates
nothing. ``--update`` changes a field only when the platform owns it and the document still
holds what the last import wrote there (see :mod:`cxlib.importers.record`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxlib.importers import record as records
from cxlib.importers.parallel import render_all
from cxlib.importers.records import Batch, Incoming, Refused
from cxlib.importers.render import document_text, yaml_line
from cxlib.kb.changes import FileChange
from cxlib.kb.edit import EditableFile, EditRefusedError
from cxlib.kb.parse import parse_bytes
from cxlib.model.checks import check_document
from cxlib.model.config import ProgramConfig
from cxlib.model.findings import Severity
from cxlib.model.ids import ID_RE, format_id, id_from_filename, slugify
from cxlib.model.kinds import Kind
from cxlib.model.library import Library, LoadedDoc
from cxlib.model.vocabulary import STATUS_ENUMS

# The id a document is rendered and checked with before the lock gives it its real one.
_PROVISIONAL = 999_999_999


@dataclass
class Planned:
    """A document to create: its id is final once :func:`assign_ids` ran."""

    incoming: Incoming
    kind: Kind
    doc_id: str
    name: str  # the file name after the id: "-fit-finder.md"
    text: bytes
    kept_id: bool = False  # the source's own id (a cxlib export)

    @property
    def file_name(self) -> str:
        return self.doc_id + self.name


@dataclass
class Update:
    ref: str
    doc_id: str
    path: str
    changed: list[str]  # fields rewritten
    kept: list[str]  # fields the platform changed but the document's user edited since
    change: FileChange


@dataclass(frozen=True)
class Duplicate:
    ref: str
    title: str
    like: str  # the existing document's id
    like_title: str


@dataclass
class ImportPlan:
    source: str
    create: list[Planned] = field(default_factory=list)
    update: list[Update] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # "growthbook:exp_1 (EXP-0004)"
    duplicates: list[Duplicate] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)  # "growthbook:exp_1: reason"
    imported: dict[str, dict[str, str]] = field(default_factory=dict)  # the record to keep


@dataclass(frozen=True)
class Context:
    """What planning reads once: the base's documents, the config, the root."""

    root: Path
    config: ProgramConfig
    library: Library

    def by_ref(self) -> dict[str, LoadedDoc]:
        out: dict[str, LoadedDoc] = {}
        for d in self.library.docs:
            ref = (d.parsed.data or {}).get("source_ref")
            if isinstance(ref, str):
                out.setdefault(ref, d)
        return out


def plan_import(
    ctx: Context,
    batch: Batch,
    source: str,
    update: bool,
    near: Callable[[list[Planned]], list[tuple[Planned, Duplicate]]] | None,
) -> ImportPlan:
    """Sort every record of ``batch`` into created, updated, unchanged, duplicate or refused.
    ``near`` finds near-duplicates of the documents to create (None: ``--force``)."""
    plan = ImportPlan(source, refused=list(batch.refused))
    kept = records.load(ctx.root, source)
    plan.imported = dict(kept)
    existing = ctx.by_ref()
    ids = ctx.library.by_id()
    seen: set[str] = set()
    fresh: list[Incoming] = []
    for inc in batch.incoming:
        if inc.ref in seen:
            plan.refused.append(Refused(inc.ref, "the same record appears twice in the input"))
            continue
        seen.add(inc.ref)
        found = existing.get(inc.ref)
        if found is not None:
            if update:
                _plan_update(ctx, plan, inc, found, kept.get(inc.ref))
            else:
                plan.unchanged.append(f"{inc.ref} ({found.id})")
            continue
        if inc.doc_id is not None and inc.doc_id in ids:
            _kept_id_taken(ctx, plan, inc, ids[inc.doc_id][0])
            continue
        fresh.append(inc)
    for planned, refused, drafted_why in render_all(ctx, fresh, render_one):
        if planned is not None:
            plan.create.append(planned)
        if refused is not None:
            plan.refused.append(refused)
        if drafted_why is not None:
            plan.drafts.append(drafted_why)
    if near is not None and plan.create:
        found_near = near(plan.create)
        duplicated = {id(p) for p, _ in found_near}
        plan.duplicates = [d for _, d in found_near]
        plan.create = [p for p in plan.create if id(p) not in duplicated]
    for p in plan.create:
        plan.imported[p.incoming.ref] = records.hashes(p.incoming)
    return plan


def _kept_id_taken(ctx: Context, plan: ImportPlan, inc: Incoming, doc: LoadedDoc) -> None:
    """A kept id already used: the same file imported before, or a refusal."""
    if inc.text is not None and _read(ctx.root / doc.path) == inc.text:
        plan.unchanged.append(f"{inc.ref} ({doc.id})")
        return
    plan.refused.append(Refused(inc.ref, f"{inc.doc_id} is already used by {doc.path}"))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _kind_problem(ctx: Context, inc: Incoming) -> str | None:
    if inc.doc_id is None:
        return None
    m = ID_RE.match(inc.doc_id)
    if m and ctx.config.kind_for_prefix(m.group(1)) == inc.kind:
        return None
    return f"{inc.doc_id} is not an id of a {inc.kind.value}"


Rendered = tuple[Planned | None, Refused | None, str | None]  # planned, refused, drafted why


def render_one(ctx: Context, inc: Incoming) -> Rendered:
    """The document rendered and validated, as a draft when its status needs what the source
    lacks; else the reason it cannot be valid."""
    problem = _kind_problem(ctx, inc)
    if problem is not None:
        return None, Refused(inc.ref, problem), None
    settings = ctx.config.settings(inc.kind)
    doc_id = inc.doc_id or format_id(settings.prefix, _PROVISIONAL, settings.digits)
    name = _name(inc, doc_id)
    rel = f"{settings.folder}/{doc_id}{name}"
    text = inc.text if inc.text is not None else _text(ctx, inc, doc_id)
    problem = _first_error(ctx, inc.kind, rel, text)
    drafted_why = None
    if problem is not None and inc.text is None:
        first = next(iter(STATUS_ENUMS[inc.kind])).value
        if inc.fields.get("status") not in (None, first):
            drafted = as_draft(inc, first)
            text = _text(ctx, drafted, doc_id)
            if _first_error(ctx, inc.kind, rel, text) is None:
                inc, drafted_why, problem = drafted, f"{inc.ref}: {problem}", None
    if problem is not None:
        return None, Refused(inc.ref, f"would not be valid: {problem}"), None
    planned = Planned(inc, inc.kind, doc_id, name, text, kept_id=inc.doc_id is not None)
    return planned, None, drafted_why


# What a first status cannot hold yet: kept in the body until the document can move on.
LATER_FIELDS = ("result", "decision", "decision_rationale", "end")


def as_draft(inc: Incoming, first: str) -> Incoming:
    """``inc`` in its kind's first status; the fields only a later status may hold are written
    into its Results section, as YAML to move back when it gets there."""
    later = {k: inc.fields[k] for k in LATER_FIELDS if k in inc.fields}
    fields = {k: v for k, v in inc.fields.items() if k not in later}
    fields["status"] = first
    sections = dict(inc.sections)
    if later:
        lines = "\n".join(yaml_line(k, v) for k, v in later.items())
        kept = (
            f"From {inc.ref}, {inc.fields.get('status')} there; to record once the "
            f"document can move past {first}:\n\n```yaml\n{lines}\n```"
        )
        sections["Results"] = "\n\n".join(s for s in (sections.get("Results"), kept) if s)
    return dataclasses.replace(inc, fields=fields, sections=sections)


def _name(inc: Incoming, doc_id: str) -> str:
    """The file name after the id: the source's (a cxlib export), else the title's slug."""
    if inc.file_name and id_from_filename(inc.file_name) == doc_id:
        return inc.file_name[len(doc_id) :]
    slug = slugify(inc.title) or slugify(inc.ref.partition(":")[2]) or "imported"
    return f"-{slug}.md"


def _text(ctx: Context, inc: Incoming, doc_id: str) -> bytes:
    return document_text(ctx.root, inc, doc_id).encode("utf-8")


def _first_error(ctx: Context, kind: Kind, rel: str, text: bytes) -> str | None:
    checked = check_document(rel, kind, parse_bytes(text), ctx.config)
    errors = [f for f in checked.findings if f.severity == Severity.ERROR]
    return errors[0].message if errors else None


def assign_ids(ctx: Context, plan: ImportPlan, names: set[str]) -> None:
    """Give every new document without a kept id the next free number of its kind, past every
    file name in ``names`` (the working tree and every branch, read under the id lock)."""
    highest: dict[Kind, int] = {}
    for kind in Kind:
        prefix = ctx.config.settings(kind).prefix
        numbers = [_number(n, prefix) for n in names]
        numbers += [_number(p.file_name, prefix) for p in plan.create if p.kept_id]
        highest[kind] = max([0, *numbers])
    for p in plan.create:
        if p.kept_id:
            continue
        settings = ctx.config.settings(p.kind)
        highest[p.kind] += 1
        new_id = format_id(settings.prefix, highest[p.kind], settings.digits)
        old = f"id: {p.doc_id}"
        p.text = p.text.replace(old.encode(), f"id: {new_id}".encode(), 1)
        p.doc_id = new_id


def _number(name: str, prefix: str) -> int:
    doc_id = id_from_filename(name)
    if doc_id is None or not doc_id.startswith(prefix + "-"):
        return 0
    return int(doc_id.rsplit("-", 1)[1])


# -- --update ---------------------------------------------------------------------------------


def _plan_update(
    ctx: Context, plan: ImportPlan, inc: Incoming, doc: LoadedDoc, last: dict[str, str] | None
) -> None:
    """Rewrite the fields the platform owns and changed, where the document still holds what
    the last import wrote (a field without a record of it counts as edited). A change the
    document's status cannot hold yet is made as for a new document: as a draft."""
    raw = (ctx.root / doc.path).read_bytes()
    target = inc
    try:
        after, changed, kept = _updated(doc, raw, target, last)
        if changed and _first_error(ctx, doc.kind, doc.path, after) is not None:
            target = as_draft(inc, next(iter(STATUS_ENUMS[inc.kind])).value)
            after, changed, kept = _updated(doc, raw, target, last)
    except EditRefusedError as e:
        plan.refused.append(Refused(inc.ref, f"{doc.path}: {e.message}"))
        return
    problem = _first_error(ctx, doc.kind, doc.path, after) if changed else None
    if problem is not None:
        plan.refused.append(
            Refused(inc.ref, f"{doc.path}: the update would not be valid: {problem}")
        )
        return
    now = records.hashes(target)
    plan.imported[inc.ref] = {**(last or {}), **{k: now[k] for k in changed if k in now}}
    if changed or kept:
        change = FileChange(doc.path, raw, after)
        plan.update.append(Update(inc.ref, doc.id or "", doc.path, changed, kept, change))
    else:
        plan.unchanged.append(f"{inc.ref} ({doc.id})")


def _updated(
    doc: LoadedDoc, raw: bytes, target: Incoming, last: dict[str, str] | None
) -> tuple[bytes, list[str], list[str]]:
    """The document with ``target``'s owned fields set where nobody edited them; the fields
    changed and those kept."""
    data = doc.parsed.data or {}
    now = records.hashes(target)
    after = raw
    changed: list[str] = []
    kept: list[str] = []
    for name in target.owned:
        if name not in target.fields or records.digest(data.get(name)) == now.get(name):
            continue
        if last is None or records.digest(data.get(name)) != last.get(name):
            kept.append(name)
            continue
        after = _set(EditableFile(after, doc.path), name, target.fields[name])
        changed.append(name)
    return after, changed, kept


def _set(doc: EditableFile, name: str, value: Any) -> bytes:
    if isinstance(value, dict):
        for key, item in value.items():
            doc = EditableFile(_set_one(doc, f"{name}.{key}", item), doc.label)
        return doc.raw
    return _set_one(doc, name, value)


def _set_one(doc: EditableFile, path: str, value: Any) -> bytes:
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return doc.set_records(path, value)
    return doc.set_value(path, value)
