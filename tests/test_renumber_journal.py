"""An interrupted ``renumber`` is finished with ``--resume`` or undone with ``--rollback``.

The renumber runs in real processes (``tests/forked.py``) that kill themselves with SIGKILL, or
interrupt themselves with SIGINT, or have a write fail, at an exact step of a write; the
library is then compared byte for byte with a snapshot from before, or with the tree an
uninterrupted run leaves. The tests of what happens once a journal exists make it in-process,
with a write that fails (the write seam raising ENOSPC), which leaves the same journal.
"""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, snapshot, write
from tests.forked import run_forked

from cxlib.kb import write as write_module
from cxlib.kb.id_lock import ids_reserved

SEED = 20260711
KILL_POINTS = 20
RENUMBER = ["renumber", "EXP-0003", "EXP-0100"]
JOURNAL = Path(".cxlib") / "journal.json"
RENAMED = "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"

# More documents that cite EXP-0003, in the layouts a line-level edit must keep byte for byte:
# CRLF and a BOM, a flow list, a link with text, no final newline, a subfolder.
CITING = {
    "insights/INS-0101-crlf-and-bom.md": "\ufeff---\r\nid: INS-0101\r\ntitle: CRLF and a BOM\r\n"
    "status: draft\r\ncreated: 2026-01-05\r\nevidence:\r\n  - EXP-0003\r\n---\r\n\r\n"
    "See [[EXP-0003]].\r\n",
    "insights/INS-0102-flow-list.md": "---\nid: INS-0102\ntitle: A flow list\nstatus: draft\n"
    "created: 2026-01-06\nevidence: [EXP-0019, EXP-0003]\n---\n\nBoth tests.\n",
    "insights/INS-0103-link-with-text.md": "---\nid: INS-0103\ntitle: A link with text\n"
    "status: draft\ncreated: 2026-01-07\n---\n\nAs [[EXP-0003|the banner]] showed.\n",
    "insights/INS-0104-no-final-newline.md": "---\nid: INS-0104\ntitle: No final newline\n"
    'status: draft\ncreated: 2026-01-08\nevidence:\n  - "EXP-0003"  # quoted\n---\n\n'
    "[[EXP-0003]]",
    "insights/archive/INS-0105-in-a-subfolder.md": "---\nid: INS-0105\ntitle: In a subfolder\n"
    "status: draft\ncreated: 2026-01-09\ncounter_evidence: [EXP-0003]\n---\n\nNo.\n",
    "experiments/EXP-0101-follows-the-banner.md": "---\nid: EXP-0101\ntitle: Follows the banner\n"
    "status: draft\ncreated: 2026-01-10\nfollows: [EXP-0003]\n---\n\n## Hypothesis\n\nMore.\n",
}


def _base(root: Path) -> Path:
    example_copy(root)
    for rel, text in CITING.items():
        write(root, rel, text)
    return root


def _copy(source: Path, target: Path) -> Path:
    """The whole folder as it is: the journal and any temporary file a kill left included."""
    shutil.copytree(source, target, symlinks=True)
    return target


def _renumber_in(root: Path, **stop: object) -> dict[str, object]:
    return {"args": ["-C", str(root), *RENUMBER], **stop}


def _relative(steps: list[tuple[str, str]], root: Path) -> list[tuple[str, str]]:
    return [(name, Path(path).relative_to(root).as_posix()) for name, path in steps]


@contextmanager
def _seam(at_step: Callable[[str, Path], None]) -> Iterator[None]:
    write_module.AT_STEP = at_step
    try:
        yield
    finally:
        write_module.AT_STEP = None


@pytest.fixture
def reference(tmp_path: Path) -> tuple[Path, list[tuple[str, str]]]:
    """The base renumbered without interruption, and the write steps it took."""
    root = _base(tmp_path / "reference")
    steps: list[tuple[str, str]] = []
    with _seam(lambda name, path: steps.append((name, str(path)))):
        result = cx("-C", root, *RENUMBER)
    assert result.exit_code == 0, result.output
    assert not (root / JOURNAL).exists()
    return root, _relative(steps, root)


def _kill_points(steps: list[tuple[str, str]]) -> list[int]:
    """KILL_POINTS seeded step numbers of an unfinished run (a kill after the last step, the
    journal's removal, is a finished run), always including the two worst moments: the journal
    written but not yet in place, and a document written to its temporary file but not renamed."""
    last = len(steps)
    assert steps[0] == ("temporary", JOURNAL.as_posix())
    assert steps[-1] == ("removed", JOURNAL.as_posix())
    document = next(n for n, (name, path) in enumerate(steps, 1) if n > 2 and name == "temporary")
    forced = {1, document}
    rest = sorted(set(range(1, last)) - forced)
    return sorted(forced | set(random.Random(SEED).sample(rest, KILL_POINTS - len(forced))))


def test_a_renumber_killed_at_any_step_rolls_back_or_resumes(
    tmp_path: Path, reference: tuple[Path, list[tuple[str, str]]]
) -> None:
    done, steps = reference
    base = _base(tmp_path / "base")
    before, after = snapshot(base), snapshot(done)
    assert len(steps) >= KILL_POINTS + 2, steps  # 10 files: 2 + 3 + 9 x 2 + 1 = 24
    points = _kill_points(steps)
    assert len(points) == KILL_POINTS
    killed = {n: _copy(base, tmp_path / f"killed-{n}") for n in points}
    runs = run_forked(
        [_renumber_in(killed[n], at=n, action="kill") for n in points], tmp_path / "runs"
    )
    for n, run in zip(points, runs, strict=True):
        where = f"killed after step {n} of {len(steps)}: {steps[n - 1]}"
        assert run.returncode == -signal.SIGKILL, (where, run.stderr)
        assert _relative(run.steps, killed[n]) == steps[:n], where  # it died exactly there
        journaled = (killed[n] / JOURNAL).exists()
        assert journaled == (n >= 2), where  # the journal is in place from its rename on
        resumed = _copy(killed[n], tmp_path / f"resumed-{n}")

        back = cx("-C", killed[n], "renumber", "--rollback")
        if journaled:
            assert back.exit_code == 0, (where, back.output)
            assert "rolled back renumber EXP-0003 -> EXP-0100" in back.stdout
        else:
            assert back.exit_code == 2, (where, back.output)
            assert "there is no unfinished renumber to roll back" in back.stderr
        assert snapshot(killed[n]) == before, where
        assert not (killed[n] / JOURNAL).exists(), where

        forward = cx("-C", resumed, "renumber", "--resume")
        if not journaled:  # nothing was written: the renumber is simply run again
            assert forward.exit_code == 2, (where, forward.output)
            forward = cx("-C", resumed, *RENUMBER)
        assert forward.exit_code == 0, (where, forward.output)
        assert snapshot(resumed) == after, where
        assert not (resumed / JOURNAL).exists(), where


def _renamed_half_way(tmp_path: Path) -> Path:
    """A base whose renumber stopped, its journal kept, with the renamed file and one more
    written: the fourth temporary file (the journal's, the renamed file's, one more, then this
    one) could not be written."""
    root = _base(tmp_path / "half")
    temporaries = 0

    def full_disk(name: str, path: Path) -> None:
        nonlocal temporaries
        temporaries += name == "temporary"
        if temporaries == 4 and name == "temporary":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with _seam(full_disk):
        result = cx("-C", root, *RENUMBER)
    assert result.exit_code == 2, result.output
    assert "2 of 10 files were changed" in result.stderr
    assert (root / JOURNAL).exists()
    return root


def test_a_failure_midway_says_how_many_files_changed(
    tmp_path: Path, reference: tuple[Path, list[tuple[str, str]]]
) -> None:
    done, steps = reference
    before = snapshot(_base(tmp_path / "base"))
    fourth = Path([path for name, path in steps if name == "temporary"][3]).name
    said = {
        "fail": (2, f"cannot write {fourth}: No space left on device; 2 of 10 files were changed"),
        "interrupt": (130, "interrupted; 2 of 10 files were changed"),
    }
    roots = {action: _copy(tmp_path / "base", tmp_path / action) for action in said}
    runs = run_forked(
        [_renumber_in(roots[a], at=4, step="temporary", action=a) for a in said], tmp_path / "runs"
    )
    for (action, (code, message)), run in zip(said.items(), runs, strict=True):
        root = roots[action]
        assert run.returncode == code, run.stderr
        assert message in run.stderr, action
        assert "the file was not changed" not in run.stderr
        assert "cxlib renumber --resume" in run.stderr, action
        assert "cxlib renumber --rollback" in run.stderr, action
        assert "Traceback" not in run.stderr
        assert not list(root.rglob(".*.tmp"))  # an exception, unlike a kill, cleans up
        resumed = _copy(root, tmp_path / f"{action}-resumed")
        back = cx("-C", root, "renumber", "--rollback")
        assert back.exit_code == 0, back.output
        assert "2 file(s) put back as they were, 8 had not been changed" in back.stdout
        assert snapshot(root) == before
        forward = cx("-C", resumed, "renumber", "--resume", "--format", "json")
        assert forward.exit_code == 0, forward.output
        assert forward.json()["written"] == 8 and forward.json()["files"] == 10
        assert snapshot(resumed) == snapshot(done)


@pytest.mark.parametrize("option", ["--rollback", "--resume"])
def test_a_recovery_killed_midway_is_run_again(
    tmp_path: Path, reference: tuple[Path, list[tuple[str, str]]], option: str
) -> None:
    done, _ = reference
    before = snapshot(_base(tmp_path / "base"))
    root = _renamed_half_way(tmp_path)
    args = ["-C", str(root), "renumber", option]
    [run] = run_forked([{"args": args, "at": 3, "action": "kill"}], tmp_path / "runs")
    assert run.returncode == -signal.SIGKILL, run.stderr
    assert (root / JOURNAL).exists()
    again = cx("-C", root, "renumber", option)
    assert again.exit_code == 0, again.output
    assert snapshot(root) == (before if option == "--rollback" else snapshot(done))
    assert not (root / JOURNAL).exists()


COMMANDS = [
    ("set", "INS-0002", "confidence=low"),
    ("link", "OPP-0001", "INS-0003"),
    ("link", "OPP-0001", "INS-0003", "--dry-run"),
    ("unlink", "INS-0007", "EXP-0019"),
    ("status", "EXP-0019", "abandoned"),
    ("new", "insight", "Written while unfinished", "--no-input"),
    ("renumber", "EXP-0019"),
    ("renumber", "EXP-0100", "EXP-0003"),  # renumbering back by hand is no repair either
]


def test_while_a_journal_exists_every_writing_command_refuses(tmp_path: Path) -> None:
    root = _renamed_half_way(tmp_path)
    state = snapshot(root)
    for args in COMMANDS:
        result = cx("-C", root, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "the renumber EXP-0003 -> EXP-0100 did not finish" in result.stderr, args
        assert "cxlib renumber --resume" in result.stderr, args
        assert "cxlib renumber --rollback" in result.stderr, args
        assert snapshot(root) == state, args
    with ids_reserved(root):  # the journal of a renumber still running: wait for it
        busy = cx("-C", root, "link", "OPP-0001", "INS-0003")
    assert busy.exit_code == 2, busy.output
    assert "a renumber is running in this knowledge base" in busy.stderr
    assert cx("-C", root, "renumber", "--resume").exit_code == 0
    assert cx("-C", root, *COMMANDS[0]).exit_code == 0  # and writing works again


def test_resume_refuses_a_file_edited_since_and_rollback_leaves_it(
    tmp_path: Path, reference: tuple[Path, list[tuple[str, str]]]
) -> None:
    root = _renamed_half_way(tmp_path)
    # The last file the renumber replaces is one it had not reached.
    pending = [path for name, path in reference[1] if name == "replaced"]
    edited = root / pending[-1]
    edited.write_bytes(edited.read_bytes().replace(b"EXP-0003", b"EXP-0003 (edited)", 1))
    state = snapshot(root)
    refused = cx("-C", root, "renumber", "--resume")
    assert refused.exit_code == 2, refused.output
    assert f"cannot resume the renumber EXP-0003 -> EXP-0100: {pending[-1]} is neither" in (
        refused.stderr
    )
    assert "nothing was written" in refused.stderr and "--rollback" in refused.stderr
    assert snapshot(root) == state

    base = snapshot(_base(tmp_path / "base"))
    back = cx("-C", root, "renumber", "--rollback")
    assert back.exit_code == 0, back.output
    assert f"{pending[-1]} was changed by someone else meanwhile; left as it is" in back.stderr
    restored = snapshot(root)
    assert restored[pending[-1]] == edited.read_bytes()
    assert {p for p in base if base[p] != restored.get(p)} == {pending[-1]}
    assert not (root / JOURNAL).exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"{not json",
        lambda data: data.replace(b'"path":"insights/', b'"path":"../insights/', 1),
        lambda data: data.replace(b'"before":"', b'"before":"AAAA', 1),
    ],
    ids=["not-json", "path-outside", "bytes-not-their-digest"],
)
def test_a_damaged_journal_is_never_followed(tmp_path: Path, damage: object) -> None:
    root = _renamed_half_way(tmp_path)
    journal = root / JOURNAL
    data = json.dumps(json.loads(journal.read_bytes()), separators=(",", ":")).encode()
    assert callable(damage)
    journal.write_bytes(damage(data))
    state = snapshot(root)
    for args in (("renumber", "--rollback"), ("renumber", "--resume"), COMMANDS[0]):
        result = cx("-C", root, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "the journal of an unfinished change, cannot be read" in result.stderr
        assert snapshot(root) == state


@pytest.mark.parametrize(
    "args, message",
    [
        (("--resume", "--rollback"), "--resume and --rollback exclude each other"),
        (("EXP-0003", "--resume"), "--resume takes no id and no --dry-run"),
        (("--rollback", "--dry-run"), "--rollback takes no id and no --dry-run"),
        ((), "give the id to renumber (OLD)"),
        (("--resume",), "there is no unfinished renumber to resume"),
    ],
)
def test_recovery_options_are_checked(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    root = _base(tmp_path / "base")
    result = cx("-C", root, "renumber", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
