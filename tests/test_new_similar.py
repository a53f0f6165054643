"""The "have we done this before?" notice of ``cxlib new`` is never stale: the index is brought
up to date first, and an index that cannot be written is said in one line, not a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy
from tests.processes import restricted

from cxlib.index.location import index_home

TITLE = "Reusable order lists for club buyers"


@pytest.fixture
def northwind(tmp_path: Path) -> Path:
    return example_copy(tmp_path / "northwind")


def _notice(stderr: str) -> dict[str, str]:
    """The notice's lines by id."""
    lines = stderr.splitlines()
    start = lines.index("similar documents already in the library (have we done this before?):")
    return {line.split()[0]: line for line in lines[start + 1 :] if line.startswith("  ")}


def test_a_status_changed_since_the_last_index_shows_as_it_is_now(northwind: Path) -> None:
    assert cx("-C", northwind, "index").exit_code == 0
    first = cx("-C", northwind, "new", "opportunity", TITLE, "--no-input")
    assert first.exit_code == 0, first.output
    assert " idea " in _notice(first.stderr)["OPP-0008"]
    scored = cx(
        "-C", northwind, "set", "OPP-0008", "customer_value=3", "business_value=4", "effort=2"
    )
    assert scored.exit_code == 0, scored.output
    moved = cx("-C", northwind, "status", "OPP-0008", "prioritized")
    assert moved.exit_code == 0, moved.output
    # No 'cxlib index' in between: new brings the index up to date itself.
    again = cx("-C", northwind, "new", "opportunity", TITLE + " again", "--no-input")
    assert again.exit_code == 0, again.output
    assert " prioritized " in _notice(again.stderr)["OPP-0008"]
    # the first new document is there too, indexed since
    assert any(line.startswith("OPP-0010") for line in _notice(again.stderr))
    assert "cxlib index" not in first.stderr + again.stderr


def test_a_read_only_index_folder_is_one_line_and_the_document_is_still_made(
    northwind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    os.chmod(cache, 0o555)
    try:
        code, out, err = restricted(northwind, "new", "opportunity", TITLE, "--no-input")
    finally:
        os.chmod(cache, 0o755)
    assert code == 0, err
    assert out.strip().endswith("opportunities/OPP-0010-reusable-order-lists-for-club-buyers.md")
    [line] = err.splitlines()
    assert line.startswith("note: similar documents not checked against recent edits: ")
    assert "cannot write the search index" in line
    assert not index_home(northwind).exists()
    assert cx("-C", northwind, "validate").exit_code == 0
