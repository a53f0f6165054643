"""Front-matter against the pydantic models: one located, readable finding per problem."""

from __future__ import annotations

import difflib
import enum
from collections.abc import Collection
from typing import Any

from pydantic import ValidationError

from cxlib.model.choices import impossible_date
from cxlib.model.documents import MODELS, Document
from cxlib.model.findings import Finding, Severity, error
from cxlib.model.kinds import Kind
from cxlib.model.source import ParsedFile

# YAML 1.1 reads these unquoted words as booleans or null; a hint saves a confused user.
_YAML11_SURPRISE = {"yes", "no", "on", "off", "y", "n", "true", "false", "null", "~"}


def _value_at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _enum_choices(model: type[Document], loc: tuple[Any, ...]) -> list[str] | None:
    annotation: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(annotation, "model_fields", None)
        if not fields or part not in fields:
            return None
        annotation = fields[part].annotation
        for arg in (annotation, *getattr(annotation, "__args__", ())):
            inner = getattr(arg, "__args__", (arg,))
            for candidate in (arg, *inner):
                if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
                    return [m.value for m in candidate]
                if isinstance(candidate, type) and hasattr(candidate, "model_fields"):
                    annotation = candidate
    return None


def check_schema(
    path: str,
    kind: Kind,
    parsed: ParsedFile,
    strict: bool = False,
    declared: Collection[str] = (),
) -> tuple[Document | None, list[Finding]]:
    """Validate front-matter data; return the model (None when invalid) and the findings.
    ``declared``: the fields cxlib.toml adds to the kind, left to
    :mod:`cxlib.model.custom_fields` (not unknown, not the model's)."""
    assert parsed.data is not None
    model = MODELS[kind]
    findings: list[Finding] = []
    known = set(model.model_fields)
    data = dict(parsed.data)
    for key in list(data):
        if key in declared:
            del data[key]
        elif key not in known:
            close = difflib.get_close_matches(key, [*known, *declared], n=1)
            findings.append(
                Finding(
                    code="unknown-field",
                    severity=Severity.ERROR if strict else Severity.WARNING,
                    path=path,
                    line=parsed.line_of(key),
                    field=key,
                    message=f"unknown field '{key}' for an {kind.value}",
                    hint=f"did you mean '{close[0]}'?"
                    if close
                    else f"see 'cxlib schema {kind.value}' for the fields",
                )
            )
            del data[key]
    try:
        return model.model_validate(data), findings
    except ValidationError as e:
        for err in e.errors(include_input=False):
            findings.append(_finding_from_error(path, kind, model, parsed, data, err))
    return None, findings


# pydantic's messages for a value of the wrong type, in the words of someone writing a document.
_PLAIN_WORDS = {
    "int_parsing": "needs a whole number, written in digits",
    "int_from_float": "needs a whole number",
    "int_type": "needs a whole number",
    "float_parsing": "needs a number, written in digits",
    "float_type": "needs a number",
    "bool_parsing": "needs true or false",
    "bool_type": "needs true or false",
    "list_type": "needs a list, e.g. [a, b]",
    "string_type": "needs text",
}


def _finding_from_error(
    path: str,
    kind: Kind,
    model: type[Document],
    parsed: ParsedFile,
    data: dict[str, Any],
    err: Any,
) -> Finding:
    # A text-or-record field's branch tag, "(text)" or "(record)", is no key of the file.
    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("(")))
    dotted = ".".join(str(p) for p in loc)
    line = parsed.line_of(dotted)
    value = _value_at(data, loc)
    kind_of_error = err["type"]
    hint = None
    code = "invalid-value"
    if kind_of_error == "missing":
        return error(
            "missing-field",
            path,
            f"field '{dotted}' is required for an {kind.value}",
            line=parsed.line_of("id") if dotted != "id" else 1,
            field=dotted,
            hint=f"add '{dotted}: ...' to the front-matter",
        )
    loc_info = parsed.locations.get(dotted)
    plain = loc_info.plain_text if loc_info else None
    choices = _enum_choices(model, loc) if kind_of_error == "enum" else None
    if choices:
        message = f"field '{dotted}': must be one of {', '.join(choices)} (got {_short(value)})"
    elif kind_of_error.startswith("date") or (
        dotted.split(".")[-1] in {"created", "updated", "start", "end"}
    ):
        code = "invalid-date"
        written = str(plain or value)
        why = impossible_date(written)
        if why:  # the form is right, the day does not exist
            message = f"field '{dotted}': {written} is not a date: {why}"
        else:
            message = f"field '{dotted}': not a valid date: {_short(plain or value)}"
            hint = "write dates as YYYY-MM-DD, e.g. 2025-03-01"
    elif kind_of_error in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        code = "out-of-range"
        ctx = err.get("ctx", {})
        bound = next(iter(ctx.values()), "?")
        words = {
            "greater_than_equal": "at least",
            "less_than_equal": "at most",
            "greater_than": "more than",
            "less_than": "less than",
        }[kind_of_error]
        message = f"field '{dotted}': must be {words} {bound} (got {_short(value)})"
    elif kind_of_error == "string_pattern_mismatch" and dotted.split(".")[0] in {
        "id",
        "opportunity",
        "insights",
        "follows",
        "counter_evidence",
    }:
        message = f"field '{dotted}': not a document id like EXP-0042 (got {_short(value)})"
    elif kind_of_error == "string_pattern_mismatch" and dotted == "cycle":
        message = (
            "field 'cycle': a quarter (2027-Q1), a half (2027-H2) or a month (2027-03) "
            f"(got {_short(value)})"
        )
    elif kind_of_error == "string_pattern_mismatch":
        message = (
            f"field '{dotted}': use lowercase letters, digits and '-' only (got {_short(value)})"
        )
    elif kind_of_error in _PLAIN_WORDS:
        message = f"field '{dotted}': {_PLAIN_WORDS[kind_of_error]} (got {_short(value)})"
    else:
        message = f"field '{dotted}': {err['msg'].removeprefix('Value error, ')}"
        if value is not None and not isinstance(value, (dict, list)):
            message += f" (got {_short(value)})"
    if (
        plain is not None
        and not isinstance(value, str)
        and (
            plain.lower() in _YAML11_SURPRISE
            or (plain.isdigit() and plain.startswith("0") and len(plain) > 1)
            or kind_of_error in {"string_type", "enum"}
        )
    ):
        hint = f"YAML reads the unquoted {plain} as {_short(value)}; quote it: '{plain}'"
    return error(code, path, message, line=line, field=dotted, hint=hint)
