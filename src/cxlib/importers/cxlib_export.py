"""``cxlib import cxlib``: the JSON Lines of ``cxlib export --format jsonl``, ids, dates and
links kept.

A row exported ``--with-text`` carries its file (``_file``), written back byte for byte once its
front-matter is checked to say what the row says; a row without it is written from its fields
into the kind's template. Every row keeps its id and file name; an id already used here is
refused, not renumbered, since other documents' links name it.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from cxlib.importers.records import Batch, Incoming, Refused, SourceOptions, text_of
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.model.ids import ID_RE
from cxlib.model.kinds import Kind
from cxlib.ops.export import FILE_KEY

_NOT_FIELDS = {"id", "kind", "path", "title", "created", "source_ref", FILE_KEY}


def read(paths: list[Path], options: SourceOptions) -> Batch:
    batch = Batch()
    for path in paths:
        for number, line in enumerate(_lines(path), 1):
            where = f"{path.name}:{number}"
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except (ValueError, RecursionError) as e:
                batch.refused.append(Refused(where, f"not a JSON line ({e})"))
                continue
            try:
                batch.incoming.append(_incoming(row))
            except ValueError as e:
                batch.refused.append(Refused(where, str(e)))
    return batch


def _lines(path: Path) -> list[str]:
    from cxlib.importers.files import read_text

    return read_text(path).split("\n")


def _incoming(row: Any) -> Incoming:
    if not isinstance(row, dict):
        raise ValueError("a row must be a JSON object")
    doc_id, kind_name, path = row.get("id"), row.get("kind"), row.get("path")
    if not isinstance(doc_id, str) or not ID_RE.match(doc_id):
        raise ValueError(f"no valid id ({text_of(doc_id, 40)!r})")
    try:
        kind = Kind(str(kind_name))
    except ValueError:
        raise ValueError(f"{doc_id}: unknown kind {text_of(kind_name, 40)!r}") from None
    name = path.rsplit("/", 1)[-1] if isinstance(path, str) else None
    given = row.get("source_ref")
    ref = given if isinstance(given, str) else f"cxlib:{doc_id}"
    inc = Incoming(
        ref=ref,
        kind=kind,
        title=str(row.get("title") or ""),
        created=_date(row.get("created")),
        doc_id=doc_id,
        file_name=name,
    )
    text = row.get(FILE_KEY)
    if isinstance(text, str):
        inc.text = _checked(text, row, doc_id)
        return inc
    inc.fields = {k: _value(v) for k, v in row.items() if k not in _NOT_FIELDS}
    return inc


def _checked(text: str, row: dict[str, Any], doc_id: str) -> bytes:
    """The file's bytes, when its front-matter holds exactly the row's fields."""
    raw = text.encode("utf-8")
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"{doc_id}: the file is larger than {MAX_FILE_BYTES // 1024} KiB")
    parsed = parse_bytes(raw)
    if parsed.problems or parsed.data is None:
        problem = parsed.problems[0].message if parsed.problems else "no front-matter"
        raise ValueError(f"{doc_id}: its file cannot be read: {problem}")
    fields = {k: v for k, v in row.items() if k not in {"kind", "path", FILE_KEY}}
    if _plain(parsed.data) != _plain(fields):
        raise ValueError(f"{doc_id}: its file and its fields disagree (edited after export?)")
    return raw


def _plain(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _value(value: Any) -> Any:
    """Exported dates are ISO text: dates again for the front-matter."""
    if isinstance(value, str) and len(value) == 10:
        parsed = _date(value)
        if parsed is not None:
            return parsed
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    return value
