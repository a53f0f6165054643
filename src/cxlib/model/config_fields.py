"""The rules of the ``[fields.<kind>.<name>]`` declarations of a ``cxlib.toml`` that its shape
alone does not give: a one-of field has values, a name is no built-in field's (of any kind), a
status ``required_from`` names is one of the kind's, a name means one type in every kind. Called by
:mod:`cxlib.model.config_check` (so only when a changed cxlib.toml is validated).
"""

from __future__ import annotations

from typing import Any

from cxlib.model.config import CustomField, FieldType, ProgramConfig
from cxlib.model.custom_fields import RESERVED_NAMES
from cxlib.model.kinds import Kind
from cxlib.model.vocabulary import statuses

Loc = tuple[str | int, ...]

_ITEM_TYPES = (FieldType.TEXT, FieldType.ONE_OF)


def field_key_problem(data: dict[str, Any], loc: Loc) -> tuple[Loc, str]:
    """The location and words of a key of ``[fields]`` that is no kind or no field name
    (``loc`` is where pydantic found it, without its ``[key]`` mark)."""
    if len(loc) == 2:  # [fields.<kind>]
        kinds = ", ".join(k.value for k in Kind)
        declared = data.get("fields", {}).get(loc[1])
        first = next(iter(declared), None) if isinstance(declared, dict) else None
        # Located by its first field's table, [fields.<kind>.<name>], when it has one.
        return ((*loc, first) if isinstance(first, str) else loc), (
            f"'{loc[1]}' is not a kind: fields are declared for {kinds}"
        )
    return loc, (
        f"'{loc[-1]}' is not a field name: a lowercase letter, then lowercase letters, digits "
        "and '_' (at most 40)"
    )


def field_problems(config: ProgramConfig) -> list[tuple[Loc, str]]:
    """Every problem of the declarations, located at the key it is about."""
    from cxlib.model.documents import MODELS  # pydantic: only when a config is validated

    problems: list[tuple[Loc, str]] = []
    types: dict[str, tuple[Kind, FieldType]] = {}
    # A built-in field of any kind: a name means one thing across the library.
    builtin = {name for model in MODELS.values() for name in model.model_fields}
    for kind, declared in config.fields.items():
        for name, spec in declared.items():
            at: Loc = ("fields", kind.value, name)
            if name in builtin or name in RESERVED_NAMES:
                problems.append(
                    (at, f"'{name}' is the name of a built-in field: give the field another name")
                )
            problems += [((*at, key), words) for key, words in _declaration_problems(spec)]
            if spec.required_from is not None and spec.required_from not in statuses(kind):
                problems.append(
                    (
                        (*at, "required_from"),
                        f"'{spec.required_from}' is not a status of an {kind.value}: one of "
                        f"{', '.join(statuses(kind))}",
                    )
                )
            earlier = types.setdefault(name, (kind, spec.type))
            if earlier[1] != spec.type:
                problems.append(
                    (
                        (*at, "type"),
                        f"'{name}' is a {earlier[1].value} field of an {earlier[0].value}: a "
                        "name has one type in every kind (search and export read it so)",
                    )
                )
    return problems


def _declaration_problems(spec: CustomField) -> list[tuple[str, str]]:
    """(key, words) for what a declaration says that its type does not allow."""
    takes_values = spec.type == FieldType.ONE_OF or (
        spec.type == FieldType.LIST and spec.items == FieldType.ONE_OF
    )
    out: list[tuple[str, str]] = []
    if spec.items is not None and spec.type != FieldType.LIST:
        out.append(("items", "only a list field has items"))
    elif spec.items is not None and spec.items not in _ITEM_TYPES:
        out.append(("items", 'a list holds text or one-of values: items = "text" or "one-of"'))
    if takes_values and not spec.values:
        out.append(("values", 'a one-of field needs its values: values = ["a", "b"]'))
    elif spec.values and not takes_values:
        out.append(("values", f"only a one-of field has values (this one is {spec.type.value})"))
    if len(set(spec.values)) != len(spec.values):
        out.append(("values", "each value is listed once"))
    return out
