"""The column (or key) → field mapping of the csv and markdown sources: ``--map "Title=title"``
options, or a small TOML file with a ``[map]`` table."""

from __future__ import annotations

import tomllib
from pathlib import Path

from cxlib.errors import UsageError
from cxlib.importers.files import ImportInputError, read_text


def parse_mapping(items: list[str], file: Path | None) -> tuple[tuple[str, str], ...]:
    """The pairs of the file, then of the options (an option wins for the same column)."""
    pairs: dict[str, str] = {}
    if file is not None:
        try:
            data = tomllib.loads(read_text(file, 1024 * 1024))
        except (tomllib.TOMLDecodeError, RecursionError, ValueError) as e:
            raise ImportInputError(f"{file}: invalid TOML: {e}") from None
        table = data.get("map")
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            raise ImportInputError(
                f'{file}: no [map] table of column = "field"',
                hint='[map]\nTitle = "title"\n"Key insight" = "summary"',
            )
        pairs.update(table)
    for item in items:
        column, sep, name = item.partition("=")
        if not sep or not column.strip() or not name.strip():
            raise UsageError(f"--map {item!r}: expected COLUMN=FIELD", hint='--map "Title=title"')
        pairs[column.strip()] = name.strip()
    return tuple(pairs.items())
