"""Writes cxlib refuses rather than make: through a linked folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, snapshot

NEW = ("new", "insight", "Shipping costs surface too late", "--no-input", "--stage", "purchase")


# -- new never writes through a link in the base --------------------------------------------------
@pytest.mark.parametrize("target", ["outside", "inside"])
def test_new_refuses_a_linked_kind_folder(kb: Path, tmp_path: Path, target: str) -> None:
    elsewhere = tmp_path / "elsewhere" if target == "outside" else kb / "archive"
    elsewhere.mkdir()
    (kb / "insights").rename(kb / "insights-old")
    (kb / "insights").symlink_to(elsewhere, target_is_directory=True)
    before = snapshot(kb)
    result = cx("-C", kb, *NEW)
    assert result.exit_code == 2, result.output
    assert "insights is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert snapshot(kb) == before


def test_new_refuses_a_dangling_link_in_place_of_the_kind_folder(kb: Path) -> None:
    (kb / "insights").rename(kb / "insights-old")
    (kb / "insights").symlink_to(kb / "nowhere", target_is_directory=True)
    result = cx("-C", kb, *NEW)
    assert result.exit_code == 2, result.output
    assert "insights is a symbolic link" in result.stderr
    assert not (kb / "nowhere").exists()
