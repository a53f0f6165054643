"""When the operating system refuses a read or a write — no space left, a read-only folder or
cache, an unreadable document — the command says "cannot write …" or "cannot read …" naming the
file and exits 2, never 3; the user's files are as they were."""

from __future__ import annotations

import resource
import sys
from pathlib import Path

import pytest
from tests.conftest import snapshot
from tests.processes import limited, permissions_hold, restricted

NEW = ["new", "insight", "Delivery slots fill up", "--no-input", "--stage", "purchase"]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux capabilities")


def _no_traceback(err: str) -> None:
    assert "Traceback" not in err and "internal error" not in err, err


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="POSIX resource limits")
def test_new_with_no_space_left_is_exit_2_and_writes_nothing(base: Path) -> None:
    before = snapshot(base)
    code, _, err = limited(base, *NEW, max_bytes=64)
    assert code == 2, err
    assert "cannot write INS-" in err and "delivery-slots-fill-up.md" in err
    _no_traceback(err)
    assert snapshot(base) == before
    assert not [p for p in (base / "insights").iterdir() if p.name.startswith(".")]


@linux_only
def test_new_into_a_read_only_kind_folder_is_exit_2(base: Path, tmp_path: Path) -> None:
    if not permissions_hold(tmp_path):
        pytest.skip("this process writes folders whatever their permissions")
    folder = base / "insights"
    before = snapshot(base)
    folder.chmod(0o555)
    try:
        code, _, err = restricted(base, *NEW)
    finally:
        folder.chmod(0o755)
    assert code == 2, err
    assert "cannot write INS-" in err and "Permission denied" in err
    _no_traceback(err)
    assert snapshot(base) == before


@linux_only
def test_show_of_an_unreadable_document_is_exit_2_naming_it(base: Path, tmp_path: Path) -> None:
    if not permissions_hold(tmp_path):
        pytest.skip("this process reads files whatever their permissions")
    doc = next((base / "insights").glob("INS-0001-*.md"))
    doc.chmod(0)
    try:
        code, _, err = restricted(base, "show", "INS-0001")
    finally:
        doc.chmod(0o644)
    assert code == 2, err
    assert f"cannot read insights/{doc.name}" in err and "Permission denied" in err
    _no_traceback(err)


@linux_only
def test_a_read_only_cache_folder_costs_only_the_commands_that_need_it(
    base: Path, tmp_path: Path
) -> None:
    if not permissions_hold(tmp_path):
        pytest.skip("this process writes folders whatever their permissions")
    top = base / ".cxlib"
    top.mkdir()
    top.chmod(0o555)
    before = snapshot(base)
    try:
        for args in (["validate"], ["list"], ["search", "shipping"], ["show", "INS-0001"]):
            code, _, err = restricted(base, *args)
            assert code == 0, (args, err)
        for args in (NEW, ["renumber", "INS-0002", "INS-0099"]):
            code, _, err = restricted(base, *args)
            assert code == 2, (args, err)
            assert "cannot lock .cxlib/ids.lock" in err and "chown" in err, err
            _no_traceback(err)
    finally:
        top.chmod(0o755)
    assert snapshot(base) == before
