"""An imported document's file: the kind's template with the source's values set, line by line
as ``cxlib new`` sets them, and its body sections filled."""

from __future__ import annotations

import functools
import re
import string
from pathlib import Path
from typing import Any

from cxlib.importers.records import Incoming
from cxlib.kb import yaml_write
from cxlib.kb.templates import template_text
from cxlib.model.kinds import Kind
from cxlib.ops.new import closing_line, set_key

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")


def block(value: Any, indent: str = "  ") -> str:
    """YAML for a value after ``key:``: one line for a scalar, a list of scalars or a mapping of
    scalars; a block below the key for a mapping holding lists or records, and for a list of
    records (one flow mapping per line, as ``cxlib set`` writes them)."""
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
        lines = [f"{indent}{k}: {block(v, indent + '  ')}" for k, v in value.items()]
        return "\n" + "\n".join(lines)
    if isinstance(value, list) and value and any(isinstance(v, dict) for v in value):
        return "\n" + "\n".join(f"{indent}- {yaml_write.value(v)}" for v in value)
    return yaml_write.value(value)


@functools.lru_cache(maxsize=16)
def _template(root: Path, kind: Kind) -> str:
    """The kind's template, read once per import (thousands of documents share it)."""
    return template_text(root, f"{kind.value}.md")


def yaml_line(key: str, value: Any) -> str:
    """``key: value``, the value below the key when it is a block."""
    rendered = block(value)
    return f"{key}:{rendered}" if rendered.startswith("\n") else f"{key}: {rendered}"


def document_text(root: Path, incoming: Incoming, doc_id: str) -> str:
    """The new file's text: the template with id, title, owner, created, the source's fields
    and ``source_ref``; the body sections filled, or the source's body kept as it is."""
    fields = {
        "id": doc_id,
        "title": yaml_write.scalar(incoming.title),
        "owner": yaml_write.scalar(incoming.fields.get("owner")),
        "created": incoming.created.isoformat() if incoming.created else "null",
        "stage": "null",
    }
    text = string.Template(_template(root, incoming.kind)).safe_substitute(fields)
    for key, value in incoming.fields.items():
        if key != "owner":
            rendered = block(value)
            text = set_key(text, key, rendered)
            if rendered.startswith("\n"):
                text = text.replace(f"\n{key}: \n", f"\n{key}:\n", 1)
    text = set_key(text, "source_ref", yaml_write.scalar(incoming.ref))
    if incoming.body is not None:
        end = closing_line(text)
        assert end is not None  # set_key refuses a template whose front-matter is not closed
        head = "\n".join(text.split("\n")[: end + 1])
        return head + "\n" + incoming.body
    for title, content in incoming.sections.items():
        text = fill_section(text, title, content)
    return text


def fill_section(text: str, title: str, content: str) -> str:
    """``content`` as the section ``## title`` (the template's guidance under it replaced), or a
    new section at the end."""
    lines = text.split("\n")
    wanted = " ".join(title.split()).lower()
    start = None
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m and len(m.group(1)) == 2 and " ".join(m.group(2).split()).lower() == wanted:
            start = i
            break
    body = content.strip("\n").split("\n")
    if start is None:
        while lines and not lines[-1].strip():
            lines.pop()
        return "\n".join([*lines, "", f"## {title}", "", *body, ""])
    stop = next(
        (j for j in range(start + 1, len(lines)) if _HEADING.match(lines[j])),
        len(lines),
    )
    return "\n".join([*lines[: start + 1], "", *body, "", *lines[stop:]])
