"""Text from a spreadsheet cell or a note's front-matter, as the value a document's field takes:
each field's own type decides (a list splits on commas, a date is read as a date)."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from cxlib.kb.templates import packaged_template_dir
from cxlib.model.config import ProgramConfig
from cxlib.model.documents import MODELS
from cxlib.model.kinds import Kind

# Fields cxlib sets itself on an imported document.
SET_BY_IMPORT = frozenset({"id", "source_ref"})
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


@functools.cache
def template_sections(kind: Kind) -> dict[str, str]:
    """The packaged template's ``##`` sections of ``kind``, by lower-case title."""
    text = (packaged_template_dir() / f"{kind.value}.md").read_text(encoding="utf-8")
    return {t.strip().lower(): t.strip() for t in _HEADING.findall(text)}


def target_of(kind: Kind, config: ProgramConfig, name: str) -> tuple[str, str] | None:
    """("field", name) or ("section", its title) for a mapping's target; None if neither."""
    if name in SET_BY_IMPORT:
        return None
    if name in MODELS[kind].model_fields or name in config.custom_fields(kind):
        return ("field", name)
    section = template_sections(kind).get(" ".join(name.split()).lower())
    return ("section", section) if section else None


def _adapter(kind: Kind, name: str) -> Any:
    from pydantic import TypeAdapter

    return _adapters(kind).get(name) or TypeAdapter(Any)


@functools.cache
def _adapters(kind: Kind) -> dict[str, Any]:
    from pydantic import TypeAdapter

    fields = MODELS[kind].model_fields.items()
    return {n: TypeAdapter(f.annotation) for n, f in fields if f.annotation is not None}


def is_list(kind: Kind, name: str) -> bool:
    field = MODELS[kind].model_fields.get(name)
    return field is not None and isinstance(field.default, list)


def value_of(kind: Kind, name: str, raw: Any) -> Any:
    """``raw`` as field ``name`` of ``kind`` takes it: the first reading its type accepts
    (text, a whole number, a number, a date; for a list, the text split on commas or
    semicolons), else the text (validation then says what is wrong with it)."""
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            return None
    if is_list(kind, name):
        if isinstance(raw, str):
            return [p.strip() for p in re.split(r"[;,]", raw) if p.strip()]
        return raw if isinstance(raw, list) else [raw]
    if not isinstance(raw, str):
        return raw
    adapter = _adapter(kind, name)
    readings = _readings(raw)
    # Strictly first, so "12" is a number only where a number is wanted; then as pydantic
    # reads the file (an enum from its text), the text as it is before its lower case.
    for strict in (True, False):
        for candidate in readings:
            try:
                adapter.validate_python(candidate, strict=strict)
            except ValueError:
                continue
            return candidate
    return raw


def _readings(text: str) -> list[Any]:
    out: list[Any] = [text]
    if re.fullmatch(r"-?[0-9]{1,15}", text):
        out.insert(0, int(text))
    if re.fullmatch(r"-?[0-9]{0,15}\.[0-9]{1,15}", text):
        out.insert(0, float(text))
    date = read_date(text)
    if date is not None:
        out.insert(0, date)
    out.append(text.lower())
    return out


def read_date(value: Any) -> dt.date | None:
    """A date from ``2024-03-01``, ``2024-03-01T10:00:00Z`` or a date value."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
