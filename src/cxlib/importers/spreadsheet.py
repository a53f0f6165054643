"""``cxlib import csv``: a spreadsheet export, one document per row of the kind ``--kind``
names, each column given its field (or body section) by ``--map "Column=field"``.

A row's ``source_ref`` is ``csv:<the value of the column mapped to source_ref>`` when a column
is (a stable key survives rows inserted above it), else ``csv:<file name>#<line>``. ``created``
comes from its column, else it is today (said in a note).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cxlib.errors import UsageError
from cxlib.importers.fields import read_date, target_of, value_of
from cxlib.importers.files import ImportInputError, read_text
from cxlib.importers.records import Batch, Incoming, Refused, SourceOptions, text_of
from cxlib.model.kinds import Kind
from cxlib.model.vocabulary import STATUS_ENUMS

MAX_CELL = 20_000


def read(paths: list[Path], options: SourceOptions) -> Batch:
    kind = options.kind
    if kind is None:
        raise UsageError("csv needs --kind insight, opportunity or experiment")
    targets = _targets(kind, options)
    batch = Batch()
    for path in paths:
        _read_file(path, kind, targets, options, batch)
    return batch


def _targets(kind: Kind, options: SourceOptions) -> dict[str, tuple[str, str]]:
    if not options.mapping:
        raise UsageError(
            "csv needs a mapping of columns to fields", hint='--map "Title=title" --map …'
        )
    targets: dict[str, tuple[str, str]] = {}
    for column, name in options.mapping:
        if name == "source_ref":
            targets[column] = ("ref", name)
            continue
        target = target_of(kind, options.config, name)
        if target is None:
            raise UsageError(
                f"--map {column}={name}: an {kind.value} has no field or section '{name}'",
                hint=f"see 'cxlib schema {kind.value}'",
            )
        targets[column] = target
    if ("field", "title") not in targets.values():
        raise UsageError("csv needs a column mapped to title", hint='--map "Title=title"')
    return targets


def _rows(path: Path) -> csv.DictReader[str]:
    text = read_text(path)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)


def _read_file(
    path: Path,
    kind: Kind,
    targets: dict[str, tuple[str, str]],
    options: SourceOptions,
    batch: Batch,
) -> None:
    rows = _rows(path)
    missing = [c for c in targets if c not in (rows.fieldnames or [])]
    if missing:
        raise ImportInputError(
            f"{path}: no column {', '.join(repr(c) for c in missing)}",
            hint=f"its columns: {', '.join(rows.fieldnames or [])}",
        )
    try:
        for row in rows:
            where = f"{path.name}:{rows.line_num}"
            inc = _incoming(row, kind, targets, f"csv:{path.name}#{rows.line_num}", options)
            if isinstance(inc, str):
                batch.refused.append(Refused(where, inc))
            else:
                batch.incoming.append(inc)
    except csv.Error as e:
        raise ImportInputError(f"{path}:{rows.line_num}: not readable as CSV: {e}") from None


def _incoming(
    row: dict[str, str | None],
    kind: Kind,
    targets: dict[str, tuple[str, str]],
    ref: str,
    options: SourceOptions,
) -> Incoming | str:
    """The row's document, or the reason it cannot be one."""
    inc = Incoming(ref=ref, kind=kind, title="")
    for column, (what, name) in targets.items():
        cell = row.get(column) or ""
        if len(cell) > MAX_CELL:
            return f"{column}: a cell of more than {MAX_CELL} characters"
        if what == "ref":
            if cell.strip():
                inc.ref = f"csv:{text_of(cell, 200)}"
        elif what == "section":
            if cell.strip():
                inc.sections[name] = cell.strip().replace("\r\n", "\n")
        elif name == "title":
            inc.title = text_of(cell, 200)
        elif name == "created":
            inc.created = read_date(cell)
        else:
            value = value_of(kind, name, cell)
            if value is not None:
                inc.fields[name] = value
    if not inc.title:
        return "no title"
    if inc.created is None:
        inc.created = options.today
        inc.notes.append("no created date: today")
    inc.fields.setdefault("status", next(iter(STATUS_ENUMS[kind])).value)
    inc.owned = tuple(inc.fields)  # --update: the sheet owns every column it fills
    return inc
