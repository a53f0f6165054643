"""A whole-base validate answers from the last run while no document changed, and never
answers from it once one did."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import HOUR_AGO, cx, settled_copy

from cxlib.kb.run_cache import NAME


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The example, every document last modified an hour ago (outside the racy window)."""
    return settled_copy(tmp_path / "northwind")


def _record(base: Path) -> Path:
    return base / ".cxlib" / NAME


def _validate(base: Path) -> tuple[int, str]:
    result = cx("-C", base, "validate", "--format", "json")
    return result.exit_code, result.stdout


def _plant(base: Path) -> None:
    """A finding the rules never make, added to the recorded answer (digest kept)."""
    record = json.loads(_record(base).read_text())
    record["findings"].append(
        {
            "code": "planted",
            "severity": "warning",
            "path": "insights/PLANTED.md",
            "line": 1,
            "column": 0,
            "field": None,
            "message": "planted",
            "hint": None,
        }
    )
    _record(base).write_text(json.dumps(record))


def test_an_unchanged_base_is_answered_from_the_last_run(base: Path) -> None:
    first = _validate(base)
    assert _record(base).is_file()
    assert _validate(base) == first
    _plant(base)
    assert "planted" in _validate(base)[1]  # the recorded answer is what was said


def _edit(base: Path) -> None:
    doc = next((base / "insights").glob("INS-0002-*.md"))
    text = doc.read_text().replace("status: ", "status: bogus-", 1)
    doc.write_text(text)
    os.utime(doc, (HOUR_AGO, HOUR_AGO))  # the old modification time put back: still seen


def _add(base: Path) -> None:
    source = next((base / "insights").glob("INS-0002-*.md"))
    shutil.copy2(source, base / "insights" / "INS-0099-a-copy.md")  # a duplicate title, same id


def _remove(base: Path) -> None:
    next((base / "insights").glob("INS-0002-*.md")).unlink()  # its links now point nowhere


def _rename(base: Path) -> None:
    doc = next((base / "insights").glob("INS-0002-*.md"))
    doc.rename(doc.with_name("INS-0098-renamed.md"))  # the id no longer matches the name


@pytest.mark.parametrize("change", [_edit, _add, _remove, _rename])
def test_any_change_to_the_documents_is_checked_again(
    base: Path, change: Callable[[Path], None]
) -> None:
    _validate(base)
    _plant(base)
    change(base)
    code, out = _validate(base)
    assert "planted" not in out
    assert code == 1, out  # each change makes an error the rules find


def test_a_changed_config_or_option_is_checked_again(base: Path) -> None:
    _validate(base)
    _plant(base)
    assert "planted" not in cx("-C", base, "validate", "--strict", "--format", "json").stdout
    toml = base / "cxlib.toml"
    toml.write_text(toml.read_text() + "\n# a comment\n")
    assert "planted" not in _validate(base)[1]


def test_a_symlink_added_to_a_kind_folder_is_reported_whatever_the_record(base: Path) -> None:
    first = _validate(base)
    (base / "insights" / "elsewhere.md").symlink_to(base / "README.md")
    code, out = _validate(base)
    assert code == 1 and "symlink" in out and out != first[1]


def test_files_changed_within_the_racy_window_are_not_recorded(base: Path) -> None:
    doc = next((base / "insights").glob("INS-0002-*.md"))
    os.utime(doc)  # just now
    _validate(base)
    assert not _record(base).exists()


@pytest.mark.parametrize("damage", ["", "{", "[]", '{"digest": 5}', '{"digest": null}'])
def test_a_damaged_record_is_no_record(base: Path, damage: str) -> None:
    first = _validate(base)
    _record(base).write_text(damage)
    assert _validate(base) == first
