"""``cxlib export``: every field of every document, one row per document.

Rows keep the front-matter as written (built-in fields, fields declared in cxlib.toml, any other
key), in a stable order: ``id``, ``kind``, ``path``, then the kind's built-in fields in the
model's order, then every other key sorted. For CSV a record is flattened into dotted columns
(``result.effect``, ``result.p_value``) and a list (tags, variants, ``result.guardrails``) is one
cell holding JSON text, so every cell is one value and a list of records reads back whole.
Documents that are restricted (``visibility: restricted``, or in a folder ``[site] restricted``
names) are left out unless asked for.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cxlib.kb.records import Record, load_records
from cxlib.kb.store import KnowledgeBase
from cxlib.model.kinds import Kind
from cxlib.query.fields import model_fields
from cxlib.query.predicates import compile_where

FIRST = ("id", "kind", "path")


@dataclass
class Export:
    records: list[Record]  # the documents exported, ordered by kind and id
    kinds: list[Kind]
    skipped: int  # documents whose front-matter cannot be read (validate says why)
    restricted: int  # restricted documents left out

    def rows(self) -> list[dict[str, Any]]:
        """id, kind, path, then the front-matter, nested as written (JSON)."""
        return [_row(r) for r in self.records]

    def flat_rows(self) -> list[dict[str, Any]]:
        """The same, flattened into CSV cells (see :func:`flatten`)."""
        out: list[dict[str, Any]] = []
        for r in self.records:
            cells: dict[str, Any] = {}
            _flatten(_row(r), "", cells)
            out.append(cells)
        return out


def export_documents(
    kb: KnowledgeBase,
    kind: Kind | None = None,
    where: Sequence[str] = (),
    include_restricted: bool = False,
) -> Export:
    """Every readable document of ``kind`` (all when None) that the ``where`` queries match,
    ordered by kind and id."""
    kinds = [kind] if kind is not None else list(Kind)
    records = load_records(kb, kinds).records
    readable = [r for r in records if r.data is not None]
    query = compile_where(where, kb.config, kinds, lambda: (r.data for r in readable if r.data))
    chosen: list[Record] = []
    restricted = 0
    for r in readable:
        assert r.data is not None
        if not query(r.data):
            continue
        if not include_restricted and kb.config.restricted(r.path, r.data.get("visibility")):
            restricted += 1
            continue
        chosen.append(r)
    order = {k: n for n, k in enumerate(Kind)}
    chosen.sort(key=lambda r: (order[r.kind], str((r.data or {}).get("id"))))
    return Export(chosen, kinds, len(records) - len(readable), restricted)


@functools.cache
def _top_level(kind: Kind) -> tuple[list[str], frozenset[str]]:
    """The kind's built-in top-level fields in model order (the id aside), and all of them."""
    fields = [k for k in model_fields(kind) if "." not in k]
    return [k for k in fields if k != "id"], frozenset(fields)


def _row(r: Record) -> dict[str, Any]:
    data = r.data or {}
    ordered, known = _top_level(r.kind)
    row: dict[str, Any] = {"id": data.get("id"), "kind": r.kind.value, "path": r.path}
    for k in ordered:
        if k in data:
            row[k] = data[k]
    if len(row) - 3 + ("id" in data) < len(data):  # keys besides the built-in ones
        for k in sorted(k for k in data if k not in known):
            row.setdefault(k, data[k])
    return row


# The key of a row's whole file (``export --with-text``): no front-matter field starts with "_".
FILE_KEY = "_file"


def with_files(kb: KnowledgeBase, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with each document's file as it is, so ``cxlib import cxlib`` recreates it
    byte for byte."""
    from cxlib.kb.files import read_document
    from cxlib.kb.parse import MAX_FILE_BYTES

    for row in rows:
        row[FILE_KEY] = read_document(kb.root, row["path"], MAX_FILE_BYTES).decode("utf-8")
    return rows


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    """A row as CSV cells: records as dotted columns, lists as JSON text, true/false as
    text; dates and numbers stay values (the CSV writer gives dates as YYYY-MM-DD)."""
    out: dict[str, Any] = {}
    _flatten(row, "", out)
    return out


def _flatten(data: dict[str, Any], prefix: str, out: dict[str, Any]) -> None:
    for key, value in data.items():
        name = prefix + key if prefix else key
        kind = type(value)
        if kind is dict:
            _flatten(value, name + ".", out)
        elif kind is list:
            out[name] = _json_list(value)
        elif kind is bool:
            out[name] = "true" if value else "false"  # as YAML and the JSON cells write it
        else:
            out[name] = value


# Text that JSON writes as it is between quotes (no quote, backslash or control character).
_PLAIN = re.compile(r'[^"\\\x00-\x1f\x7f]*\Z')


def _json_list(value: list[Any]) -> str:
    """A list as JSON text; a list of plain words (tags, ids, metrics: most lists) written
    directly, as the encoder would write it, without a call into it for each."""
    if all(type(v) is str for v in value):
        joined = '", "'.join(value)
        if _PLAIN.match(joined):
            return f'["{joined}"]' if value else "[]"
    elif all(type(v) is int or (type(v) is float and math.isfinite(v)) for v in value):
        return "[" + ", ".join(map(repr, value)) + "]"  # an interval, as json writes it
    return _ENCODER.encode(value)


def iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


# One encoder for every cell and line: json.dumps builds one per call, a third of its cost.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, default=iso)


def json_text(value: Any) -> str:
    """``value`` as JSON (one line), dates as ISO text."""
    return _ENCODER.encode(value)


def columns(kinds: Iterable[Kind], flat_rows: Iterable[dict[str, Any]]) -> list[str]:
    """The CSV columns: id, kind, path, the kinds' built-in fields in model order (nested
    ones where their record is), then every other column sorted; only columns some row has."""
    present: set[str] = set()
    for row in flat_rows:
        present.update(row)
    ordered: list[str] = list(FIRST)
    for kind in kinds:
        for path in model_fields(kind):
            if path in present and path not in ordered:
                ordered.append(path)
    done = set(ordered)
    return ordered + sorted(c for c in present if c not in done)
