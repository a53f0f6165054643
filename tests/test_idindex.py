"""The hook's id index: trusted while no folder changed, never when one did."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, cx, write

ONE = "insights/INS-0002-shipping-costs-surface-too-late.md"


def _age(path: Path, seconds: int = 60) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns - seconds * 1_000_000_000))


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".cxlib"))
    for path in [
        *root.rglob("*.md"),
        *(root / f for f in ("insights", "opportunities", "experiments")),
    ]:
        _age(path)
    return root


def _codes(root: Path, *paths: str) -> list[str]:
    result = cx("validate", "--format", "json", *paths, cwd=root)
    return sorted(f["code"] for f in result.json()["findings"])


def test_the_index_is_read_while_no_folder_changed(base: Path) -> None:
    assert _codes(base, ONE) == []
    index = base / ".cxlib" / "ids.json"
    data = json.loads(index.read_text())
    assert data["total"] == 47
    # A planted entry proves the next run reads the index instead of the folders.
    data["ids"]["INS-0002"].append("insights/INS-0002-planted.md")
    index.write_text(json.dumps(data))
    assert _codes(base, ONE) == ["duplicate-id"]


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
    index = base / ".cxlib" / "ids.json"
    data = json.loads(index.read_text())
    data["ids"]["INS-0002"].append("insights/INS-0002-planted.md")
    index.write_text(json.dumps(data))
    assert _codes(base, ONE) == []  # listed again: the planted entry is gone


def test_a_damaged_index_is_no_index(base: Path) -> None:
    assert _codes(base, ONE) == []
    (base / ".cxlib" / "ids.json").write_text('{"key": 1, "ids": [')
    assert _codes(base, ONE) == []


def test_an_index_of_the_wrong_shape_is_no_index(base: Path) -> None:
    assert _codes(base, ONE) == []
    index = base / ".cxlib" / "ids.json"
    data = json.loads(index.read_text())
    data["ids"]["INS-0002"] = [7, None]
    index.write_text(json.dumps(data))
    assert _codes(base, ONE) == []
