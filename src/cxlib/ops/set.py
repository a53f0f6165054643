"""``cxlib set``: change front-matter fields, refused when the result breaks a rule."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from cxlib.errors import CxError, UsageError, WriteRefusedError
from cxlib.kb.changes import FileChange, apply, diff
from cxlib.kb.edit import EditableFile, has_comment
from cxlib.kb.store import KnowledgeBase
from cxlib.model.choices import closest
from cxlib.model.documents import MODELS, Result
from cxlib.model.kinds import Kind
from cxlib.model.library import Library, LoadedDoc
from cxlib.model.lifecycle import allowed, move_hint, statuses
from cxlib.ops.docs import file_ids, open_by_id, touched, with_neighbours
from cxlib.ops.guard import check_change


@dataclass
class EditResult:
    id: str
    path: str
    changed: bool
    message: str
    values: dict[str, Any] = field(default_factory=dict)  # the fields set, as written
    diff: str = ""


def parse_assignment(text: str) -> tuple[str, Any]:
    """``key=value`` (or ``parent.key=value``); see :func:`parse_value` for the value."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not re.fullmatch(r"[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?", key):
        raise UsageError(f"expected key=value with a field name as key, got {text!r}")
    value = parse_value(key, raw)
    if isinstance(value, dict) and not any(_record_of(kind, key) for kind in MODELS):
        raise UsageError(f"{key}: set nested fields one by one, e.g. result.outcome=lost")
    return key, value


def parse_value(key: str, raw: str) -> Any:
    """A command-line value: text, unless it clearly is YAML (a number, a date, true/false, a
    ``[a, b]`` list, a quoted string). Never drops text: ``Fix #123`` stays ``Fix #123``, though
    YAML reads `` #`` as the start of a comment.
    """
    from cxlib.kb.yaml_strict import YamlProblem, load

    text = raw.strip()
    if not text:
        return None
    quoted = text.startswith(("'", '"'))
    try:
        value = load(f"v: {text}\n").data["v"]
    except (YamlProblem, TypeError) as e:
        if quoted or text.startswith(("[", "{")):
            raise UsageError(f"{key}: cannot read the value {raw!r}: {e}") from None
        return text  # "a: b" is no YAML value, but it is good text
    if isinstance(value, str) and not quoted:
        return text  # the plain text as typed, comment-like parts included
    if has_comment(text):
        if quoted:
            raise UsageError(
                f"{key}: text after the closing quote of {raw!r}",
                hint="put the whole value inside the quotes",
            )
        return text  # "3 # about" is text; the schema says whether the field takes text
    return value


def check_field(kind: Kind, key: str, declared: Collection[str] = ()) -> None:
    """Refuse keys the kind does not have (and the id, which ``renumber`` changes);
    ``declared``: the fields cxlib.toml adds to the kind."""
    if key == "id":
        raise UsageError("the id is changed with 'cxlib renumber', which also fixes references")
    parent, _, child = key.partition(".")
    if child:
        if kind == Kind.EXPERIMENT and parent == "result" and child in Result.model_fields:
            return
        raise UsageError(
            f"an {kind.value} has no field '{key}'",
            hint="nested fields: result.outcome, result.effect, result.p_value, "
            "result.interval, result.sample_size (experiments)",
        )
    if key not in MODELS[kind].model_fields and key not in declared:
        raise UsageError(
            f"an {kind.value} has no field '{key}'", hint=f"see 'cxlib schema {kind.value}'"
        )


def _record_model(kind: Kind, key: str) -> type[BaseModel] | None:
    """The model of the records the list field ``key`` holds (``variants``: ``Variant``,
    ``result.variants``: ``VariantResult``), read from the document model; None for any other
    field."""
    parent, _, child = key.partition(".")
    fields = Result.model_fields if child else MODELS[kind].model_fields
    info = fields.get(child or parent)
    return next(_item_models(info.annotation), None) if info is not None else None


def _item_models(annotation: Any, in_list: bool = False) -> Iterator[type[BaseModel]]:
    """The models among the items of the list ``annotation`` stands for, through ``| None``,
    unions and ``Annotated``."""
    plain = get_origin(annotation) is None and isinstance(annotation, type)
    if in_list and plain and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _item_models(arg, in_list or get_origin(annotation) is list)


def _records_fields(kind: Kind) -> list[str]:
    keys = list(MODELS[kind].model_fields)
    if kind == Kind.EXPERIMENT:
        keys += [f"result.{k}" for k in Result.model_fields]
    return [k for k in keys if _record_model(kind, k) is not None]


def _structured(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
    )


def _record_of(kind: Kind, key: str) -> type[BaseModel] | None:
    """The model of the one record a top-level field may hold (``decision_rule``:
    ``DecisionRule``), else None."""
    info = MODELS[kind].model_fields.get(key)
    if info is None or key == "result":  # result's fields are set one by one (result.outcome=…)
        return None
    return next(_models(info.annotation), None)


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """The models ``annotation`` may be itself (not as a list's items)."""
    if get_origin(annotation) is list:
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models(arg)


def _one_record(kind: Kind, key: str, value: Any) -> dict[str, Any] | None:
    """``value`` as the one record ``key`` takes, its keys in the model's order, written as a
    flow mapping on the key's line; None when ``key`` takes no record or ``value`` is none."""
    model = _record_of(kind, key)
    if model is None or not isinstance(value, dict):
        return None
    order = list(model.model_fields)
    for k, v in value.items():
        if isinstance(v, dict | list):
            raise UsageError(
                f"'{key}': the record field '{k}' takes a single value; nothing was written",
                hint=f"a record's fields: {', '.join(order)}",
            )
    ranked = sorted(value, key=lambda k: order.index(k) if k in order else len(order))
    return {k: value[k] for k in ranked}


def _records_value(kind: Kind, key: str, value: Any) -> list[Any] | None:
    """``value`` as the records to write to ``key`` — each mapping's keys in the model's field
    order, unknown keys last (the schema check names them) — or None when ``value`` is not a
    list of records. Other structured values are refused: a mapping or nested list where the
    field takes none, a record holding a list or a mapping."""
    model = _record_model(kind, key)
    if model is None or not isinstance(value, list) or (value and not _structured(value)):
        if _structured(value):
            fields = ", ".join(_records_fields(kind)) or "none"
            raise UsageError(
                f"'{key}' takes no mappings or nested lists; nothing was written",
                hint=f"fields that hold records (a list of mappings): {fields}",
            )
        return None
    order = list(model.model_fields)
    out: list[Any] = []
    for item in value:
        if isinstance(item, list):
            raise UsageError(f"'{key}' takes records, not nested lists; nothing was written")
        if isinstance(item, dict):
            for k, v in item.items():
                if isinstance(v, dict | list):
                    raise UsageError(
                        f"'{key}': the record field '{k}' takes a single value; nothing was "
                        "written",
                        hint=f"a record's fields: {', '.join(order)}",
                    )
            ranked = sorted(item, key=lambda k: order.index(k) if k in order else len(order))
            item = {k: item[k] for k in ranked}
        out.append(item)
    return out


def check_transition(d: LoadedDoc, new: str) -> None:
    """Refuse a status move the kind's lifecycle does not allow, naming the way there."""
    valid = statuses(d.kind)
    if new not in valid:
        guess = closest(new, valid)
        mean = f"did you mean '{guess}'? " if guess else ""
        raise UsageError(
            f"'{new}' is not a status of an {d.kind.value}",
            hint=f"{mean}use one of: {', '.join(valid)}",
        )
    current = str((d.parsed.data or {}).get("status", ""))
    if current not in valid or current == new or allowed(d.kind, current, new):
        return  # an unknown current status may be corrected to any valid one
    raise UsageError(
        f"an {d.kind.value} cannot move from {current} to {new}",
        hint=move_hint(d.kind, current, new),
    )


def write_edits(
    kb: KnowledgeBase,
    d: LoadedDoc,
    doc: EditableFile,
    after: bytes,
    what: str,
    dry_run: bool,
    library: Library,
) -> tuple[bool, str]:
    """Check the result against the rules, then write it (unless a dry run)."""
    if after == doc.raw:
        return False, ""
    check_change(kb, library, d, after, what)
    changes = [FileChange(d.path, doc.raw, after)]
    if not dry_run:
        apply(kb.root, changes)
    return True, diff(changes)


def _parsed(assignments: list[str]) -> list[tuple[str, Any]]:
    if not assignments:
        raise UsageError("nothing to set", hint="give key=value pairs, e.g. confidence=high")
    return [parse_assignment(a) for a in assignments]


def planned_edit(
    kb: KnowledgeBase,
    d: LoadedDoc,
    doc: EditableFile,
    pairs: list[tuple[str, Any]],
    touch: dt.date | None,
) -> tuple[bytes, list[tuple[str, Any]]]:
    """The bytes of ``doc`` with the fields set, line by line, and the pairs as written;
    refused (:class:`UsageError`) when the kind has no such field or the status cannot move
    there. Nothing is checked against the rules or written here."""
    records: dict[str, list[Any]] = {}
    for key, value in pairs:
        check_field(d.kind, key, kb.config.custom_fields(d.kind))
        record = _one_record(d.kind, key, value)
        if record is not None:
            pairs = [(k, record if k == key else v) for k, v in pairs]
            continue
        found = _records_value(d.kind, key, value)
        if found is not None:
            records[key] = found
        if key == "status":
            check_transition(d, str(value))
    pairs = [(key, records.get(key, value)) for key, value in pairs]
    after = doc.raw
    for key, value in pairs:
        editable = EditableFile(after, d.path)
        if key in records:
            after = editable.set_records(key, records[key])
        else:
            after = editable.set_value(key, value)
    if "updated" not in dict(pairs):
        after = touched(doc.raw, after, d.path, touch)
    return after, pairs


def set_fields(
    kb: KnowledgeBase,
    doc_id: str,
    assignments: list[str],
    dry_run: bool = False,
    touch: dt.date | None = None,
) -> EditResult:
    """Set ``key=value`` fields (see :func:`parse_value`) of one document, line by line; with
    ``touch``, ``updated:`` becomes that date (unless it is one of the fields set)."""
    pairs = _parsed(assignments)
    ids = file_ids(kb)
    d, doc = open_by_id(kb, ids, doc_id)
    library = with_neighbours(ids, d)
    after, pairs = planned_edit(kb, d, doc, pairs, touch)
    changed, patch = write_edits(kb, d, doc, after, "with those values", dry_run, library)
    values = dict(pairs)
    if not changed:
        message = f"{d.id} already has those values; nothing to do"
    else:
        verb = "would set" if dry_run else "set"
        message = f"{verb} {', '.join(k for k, _ in pairs)} of {d.id} ({d.path})"
    return EditResult(d.id or "", d.path, changed, message, values, patch)


@dataclass
class BulkResult:
    matched: list[str]  # the ids the query matched
    changed: list[str]  # the ids whose file changes
    message: str
    diff: str = ""


def set_where(
    kb: KnowledgeBase,
    queries: list[str],
    assignments: list[str],
    dry_run: bool = False,
    touch: dt.date | None = None,
) -> BulkResult:
    """Set ``key=value`` fields of every document the ``queries`` match, all or nothing: each
    edit is planned and checked against the rules first, and when one would break a rule (or
    cannot be made) nothing is written and every refusal is listed."""
    from cxlib.kb.journal import refuse_if_pending
    from cxlib.kb.records import load_records
    from cxlib.query.predicates import compile_where

    pairs = _parsed(assignments)
    refuse_if_pending(kb.root)
    readable = load_records(kb).readable()
    query = compile_where(queries, kb.config, list(Kind), lambda: (r.data or {} for r in readable))
    matched = [r for r in readable if query(r.data or {})]
    ids = file_ids(kb)
    changes: list[FileChange] = []
    refusals: list[str] = []
    done: list[str] = []
    for r in matched:
        doc_id = str((r.data or {}).get("id", r.path))
        try:
            d, doc = open_by_id(kb, ids, doc_id)
            after, _ = planned_edit(kb, d, doc, pairs, touch)
            if after != doc.raw:
                check_change(kb, with_neighbours(ids, d), d, after, "with those values")
                changes.append(FileChange(d.path, doc.raw, after))
                done.append(doc_id)
        except CxError as e:
            said = e.message.replace("; nothing was written", "").replace("\n", "\n    ")
            refusals.append(f"{doc_id} ({r.path}): {said}")
    names = [str((r.data or {}).get("id", r.path)) for r in matched]
    if refusals:
        raise WriteRefusedError(
            f"{len(refusals)} of the {len(matched)} matching documents cannot take those "
            "values; nothing was written:\n" + "\n".join(f"  - {x}" for x in refusals),
            hint="narrow the query (--where) or fix those documents first",
        )
    if not dry_run and changes:
        apply(kb.root, changes)
    return BulkResult(names, done, _bulk_message(pairs, names, done, dry_run), diff(changes))


def _bulk_message(
    pairs: list[tuple[str, Any]], matched: list[str], done: list[str], dry_run: bool
) -> str:
    if not matched:
        return "no document matches the query; nothing to do"
    if not done:
        return f"the {len(matched)} matching documents already have those values; nothing to do"
    verb = "would set" if dry_run else "set"
    same = len(matched) - len(done)
    kept = f" ({same} already had those values)" if same else ""
    return (
        f"{verb} {', '.join(k for k, _ in pairs)} of {len(done)} document"
        f"{'s' if len(done) > 1 else ''}: {', '.join(done)}{kept}"
    )
