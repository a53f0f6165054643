"""The hook's id index: trusted while no folder changed, never when one did."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, write

from cxlib.kb.idindex import SHARDS_DIR, _shard_of

ONE = "insights/INS-0002-shipping-costs-surface-too-late.md"


def _age(path: Path, seconds: int = 60) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "northwind"
    example_copy(root)
    for path in [
        *root.rglob("*.md"),
        *(root / f for f in ("insights", "opportunities", "experiments")),
    ]:
        _age(path)
    return root


def _shard(base: Path, key: str) -> Path:
    return base / ".cxlib" / SHARDS_DIR / f"{_shard_of(key):02d}.json"


def _plant(base: Path, key: str, value: object) -> None:
    """Set the index's entry for ``key`` in the shard that holds it."""
    shard = _shard(base, key)
    data = json.loads(shard.read_text())
    data["ids"][key] = value
    shard.write_text(json.dumps(data))


PLANTED = ["insights/INS-0002-shipping-costs-surface-too-late.md", "insights/INS-0002-planted.md"]


def _codes(root: Path, *paths: str) -> list[str]:
    result = cx("validate", "--format", "json", *paths, cwd=root)
    return sorted(f["code"] for f in result.json()["findings"])


def test_the_index_is_read_while_no_folder_changed(base: Path) -> None:
    assert _codes(base, ONE) == []
    index = base / ".cxlib" / "ids.json"
    assert json.loads(index.read_text())["total"] == 47
    # A planted entry proves the next run reads the index instead of the folders.
    _plant(base, "INS-0002", PLANTED)
    assert _codes(base, ONE) == ["duplicate-id"]


def test_the_hook_reads_only_the_shards_it_needs(base: Path) -> None:
    assert _codes(base, ONE) == []
    needed = {_shard(base, "INS-0002")}
    for shard in (base / ".cxlib" / SHARDS_DIR).iterdir():
        if shard not in needed:
            shard.write_text("not read")  # a shard of a key this check never asks for
    _plant(base, "INS-0002", PLANTED)
    assert _codes(base, ONE) == ["duplicate-id"]


@pytest.mark.parametrize("damage", ["missing", "another generation", "not json"])
def test_a_shard_the_header_does_not_vouch_for_means_listing_the_folders(
    base: Path, damage: str
) -> None:
    assert _codes(base, ONE) == []
    _plant(base, "INS-0002", PLANTED)
    shard = _shard(base, "INS-0002")
    if damage == "missing":
        shard.unlink()
    elif damage == "not json":
        shard.write_text("{")
    else:
        data = json.loads(shard.read_text())
        data["generation"] += 1
        shard.write_text(json.dumps(data))
    assert _codes(base, ONE) == []  # the planted entry is not believed: listed again


def test_a_new_file_changes_its_folder_and_the_index_is_rebuilt(base: Path) -> None:
    assert _codes(base, ONE) == []
    twin = (base / ONE).read_text()
    write(base, "insights/INS-0002-twin.md", twin)
    assert _codes(base, ONE) == ["duplicate-id"]
    (base / "insights/INS-0002-twin.md").unlink()
    assert _codes(base, ONE) == []


def test_a_folder_changed_just_before_the_index_is_not_trusted(base: Path) -> None:
    (base / "insights").touch()  # as if a file had just come and gone: the racy window
    assert _codes(base, ONE) == []
    _plant(base, "INS-0002", PLANTED)
    assert _codes(base, ONE) == []  # listed again: the planted entry is gone


def test_a_damaged_index_is_no_index(base: Path) -> None:
    assert _codes(base, ONE) == []
    (base / ".cxlib" / "ids.json").write_text('{"key": 1, "ids": [')
    assert _codes(base, ONE) == []


def test_an_index_of_the_wrong_shape_is_no_index(base: Path) -> None:
    assert _codes(base, ONE) == []
    _plant(base, "INS-0002", [7, None])
    assert _codes(base, ONE) == []
    _plant(base, "INS-0002", "not a list")
    assert _codes(base, ONE) == []
