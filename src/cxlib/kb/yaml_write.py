"""Single YAML values for line-level edits: quoted whenever a plain scalar could be misread."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import yaml

_PLAIN = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9 _.,/()'+-]*$")
_PLAIN_FLOW = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9 _./()'+-]*$")
_STR_TAG = "tag:yaml.org,2002:str"
_resolver = yaml.resolver.Resolver()


def _plain_is_string(text: str) -> bool:
    # "NO", "0012", "1:30", "2024-01-01" would come back as something other than this string.
    return bool(_resolver.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG)


def scalar(value: Any, flow: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        # Python writes 1e-05; YAML 1.1 reads a float only with a dot in it ("1.0e-05").
        text = repr(value)
        return text.replace("e", ".0e", 1) if "e" in text and "." not in text else text
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value)
    pattern = _PLAIN_FLOW if flow else _PLAIN
    if pattern.match(text) and text == text.strip() and _plain_is_string(text):
        return text
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def value(v: Any) -> str:
    """One-line YAML for a scalar, a list of scalars or a mapping of scalars (flow style)."""
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {scalar(x, flow=True)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(scalar(x, flow=True) for x in v) + "]"
    return scalar(v)
