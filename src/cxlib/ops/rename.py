"""``cxlib rename metric|stage|touchpoint|team|segment OLD NEW``: the program's vocabulary
changes, and ``cxlib.toml`` and every document that names the old id follow.

Every edit changes one value on one line, keeping its quoting, and is verified by reading the
file again: the front-matter (or the TOML) must equal the old one with exactly those values
replaced, or nothing is written. All edits are computed first, then written journaled, as
``renumber``'s are (:mod:`cxlib.kb.recovery`): a rename that is killed or fails midway is
finished with ``--resume`` or undone with ``--rollback``.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from cxlib.errors import UsageError, WriteRefusedError
from cxlib.kb import journal as journals
from cxlib.kb import recovery
from cxlib.kb.changes import FileChange, diff
from cxlib.kb.config_file import CONFIG_NAME
from cxlib.kb.files import read_document
from cxlib.kb.id_lock import ids_reserved
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.kb.store import KnowledgeBase
from cxlib.model.choices import choice_hint
from cxlib.model.config import ProgramConfig
from cxlib.model.kinds import Kind

# What can be renamed: the cxlib.toml table and key that define it, and the document fields that
# name it (a "*" steps into every record of a list).
WHAT = ("metric", "stage", "touchpoint", "team", "segment")
DOCUMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "metric": ("primary_metric", "guardrail_metrics", "kpis", "result.guardrails.*.metric"),
    "stage": ("stage",),
    "touchpoint": ("touchpoint",),
    "team": ("team",),
    "segment": ("segments",),
}
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class RenameResult:
    what: str
    old: str
    new: str
    files: list[str] = field(default_factory=list)  # files changed, cxlib.toml first
    references: int = 0  # values rewritten in documents
    notes: list[str] = field(default_factory=list)
    diff: str = ""
    message: str = ""


def existing(config: ProgramConfig, what: str) -> list[str]:
    """The ids of ``what`` that cxlib.toml defines."""
    if what == "metric":
        return [m.id for m in config.metrics]
    if what == "stage":
        return [s.id for s in config.journey]
    if what == "touchpoint":
        return list(dict.fromkeys(t for s in config.journey for t in s.touchpoints))
    if what == "team":
        return [t.id for t in config.teams]
    return [s.id for s in config.segments]


def _check(config: ProgramConfig, what: str, old: str, new: str) -> None:
    if what not in WHAT:
        raise UsageError(f"cannot rename a '{what}'", hint=choice_hint(what, WHAT))
    known = existing(config, what)
    if old not in known:
        raise UsageError(f"'{old}' is not a {what} of cxlib.toml", hint=choice_hint(old, known))
    if new in known:
        raise UsageError(f"'{new}' is already a {what} of cxlib.toml; nothing was written")
    if not _SLUG.match(new) or len(new) > 64:
        raise UsageError(
            f"'{new}' is no {what} id: lower-case letters, digits and '-', at most 64",
            hint=f"e.g. {re.sub(r'[^a-z0-9-]+', '-', new.lower()).strip('-') or 'new-id'}",
        )


def rename(kb: KnowledgeBase, what: str, old: str, new: str, dry_run: bool = False) -> RenameResult:
    """Rename ``old`` to ``new`` in cxlib.toml and in every document that names it."""
    _check(kb.config, what, old, new)
    journals.refuse_if_pending(kb.root)
    with nullcontext() if dry_run else ids_reserved(kb.root):
        if not dry_run:
            journals.refuse_if_pending(kb.root, holding_ids=True)
        result, changes = _plan(kb, what, old, new)
        if not dry_run:
            title = f"{what} {old} -> {new}"
            recovery.apply_journaled(kb.root, journals.Journal("rename", title, tuple(changes)))
    verb = "would rename" if dry_run else "renamed"
    result.message = (
        f"{verb} {what} {old} -> {new}: cxlib.toml and {result.references} reference(s) in "
        f"{len(result.files) - 1} document(s)"
    )
    return result


def _plan(
    kb: KnowledgeBase, what: str, old: str, new: str
) -> tuple[RenameResult, list[FileChange]]:
    from cxlib.kb.records import load_records

    result = RenameResult(what, old, new)
    config_raw = (kb.root / CONFIG_NAME).read_bytes()
    changes = [FileChange(CONFIG_NAME, config_raw, rename_in_config(config_raw, what, old, new))]
    fields = DOCUMENT_FIELDS[what]
    for r in load_records(kb).records:
        if r.data is None:
            continue  # validate reports it; a mention in it cannot be edited safely
        if not any(_places(r.data, f.split("."), old, ()) for f in fields):
            continue
        raw = read_document(kb.root, r.path, MAX_FILE_BYTES)
        after, count = rename_in_document(raw, r.path, fields, old, new)
        if count:
            changes.append(FileChange(r.path, raw, after))
            result.references += count
    result.files = [c.path for c in changes]
    if kb.config.queries and any(old in " ".join(q.queries()) for q in kb.config.queries.values()):
        result.notes.append(
            f"a saved query of cxlib.toml mentions '{old}': its text is not changed; check it"
        )
    result.diff = diff(changes)
    return result, changes


# -- documents --------------------------------------------------------------------------------


def _places(data: Any, parts: list[str], old: str, at: tuple[str | int, ...]) -> list[Any]:
    """The paths (key, index...) under ``data`` along ``parts`` whose value is ``old``."""
    if not parts:
        if data == old:
            return [at]
        if isinstance(data, list):
            return [(*at, i) for i, v in enumerate(data) if v == old]
        return []
    head, rest = parts[0], parts[1:]
    if head == "*":
        if not isinstance(data, list):
            return []
        return [p for i, v in enumerate(data) for p in _places(v, rest, old, (*at, i))]
    if isinstance(data, dict) and head in data:
        return _places(data[head], rest, old, (*at, head))
    return []


def rename_in_document(
    raw: bytes, label: str, fields: tuple[str, ...], old: str, new: str
) -> tuple[bytes, int]:
    """``raw`` with every value ``old`` of ``fields`` made ``new``, on its own line, and how
    many; refused when the file cannot be edited so or reads back otherwise."""
    parsed = parse_bytes(raw)
    if parsed.data is None or parsed.problems:
        raise WriteRefusedError(f"{label} cannot be read cleanly; nothing was written")
    places = [p for f in fields for p in _places(parsed.data, f.split("."), old, ())]
    if not places:
        return raw, 0
    lines = raw.split(b"\n")
    expected = copy.deepcopy(parsed.data)
    for path in sorted(places, key=lambda p: _position(parsed.locations, p), reverse=True):
        line, column = _position(parsed.locations, path)
        lines[line] = _replaced(lines[line], column, path[-1], old, new, label, line)
        _set(expected, path, new)
    after = b"\n".join(lines)
    again = parse_bytes(after)
    if again.problems or again.data != expected:
        raise WriteRefusedError(
            f"{label}: cannot rename {old} there line by line; nothing was written",
            hint=f"change it by hand, then run the rename again (it finds no '{old}' there)",
        )
    return after, len(places)


def _position(locations: Any, path: tuple[str | int, ...]) -> tuple[int, int]:
    loc = locations[".".join(str(p) for p in path)]
    return loc.line - 1, loc.column - 1


def _replaced(
    text: bytes, column: int, last: str | int, old: str, new: str, label: str, line: int
) -> bytes:
    """The line with the value at ``column`` replaced: a list item starts there; a key's value
    follows its colon."""
    decoded = text.decode("utf-8")
    start = column
    if isinstance(last, str):
        m = re.compile(re.escape(last) + r"""["']?\s*:\s*""").match(decoded, column)
        if m is None:
            raise WriteRefusedError(f"{label}:{line + 1}: cannot find the value of {last}")
        start = m.end()
    for token in (old, f'"{old}"', f"'{old}'"):
        end = start + len(token)
        if decoded.startswith(token, start) and not re.match(
            r"[A-Za-z0-9_-]", decoded[end : end + 1]
        ):
            quote = token[0] if token[0] in "\"'" else ""
            return (decoded[:start] + quote + new + quote + decoded[end:]).encode("utf-8")
    raise WriteRefusedError(f"{label}:{line + 1}: cannot rewrite {old} there; nothing was written")


def _set(data: Any, path: tuple[str | int, ...], value: str) -> None:
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = value


# -- cxlib.toml -------------------------------------------------------------------------------

# Where cxlib.toml defines or names each kind of id: (array-of-tables or table, key).
CONFIG_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "metric": (("metrics", "id"), ("metrics", "kpi"), ("program", "north_star")),
    "stage": (("journey", "id"),),
    "touchpoint": (("journey", "touchpoints"),),
    "team": (("teams", "id"),),
    "segment": (("segments", "id"),),
}
_HEADER = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?")


def rename_in_config(raw: bytes, what: str, old: str, new: str) -> bytes:
    """cxlib.toml with ``old`` made ``new`` where it defines or names the ``what``, line by
    line; verified by reading both versions (nothing else may change)."""
    text = raw.decode("utf-8-sig")
    bom = raw[: len(raw) - len(text.encode("utf-8"))]
    places = CONFIG_PLACES[what]
    lines = text.split("\n")
    table = ""
    in_array = ""  # the key of a multi-line array being read
    depth = 0  # its brackets open so far
    for n, line in enumerate(lines):
        header = _HEADER.match(line)
        if header and not in_array:
            table = header.group(1)
            continue
        key = in_array or _key(line)
        if (table, key) in places:
            lines[n] = _quoted(line, old, new, whole_line=bool(in_array) or key != "touchpoints")
        elif table == "journey" and what == "metric" and key in ("metrics", "touchpoints"):
            # a stage's KPIs, and a touchpoint table's metrics and targets (see Touchpoint)
            lines[n] = _bare_key(_quoted(line, old, new, whole_line=bool(in_array)), old, new)
        if key == "touchpoints":  # a multi-line array lasts until its brackets close
            depth += _brackets(line if in_array else line[line.index("=") + 1 :])
            in_array = key if depth > 0 else ""
    before_data = tomllib.loads(text)
    if what == "metric":
        lines = _record_former(lines, [*_former(before_data, old), old], new)
    after = "\n".join(lines)
    expected = _expected_config(before_data, what, old, new)
    if tomllib.loads(after) != expected:
        raise WriteRefusedError(
            f"{CONFIG_NAME}: cannot rename {old} there line by line; nothing was written",
            hint=f"rename it in {CONFIG_NAME} by hand, then run the rename again",
        )
    return bom + after.encode("utf-8")


def _former(data: dict[str, Any], metric: str) -> list[str]:
    """The ids the metric had before, as cxlib.toml records them."""
    for m in data.get("metrics") or []:
        if isinstance(m, dict) and m.get("id") == metric:
            return [str(f) for f in m.get("renamed_from") or []]
    return []


def _record_former(lines: list[str], former: list[str], metric: str) -> list[str]:
    """``renamed_from = [...]`` in the metrics table whose id is now ``metric``: its line
    rewritten, or one added under the id (the pre-registration lock reads it)."""
    record = f"renamed_from = {json.dumps(former)}"
    start = end = None
    for n, line in enumerate(lines):
        if _HEADER.match(line):
            if start is not None:
                end = n
                break
            continue
        if _key(line) == "id" and re.search(r"""(["'])""" + re.escape(metric) + r"\1", line):
            start = n
    if start is None:
        return lines  # verified below: the expected config will not match
    block = range(start, end if end is not None else len(lines))
    for n in block:
        if _key(lines[n]) == "renamed_from":
            if "]" not in lines[n]:
                return lines  # a multi-line array: refused by the verification
            indent = lines[n][: len(lines[n]) - len(lines[n].lstrip())]
            return [*lines[:n], indent + record, *lines[n + 1 :]]
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    return [*lines[: start + 1], indent + record, *lines[start + 1 :]]


def _key(line: str) -> str:
    m = re.match(r"^\s*([A-Za-z0-9_-]+)\s*=", line)
    return m.group(1) if m else ""


def _quoted(line: str, old: str, new: str, whole_line: bool) -> str:
    """``"old"`` (or ``'old'``) made ``new`` in the value part of ``line``."""
    start = 0 if whole_line else line.index("=") + 1
    code, comment = _split_comment(line[start:])
    code = re.sub(
        r"""(["'])""" + re.escape(old) + r"\1", lambda m: m.group(1) + new + m.group(1), code
    )
    return line[:start] + code + comment


def _brackets(text: str) -> int:
    """How many more ``[`` than ``]`` the code of ``text`` holds (quoted text and a comment
    aside)."""
    code, _ = _split_comment(text)
    code = re.sub(r""""[^"]*"|'[^']*'""", "", code)
    return code.count("[") - code.count("]")


def _bare_key(line: str, old: str, new: str) -> str:
    """``old = `` made ``new = `` as an inline table's bare key (a touchpoint's targets)."""
    code, comment = _split_comment(line)
    pattern = r"(?<=[{,])(\s*)" + re.escape(old) + r"(?=\s*=)"
    return re.sub(pattern, lambda m: m.group(1) + new, code) + comment


def _split_comment(text: str) -> tuple[str, str]:
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            return text[:i], text[i:]
    return text, ""


def _expected_config(data: dict[str, Any], what: str, old: str, new: str) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for table, key in CONFIG_PLACES[what]:
        value = out.get(table)
        for item in value if isinstance(value, list) else [value]:
            if not isinstance(item, dict) or key not in item:
                continue
            if item[key] == old:
                item[key] = new
            elif isinstance(item[key], list):
                item[key] = [new if v == old else v for v in item[key]]
    if what == "metric":
        for m in out.get("metrics") or []:
            if isinstance(m, dict) and m.get("id") == new:
                m["renamed_from"] = [*m.get("renamed_from", []), old]
    for stage in out.get("journey") or []:
        if isinstance(stage, dict):
            _expected_stage(stage, what, old, new)
    return out


def _expected_stage(stage: dict[str, Any], what: str, old: str, new: str) -> None:
    """A stage's KPIs and touchpoint tables ({id, name, metrics, targets}) renamed."""
    if what == "metric" and isinstance(stage.get("metrics"), list):
        stage["metrics"] = [new if m == old else m for m in stage["metrics"]]
    for i, tp in enumerate(stage.get("touchpoints") or []):
        if not isinstance(tp, dict):
            continue
        if what == "touchpoint" and tp.get("id") == old:
            stage["touchpoints"][i] = tp = {**tp, "id": new}
        if what == "metric" and isinstance(tp.get("metrics"), list):
            tp["metrics"] = [new if m == old else m for m in tp["metrics"]]
        if what == "metric" and isinstance(tp.get("targets"), dict):
            tp["targets"] = {new if k == old else k: v for k, v in tp["targets"].items()}


# -- recovery ---------------------------------------------------------------------------------


def recover(kb: KnowledgeBase, action: str) -> RenameResult:
    """Finish (``resume``) or undo (``rollback``) a rename that was interrupted or failed."""
    pending = journals.load(kb.root)
    if pending is not None and pending.command != "rename":
        raise UsageError(
            f"the unfinished change is a {pending.command}, not a rename",
            hint=f"cxlib {pending.command} --{action}",
        )
    with ids_reserved(kb.root):
        done = recovery.resume(kb.root) if action == "resume" else recovery.rollback(kb.root)
    what, _, rest = done.journal.title.partition(" ")
    old, _, new = rest.partition(" -> ")
    result = RenameResult(what, old, new, [c.path for c in done.journal.changes])
    others = done.files - done.written - len(done.left)
    result.notes = [f"{x} was changed by someone else meanwhile; left as it is" for x in done.left]
    if action == "resume":
        result.message = (
            f"finished rename {done.journal.title}: {done.written} file(s) written now, "
            f"{others} before it stopped"
        )
    else:
        result.message = (
            f"rolled back rename {done.journal.title}: {done.written} file(s) put back as they "
            f"were, {others} had not been changed"
        )
    return result


__all__ = ["WHAT", "Kind", "RenameResult", "existing", "recover", "rename"]
