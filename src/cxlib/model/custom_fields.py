"""A program's own fields (``[fields.<kind>.<name>]`` in cxlib.toml) checked in a document.

Plain Python, no pydantic: the pre-commit hook checks every staged document against them, so
a value costs a type test or two. The findings use the built-in fields' codes and words
(``invalid-value``, ``invalid-date``), on the value's own line; what a status requires of a
declared field is a :class:`~cxlib.model.vocabulary.Requirement` the lifecycle rule reads with
the built-in ones.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cxlib.model.choices import choice_hint, impossible_date
from cxlib.model.codes import Code
from cxlib.model.config import CustomField, FieldType, ProgramConfig
from cxlib.model.findings import Finding, error
from cxlib.model.kinds import Kind
from cxlib.model.source import ParsedFile
from cxlib.model.vocabulary import Requirement, statuses

# Names cxlib gives built-in values beside the models' fields: the search index's (``cxlib
# search 'metric:cac'``) and list's columns. A custom field of such a name would collide there.
RESERVED_NAMES = frozenset(
    {"path", "kind", "body", "primary", "metric", "tag", "segment", "link", "outcome", "priority"}
)

# Each kind's way forward, without the side exits (abandoned, parked, rejected, archived):
# a field required from a status is required in it and in the statuses after it here.
PROGRESS: dict[Kind, tuple[str, ...]] = {
    Kind.INSIGHT: ("draft", "validated"),
    Kind.OPPORTUNITY: ("idea", "prioritized", "in-progress", "delivered"),
    Kind.EXPERIMENT: ("draft", "planned", "running", "concluded", "implemented"),
}

# Bounds of a value, as the built-in fields have them.
MAX_TEXT = 2000
MAX_ITEMS = 200
MAX_NUMBER = 1e15  # as the YAML reader bounds numbers


def statuses_from(kind: Kind, status: str) -> tuple[str, ...]:
    """The statuses "from ``status`` on": it and the later ones on the kind's way forward; a
    side status (abandoned, parked...) alone."""
    way = PROGRESS[kind]
    return way[way.index(status) :] if status in way else (status,)


def declared_requirements(config: ProgramConfig, kind: Kind) -> tuple[Requirement, ...]:
    """What each declared field with ``required_from`` asks of a document of ``kind``."""
    return tuple(
        Requirement(
            Code.FIELD_REQUIRED,
            kind,
            statuses_from(kind, spec.required_from),
            f"this {kind.value} is {{status}} and needs '{name}' (cxlib.toml requires it from "
            f"{spec.required_from} on)",
            fields=(name,),
            hint=_set_hint(name, spec),
        )
        for name, spec in config.custom_fields(kind).items()
        if spec.required_from is not None and spec.required_from in statuses(kind)
    )


def _set_hint(name: str, spec: CustomField) -> str:
    example = spec.values[0] if spec.values else "..."
    about = f" ({spec.description})" if spec.description else ""
    return f"add '{name}: {example}' to the front-matter{about}"


def check_custom_fields(
    path: str, kind: Kind, parsed: ParsedFile, config: ProgramConfig
) -> list[Finding]:
    """One finding per declared field whose value is not of its type (or not one of its
    values), on the line of the value."""
    declared = config.custom_fields(kind)
    data = parsed.data
    if not declared or not data:
        return []
    out: list[Finding] = []
    for name, spec in declared.items():
        value = data.get(name)
        if value is not None:
            out += _check_value(path, parsed, name, spec, value)
    return out


def _check_value(
    path: str, parsed: ParsedFile, name: str, spec: CustomField, value: Any
) -> list[Finding]:
    if spec.type != FieldType.LIST:
        problem = _problem(spec.type, spec.values, value)
        return [_finding(path, parsed, name, value, problem)] if problem else []
    if not isinstance(value, list):
        return [_finding(path, parsed, name, value, _Problem("needs a list, e.g. [a, b]"))]
    if len(value) > MAX_ITEMS:
        return [_finding(path, parsed, name, None, _Problem(f"at most {MAX_ITEMS} items"))]
    items = spec.items or FieldType.TEXT
    out = []
    for i, item in enumerate(value):
        problem = _problem(items, spec.values, item)
        if problem:
            out.append(_finding(path, parsed, f"{name}.{i}", item, problem))
    return out


@dataclass(frozen=True)
class _Problem:
    words: str  # what the value needs, after "field 'x': "
    code: Code = Code.INVALID_VALUE
    choices: tuple[str, ...] = ()  # the values a did-you-mean picks from


def _problem(kind: FieldType, values: list[str], value: Any) -> _Problem | None:
    """What is wrong with a single value of type ``kind`` (None: nothing)."""
    if kind in (FieldType.TEXT, FieldType.ONE_OF) and not isinstance(value, str):
        return _Problem("needs text")
    if kind == FieldType.TEXT and len(value) > MAX_TEXT:
        return _Problem(f"at most {MAX_TEXT} characters")
    if kind == FieldType.ONE_OF and value not in values:
        return _Problem(f"must be one of {', '.join(values)}", choices=tuple(values))
    if kind == FieldType.BOOLEAN and not isinstance(value, bool):
        return _Problem("needs true or false")
    if kind == FieldType.INTEGER and not (_is_number(value) and isinstance(value, int)):
        return _Problem("needs a whole number")
    if kind == FieldType.NUMBER and not _is_number(value):
        return _Problem("needs a number, written in digits")
    if kind == FieldType.DATE:
        return _date_problem(value)
    return None


def _is_number(value: Any) -> bool:
    # YAML's true is an int to Python, and no number to a reader.
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) < MAX_NUMBER
    )


def _date_problem(value: Any) -> _Problem | None:
    if isinstance(value, dt.datetime):
        return _Problem("expected a date like 2025-03-01, without a time", Code.INVALID_DATE)
    if isinstance(value, dt.date):
        return None
    if isinstance(value, str):
        why = impossible_date(value)
        if why:
            return _Problem(f"{value} is not a date: {why}", Code.INVALID_DATE)
    return _Problem("not a valid date, write it as YYYY-MM-DD", Code.INVALID_DATE)


def _finding(path: str, parsed: ParsedFile, dotted: str, value: Any, problem: _Problem) -> Finding:
    shown = value is not None and not isinstance(value, (list, dict))
    got = f" (got {_short(value)})" if shown and problem.code != Code.INVALID_DATE else ""
    return error(
        problem.code,
        path,
        f"field '{dotted}': {problem.words}{got}",
        line=parsed.line_of(dotted),
        field=dotted,
        hint=_hint(parsed, dotted, value, problem),
    )


def _hint(parsed: ParsedFile, dotted: str, value: Any, problem: _Problem) -> str | None:
    written = parsed.locations.get(dotted)
    plain = written.plain_text if written is not None else None
    if plain is not None and not isinstance(value, str) and problem.words == "needs text":
        return f"YAML reads the unquoted {plain} as {_short(value)}; quote it: '{plain}'"
    if problem.choices and isinstance(value, str):
        return choice_hint(value, problem.choices)
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def custom_row(
    config: ProgramConfig, kinds: Iterable[Kind], kind: Kind, data: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The fields declared for any of ``kinds`` (the kinds listed), as a document of ``kind``
    has them, for a row of ``list``: a date as YYYY-MM-DD, None where there is no value (or
    the field is another kind's), in declaration order."""
    data = data or {}
    own = config.custom_fields(kind)
    return {
        name: _plain(data.get(name)) if name in own else None
        for name in custom_columns(config, kinds)
    }


def custom_columns(config: ProgramConfig, kinds: Iterable[Kind]) -> list[str]:
    """The names of the fields declared for ``kinds``, each once, in declaration order."""
    return list(dict.fromkeys(name for k in kinds for name in config.custom_fields(k)))


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
