"""A ``.cxlib/`` that cannot be used — another user's, as ``sudo cxlib`` leaves it, a file in its
place, entries of the wrong type — only costs the cache, which a run says once on stderr:
reading commands work without it, and the commands that need it (the id lock, the journal of an
unfinished renumber) stop with exit 2 naming it. The user's files are never touched.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import cx, snapshot
from tests.processes import permissions_hold, restricted

READING = [
    ["validate"],
    ["validate", "insights/INS-0001-shipping-costs-surface-too-late.md"],
    ["list"],
    ["show", "INS-0001"],
    ["search", "shipping"],
    ["report", "health"],
    ["log"],
]
UNUSABLE = "working without cxlib's cache, which cannot be used"
WRITING = [
    ["new", "insight", "Another one", "--no-input", "--stage", "purchase"],
    ["set", "INS-0001", "confidence=high"],
    ["renumber", "INS-0001", "INS-0042"],
]


def _restricted(root: Path, *args: str) -> tuple[int, str]:
    code, out, err = restricted(root, *args)
    return code, out + err


def _in_process(root: Path, *args: str) -> tuple[int, str]:
    result = cx("-C", root, *args, cwd=root)
    return result.exit_code, result.output


def _folder_of_another_user(top: Path) -> None:
    top.mkdir(exist_ok=True)
    (top / "facts").mkdir(exist_ok=True)
    top.chmod(0)


def _file(top: Path) -> None:
    top.write_text("not a folder\n")


def _wrong_entries(top: Path) -> None:
    top.mkdir()
    (top / "facts").write_text("not a folder\n")
    (top / "parsed").write_text("not a folder\n")
    (top / "history.json").mkdir()


def _lock_is_a_folder(top: Path) -> None:
    top.mkdir()
    (top / "ids.lock").mkdir()


def _journal_is_a_folder(top: Path) -> None:
    top.mkdir()
    (top / "journal.json").mkdir()


# Each way, what the refusals name, and which commands refuse: those that need the id lock (new,
# renumber) or must look for a journal (every writing command); the others work.
LOCKING = {"new", "renumber"}
ALL = {"new", "set", "renumber"}
CONDITIONS: list[tuple[Callable[[Path], None], str, set[str]]] = [
    (_folder_of_another_user, ".cxlib/", ALL),
    (_file, ".cxlib/", LOCKING),
    (_lock_is_a_folder, ".cxlib/ids.lock", LOCKING),
    (_journal_is_a_folder, ".cxlib/journal.json", ALL),
    (_wrong_entries, "", set()),  # last: its writes change the base
]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="capabilities are Linux's")
def test_commands_work_without_a_cache_folder_they_cannot_use(kb: Path, tmp_path: Path) -> None:
    if not permissions_hold(tmp_path):
        pytest.skip("this process reads folders whatever their permissions")
    made = cx("-C", kb, "new", "insight", "Shipping costs surface too late", "--no-input")
    assert made.exit_code == 0, made.output
    assert UNUSABLE not in cx("-C", kb, "validate").output
    top = kb / ".cxlib"
    for make, named, refusing in CONDITIONS:
        name = make.__name__
        if top.is_dir():
            shutil.rmtree(top)
        top.unlink(missing_ok=True)
        make(top)
        run = _restricted if make is _folder_of_another_user else _in_process
        try:
            for args in READING:
                code, out = run(kb, *args)
                assert code == 0, (name, args, out)
                said = out.count(UNUSABLE)
                assert said <= 1, (name, args, out)  # said once, however many files it skips
                if make in (_folder_of_another_user, _file) and args == ["validate"]:
                    assert said == 1, (name, out)
            for args in WRITING:
                before = snapshot(kb)
                code, out = run(kb, *args)
                if args[0] not in refusing:
                    assert code == 0, (name, args, out)
                    continue
                assert code == 2, (name, args, out)
                assert named in out and "internal error" not in out, (name, args, out)
                assert snapshot(kb) == before, (name, args)
        finally:
            if top.is_dir():
                top.chmod(0o700)
