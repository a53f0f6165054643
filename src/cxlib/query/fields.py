"""Which fields a query may name, and a dotted path's values in a document's data.

The built-in fields come from the document models (nested records as dotted paths:
``result.effect``, ``result.guardrails.metric``), the custom ones from cxlib.toml's
``[fields]``; a key that documents hold without either declaring it is a field too, as it is
written. Whether a field holds dates is known from the same places, so a date compared with
something else is refused before a document is read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, get_args, get_origin

from cxlib.model.config import ProgramConfig
from cxlib.model.kinds import Kind
from cxlib.query.builtin import DATE, MODEL_FIELDS, VALUE

if TYPE_CHECKING:
    from pydantic import BaseModel


def model_fields(kind: Kind) -> dict[str, str]:
    """Every dotted path of the kind's model, in model order, to :data:`DATE` or
    :data:`VALUE` (the table of :mod:`cxlib.query.builtin`)."""
    return MODEL_FIELDS[kind]


def fields_of_model(kind: Kind) -> dict[str, str]:
    """What :func:`model_fields` says, read from the model itself (slow: imports pydantic)."""
    from cxlib.model.documents import MODELS

    return dict(_paths(MODELS[kind], ""))


def _paths(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, str]]:
    for name, info in model.model_fields.items():
        path = prefix + name
        yield path, DATE if _has_date(info.annotation) else VALUE
        for inner in _models(info.annotation):
            yield from _paths(inner, path + ".")


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in get_args(annotation):
        yield from _models(arg)


def _has_date(annotation: Any) -> bool:
    if annotation is dt.date:
        return True
    return get_origin(annotation) is not None and any(_has_date(a) for a in get_args(annotation))


def custom_fields(config: ProgramConfig, kind: Kind) -> dict[str, str]:
    """The fields cxlib.toml declares for ``kind``, to :data:`DATE` or :data:`VALUE`."""
    declared = config.custom_fields(kind)
    return {
        name: DATE if DATE in (str(spec.type), str(spec.items)) else VALUE
        for name, spec in declared.items()
    }


def known_fields(config: ProgramConfig, kinds: Iterable[Kind]) -> dict[str, str]:
    """The built-in and declared fields of ``kinds``."""
    out: dict[str, str] = {}
    for kind in kinds:
        out.update(model_fields(kind))
        out.update(custom_fields(config, kind))
    return out


def present_fields(datas: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """The dotted paths the documents' data holds, to :data:`DATE` when every value there is a
    date."""
    seen: dict[str, bool] = {}
    for data in datas:
        _walk(data, "", seen)
    return {path: DATE if dated else VALUE for path, dated in seen.items()}


def _walk(data: Mapping[str, Any], prefix: str, seen: dict[str, bool]) -> None:
    for key, value in data.items():
        if not isinstance(key, str):
            continue
        path = prefix + key
        items = value if isinstance(value, list) else [value]
        dated = all(isinstance(v, dt.date) for v in items if v is not None)
        seen[path] = seen.get(path, True) and dated
        for item in items:
            if isinstance(item, dict):
                _walk(item, path + ".", seen)


def values_at(data: Mapping[str, Any], parts: tuple[str, ...]) -> list[Any]:
    """The values at a dotted path: through records and lists of records, any list at the
    end given item by item; none (``null``) left out."""
    found: list[Any] = [data]
    for part in parts:
        step: list[Any] = []
        for item in found:
            if isinstance(item, dict) and part in item:
                value = item[part]
                step.extend(value if isinstance(value, list) else [value])
            elif isinstance(item, list):
                step.extend(v[part] for v in item if isinstance(v, dict) and part in v)
        found = step
    return [v for v in found if v is not None]


def raw_at(data: Mapping[str, Any], parts: tuple[str, ...]) -> list[Any]:
    """The values at a dotted path as written: a list field is one value (a list)."""
    found: list[Any] = [data]
    for n, part in enumerate(parts):
        step: list[Any] = []
        for item in found:
            if isinstance(item, dict) and part in item:
                value = item[part]
                last = n == len(parts) - 1
                step.extend([value] if last or not isinstance(value, list) else value)
        found = step
    return [v for v in found if v is not None]
