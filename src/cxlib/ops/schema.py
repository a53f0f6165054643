"""``cxlib schema``: the JSON Schema of a kind's front-matter (draft-07 compatible)."""

from __future__ import annotations

from typing import Any

from cxlib.model.config import CustomField, FieldType, ProgramConfig
from cxlib.model.documents import MODELS
from cxlib.model.kinds import Kind


def json_schema(kind: Kind, config: ProgramConfig | None = None) -> dict[str, Any]:
    """The schema of ``kind``'s front-matter, with the fields ``config`` (a knowledge base's
    cxlib.toml) declares for it."""
    schema = MODELS[kind].model_json_schema(mode="validation", ref_template="#/definitions/{model}")
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", **schema}
    schema["description"] = (
        f"Front-matter of a cxlib {kind.value}. 'cxlib validate' is the source of truth: it also "
        "checks the program config, lifecycle rules and links."
    )
    declared = config.custom_fields(kind) if config is not None else {}
    for name, spec in declared.items():
        schema["properties"][name] = custom_property(name, spec)
    return schema


# The JSON Schema of one value of each type (a list's items take one of these too).
_VALUE: dict[FieldType, dict[str, Any]] = {
    FieldType.TEXT: {"type": "string", "maxLength": 2000},
    FieldType.NUMBER: {"type": "number"},
    FieldType.INTEGER: {"type": "integer"},
    FieldType.DATE: {"type": "string", "format": "date"},
    FieldType.BOOLEAN: {"type": "boolean"},
    FieldType.ONE_OF: {"type": "string"},
}


def custom_property(name: str, spec: CustomField) -> dict[str, Any]:
    """The schema of a declared field: its type, its values as an enum, its description (and
    the status it is required from, which JSON Schema cannot say otherwise)."""
    if spec.type == FieldType.LIST:
        items = dict(_VALUE[spec.items or FieldType.TEXT])
        if spec.values:
            items["enum"] = list(spec.values)
        out: dict[str, Any] = {"type": "array", "items": items}
    else:
        out = dict(_VALUE[spec.type])
        if spec.values:
            out["enum"] = list(spec.values)
    # As pydantic writes a built-in optional field: a title, the value or null.
    field: dict[str, Any] = {"anyOf": [out, {"type": "null"}], "title": _title(name)}
    words = [spec.description] if spec.description else []
    if spec.required_from:
        words.append(f"Required from status {spec.required_from} on (cxlib.toml).")
    if words:
        field["description"] = " ".join(words)
    return field


def _title(name: str) -> str:
    return " ".join(part.capitalize() for part in name.split("_"))
