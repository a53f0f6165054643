"""``cxlib schema``: the JSON Schema of a kind's front-matter (draft-07 compatible)."""

from __future__ import annotations

from typing import Any

from cxlib.model.documents import MODELS
from cxlib.model.kinds import Kind


def json_schema(kind: Kind) -> dict[str, Any]:
    schema = MODELS[kind].model_json_schema(mode="validation", ref_template="#/definitions/{model}")
    if "$defs" in schema:
        schema["definitions"] = schema.pop("$defs")
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", **schema}
    schema["description"] = (
        f"Front-matter of a cxlib {kind.value}. 'cxlib validate' is the source of truth: it also "
        "checks the program config, lifecycle rules and links."
    )
    return schema
