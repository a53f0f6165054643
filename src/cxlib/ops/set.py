"""``cxlib set``: change front-matter fields, refused when the result breaks a rule."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from cxlib.errors import UsageError
from cxlib.kb.changes import FileChange, apply, diff
from cxlib.kb.edit import EditableFile
from cxlib.kb.store import KnowledgeBase
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
    if isinstance(value, dict):
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
    if _has_comment(text):
        if quoted:
            raise UsageError(
                f"{key}: text after the closing quote of {raw!r}",
                hint="put the whole value inside the quotes",
            )
        return text  # "3 # about" is text; the schema says whether the field takes text
    return value


def _has_comment(text: str) -> bool:
    """Whether YAML would read part of ``text`` as a comment: a ``#`` at the start or after a
    blank, outside quotes (a quote opens only where a value starts)."""
    quote = ""
    previous = " "
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            escaped = (quote == '"' and ch == "\\") or (quote == "'" and text[i : i + 2] == "''")
            if escaped:
                i, previous = i + 2, "x"
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"" and previous in " \t[{,:":
            quote = ch
        elif ch == "#" and previous in " \t":
            return True
        previous = ch
        i += 1
    return False


def check_field(kind: Kind, key: str) -> None:
    """Refuse keys the kind does not have (and the id, which ``renumber`` changes)."""
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
    if key not in MODELS[kind].model_fields:
        raise UsageError(
            f"an {kind.value} has no field '{key}'", hint=f"see 'cxlib schema {kind.value}'"
        )


def _refuse_structured(key: str, value: Any) -> None:
    """Mappings (``variants`` as records, ``result.variants``) are not written by lines yet:
    say so plainly rather than offer a snippet that would not mean the same."""
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
    ):
        raise UsageError(
            f"'{key}' holds mappings, which 'cxlib set' cannot write yet; nothing was written",
            hint=f"edit '{key}' in the file by hand, as a YAML block (see the README's example)",
        )


def check_transition(d: LoadedDoc, new: str) -> None:
    """Refuse a status move the kind's lifecycle does not allow, naming the way there."""
    valid = statuses(d.kind)
    if new not in valid:
        raise UsageError(
            f"'{new}' is not a status of an {d.kind.value}", hint=f"use one of: {', '.join(valid)}"
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


def set_fields(
    kb: KnowledgeBase,
    doc_id: str,
    assignments: list[str],
    dry_run: bool = False,
    touch: dt.date | None = None,
) -> EditResult:
    """Set ``key=value`` fields (see :func:`parse_value`) of one document, line by line; with
    ``touch``, ``updated:`` becomes that date (unless it is one of the fields set)."""
    if not assignments:
        raise UsageError("nothing to set", hint="give key=value pairs, e.g. confidence=high")
    ids = file_ids(kb)
    d, doc = open_by_id(kb, ids, doc_id)
    library = with_neighbours(ids, d)
    pairs = [parse_assignment(a) for a in assignments]
    for key, value in pairs:
        check_field(d.kind, key)
        _refuse_structured(key, value)
        if key == "status":
            check_transition(d, str(value))
    after = doc.raw
    for key, value in pairs:
        after = EditableFile(after, d.path).set_value(key, value)
    if "updated" not in dict(pairs):
        after = touched(doc.raw, after, d.path, touch)
    changed, patch = write_edits(kb, d, doc, after, "with those values", dry_run, library)
    values = dict(pairs)
    if not changed:
        message = f"{d.id} already has those values; nothing to do"
    else:
        verb = "would set" if dry_run else "set"
        message = f"{verb} {', '.join(k for k, _ in pairs)} of {d.id} ({d.path})"
    return EditResult(d.id or "", d.path, changed, message, values, patch)
