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
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from cxlib.kb.store import KnowledgeBase
from cxlib.model.kinds import Kind
from cxlib.query.fields import model_fields
from cxlib.query.predicates import compile_where
from cxlib.query.records import Record, load_records

FIRST = ("id", "kind", "path")


@dataclass
class Export:
    rows: list[dict[str, Any]]  # id, kind, path, then the front-matter, nested as written
    kinds: list[Kind]
    skipped: int  # documents whose front-matter cannot be read (validate says why)
    restricted: int  # restricted documents left out


def export_documents(
    kb: KnowledgeBase,
    kind: Kind | None = None,
    where: Sequence[str] = (),
    include_restricted: bool = False,
) -> Export:
    """The rows of every readable document of ``kind`` (all when None) that the ``where``
    queries match, ordered by kind and id."""
    kinds = [kind] if kind is not None else list(Kind)
    records = load_records(kb, kinds).records
    readable = [r for r in records if r.data is not None]
    query = compile_where(where, kb.config, kinds, lambda: (r.data for r in readable if r.data))
    rows: list[dict[str, Any]] = []
    restricted = 0
    for r in readable:
        assert r.data is not None
        if not query(r.data):
            continue
        if not include_restricted and kb.config.restricted(r.path, r.data.get("visibility")):
            restricted += 1
            continue
        rows.append(_row(r))
    order = {k: n for n, k in enumerate(Kind)}
    rows.sort(key=lambda row: (order[Kind(row["kind"])], str(row["id"])))
    return Export(rows, kinds, len(records) - len(readable), restricted)


def _row(r: Record) -> dict[str, Any]:
    data = r.data or {}
    known = model_fields(r.kind)
    built_in = [k for k in known if "." not in k and k in data and k != "id"]
    others = sorted(k for k in data if k not in known)
    row: dict[str, Any] = {"id": data.get("id"), "kind": r.kind.value, "path": r.path}
    row.update({k: data[k] for k in built_in})
    row.update({k: data[k] for k in others if k not in row})
    return row


def flatten(row: dict[str, Any]) -> dict[str, Any]:
    """A row as CSV cells: records as dotted columns, lists as JSON text, true/false as
    text; dates and numbers stay values (the CSV writer gives dates as YYYY-MM-DD)."""
    out: dict[str, Any] = {}
    _flatten(row, "", out)
    return out


def _flatten(data: dict[str, Any], prefix: str, out: dict[str, Any]) -> None:
    for key, value in data.items():
        name = prefix + str(key)
        if isinstance(value, dict):
            _flatten(value, name + ".", out)
        elif isinstance(value, list):
            out[name] = json_text(value)
        elif isinstance(value, bool):
            out[name] = "true" if value else "false"  # as YAML and the JSON cells write it
        else:
            out[name] = value


def json_text(value: Any) -> str:
    """``value`` as compact JSON, dates as ISO text."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, default=iso, sort_keys=False)


def iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


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
