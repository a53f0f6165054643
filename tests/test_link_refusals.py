"""What ``link``/``unlink`` refuse: each refusal exits 2, says why, and leaves every file as it was.

The crash and concurrent-editor tests run the real CLI in a child process that pauses at the one
seam in cxlib's writer (after the new content is in the temporary file, before the check and the
rename), and the test kills it there, interrupts it, edits the file under it, or makes it fail.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, cx, snapshot

OPP = "opportunities/OPP-0100-hand-written.md"
GOOD = (
    "---\nid: OPP-0100\ntitle: Hand written\nstatus: idea\ncreated: 2025-01-10\n"
    "insights: [INS-0001]\n---\n\n## Why\n\nBecause.\n"
)
NEEDED = ("INS-0001", "INS-0002", "INS-0003", "OPP-0003", "EXP-0003")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "northwind"
    target.mkdir()
    shutil.copy2(EXAMPLE / "cxlib.toml", target)
    for path in EXAMPLE.glob("*/*.md"):
        if path.name.startswith(NEEDED):
            (target / path.parent.name).mkdir(exist_ok=True)
            shutil.copy2(path, target / path.parent.name / path.name)
    (target / OPP).write_text(GOOD)
    return target


def refused(example: Path, *args: str) -> str:
    """Run a command that must be refused: exit 2, nothing changed; returns stderr."""
    before = snapshot(example)
    result = cx("-C", example, *args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert snapshot(example) == before
    return result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (("link", "OPP-0100", "INS-0999"), "link target INS-0999 does not exist"),
        (("link", "OPP-0999", "INS-0001"), "unknown id 'OPP-0999'"),
        (("link", "OPP-0100", "../etc/passwd"), "invalid id"),
        (("link", "OPP-0100", "OPP-0100"), "cannot link to itself"),
        (("unlink", "OPP-0100", "OPP-0100"), "cannot link to itself"),
        (("link", "INS-0001", "OPP-0100"), "an insight cannot link to an opportunity"),
        (("link", "OPP-0100", "OPP-0003"), "an opportunity cannot link to an opportunity"),
        (("link", "OPP-0100", "INS-0002", "--rel", "contradicts"), "only as: insights"),
        (("link", "INS-0001", "EXP-0003", "--rel", "follows"), "only as: evidence"),
        (("unlink", "OPP-0100", "INS-0404"), "unknown id 'INS-0404'"),
    ],
)
def test_refusals(example: Path, args: tuple[str, ...], message: str) -> None:
    assert message in refused(example, *args)


def test_reverse_link_names_the_command_that_works(example: Path) -> None:
    err = refused(example, "link", "INS-0002", "OPP-0100")
    assert "cxlib link OPP-0100 INS-0002" in err


@pytest.mark.parametrize(
    "front, reason",
    [
        (
            "insights: [INS-0001,\n  INS-0002]\n",
            "layout of 'insights' cannot be edited safely",
        ),
        ("insights:\n  # why these\n  - INS-0001\n", "holds a comment"),
        ("insights:\n  - INS-0001\n    continued\n", "multi-line item"),
        ("insights: [[INS-0001]]\n", "nested values"),
        ("insights: {a: INS-0001}\n", "is not a list"),
        ("insights: INS-0001\n", "is not a list"),
        ("base: &b INS-0001\ninsights: [*b]\n", "anchors/aliases are not allowed"),
        ('"insights": [INS-0001]\n', "written in a form cxlib does not edit"),
    ],
    ids=[
        "multi-line flow",
        "comment inside list",
        "multi-line item",
        "nested",
        "flow mapping",
        "scalar",
        "anchor",
        "quoted key",
    ],
)
def test_layouts_it_cannot_edit_safely(example: Path, front: str, reason: str) -> None:
    text = f"---\nid: OPP-0100\ntitle: Odd\nstatus: idea\ncreated: 2025-01-10\n{front}---\n"
    (example / OPP).write_text(text)
    err = refused(example, "link", "OPP-0100", "INS-0003")
    assert reason in err
    assert "nothing was written" in err
    if "layout" in reason or "comment" in reason or "multi-line" in reason:
        assert "make the change by hand" in err and "INS-0003" in err  # the manual snippet


def test_removing_an_item_that_carries_a_comment_is_refused(example: Path) -> None:
    text = GOOD.replace("insights: [INS-0001]", "insights:\n  - INS-0001  # the key one")
    (example / OPP).write_text(text)
    assert "carries a comment" in refused(example, "unlink", "OPP-0100", "INS-0001")


@pytest.mark.parametrize(
    "text, reason",
    [
        (
            GOOD.replace(
                "status: idea\n", "<<<<<<< HEAD\nstatus: idea\n=======\nstatus: x\n>>>>>>> b\n"
            ),
            "merge conflict",
        ),
        (GOOD.replace("created: 2025-01-10\n", "created: [2025\n"), "YAML syntax error"),
        (GOOD.replace("---\n\n## Why", "\n## Why"), "not closed"),
        ("no front-matter at all\n", "missing front-matter"),
        (GOOD.replace("\n", "\r"), "line endings"),
        (GOOD.replace("title: Hand written", "title: a\ntitle: b"), "duplicate key"),
    ],
    ids=["merge conflict", "yaml error", "unclosed", "missing", "lone CR", "duplicate key"],
)
def test_files_that_do_not_read_cleanly_are_never_edited(
    example: Path, text: str, reason: str
) -> None:
    (example / OPP).write_bytes(text.encode())
    # The id is taken from the file name when the front-matter cannot be read.
    err = refused(example, "link", "OPP-0100", "INS-0003")
    assert reason in err and OPP in err


def test_a_symlinked_document_is_not_followed(example: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(GOOD)
    (example / OPP).unlink()
    (example / OPP).symlink_to(outside)
    err = refused(example, "link", "OPP-0100", "INS-0003")
    assert "unknown id" in err
    assert outside.read_text() == GOOD


def test_an_id_that_disagrees_with_the_file_name_is_not_edited(example: Path) -> None:
    (example / OPP).write_text(GOOD.replace("id: OPP-0100", "id: OPP-0101"))
    err = refused(example, "link", "OPP-0100", "INS-0003")
    assert "the file name says OPP-0100 but the front-matter says id: OPP-0101" in err


def test_duplicate_ids_are_not_edited_by_id(example: Path) -> None:
    (example / "opportunities/OPP-0100-twin.md").write_text(GOOD)
    err = refused(example, "link", "OPP-0100", "INS-0003")
    assert "used by 2 files" in err and "cxlib renumber" in err


# -- the child process that pauses between writing the temporary file and renaming it -----------
CHILD = """
import sys
from cxlib.kb import write

def pause(target):
    print("paused", flush=True)
    if sys.stdin.readline().strip() == "fail":
        raise OSError(28, "No space left on device")

write.BEFORE_REPLACE = pause
from cxlib.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _paused_link(example: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, "-C", str(example), "link", "OPP-0100", "INS-0003"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    if first.strip() != "paused":
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"the child did not reach the pause point: {first!r} {err}")
    return proc


def _temporaries(example: Path) -> list[Path]:
    return sorted((example / "opportunities").glob(".OPP-0100*.tmp"))


def test_killed_between_write_and_rename_leaves_the_original_intact(example: Path) -> None:
    original = (example / OPP).read_bytes()
    proc = _paused_link(example)
    temps = _temporaries(example)
    assert len(temps) == 1 and b"INS-0003" in temps[0].read_bytes()  # the new content is written
    proc.kill()
    proc.communicate()
    assert (example / OPP).read_bytes() == original
    # A kill cannot clean up; the leftover is a dot-file, not a document: nothing reads it.
    checked = cx("-C", example, "validate", example / OPP)
    assert checked.exit_code == 0, checked.output
    assert ".tmp" not in cx("-C", example, "validate").output
    result = cx("-C", example, "link", "OPP-0100", "INS-0003")
    assert result.exit_code == 0, result.output
    assert b"insights: [INS-0001, INS-0003]" in (example / OPP).read_bytes()


def test_interrupted_between_write_and_rename_cleans_up(example: Path) -> None:
    original = (example / OPP).read_bytes()
    proc = _paused_link(example)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130, err
    assert (example / OPP).read_bytes() == original
    assert _temporaries(example) == []


def test_a_failing_write_leaves_the_original_and_no_temporary(example: Path) -> None:
    original = (example / OPP).read_bytes()
    proc = _paused_link(example)
    _, err = proc.communicate("fail\n")
    assert proc.returncode == 2, err
    assert "No space left on device" in err and "Traceback" not in err
    assert (example / OPP).read_bytes() == original
    assert _temporaries(example) == []


def test_a_concurrent_edit_is_never_overwritten(example: Path) -> None:
    proc = _paused_link(example)
    theirs = GOOD.replace("title: Hand written", "title: Edited meanwhile").encode()
    (example / OPP).write_bytes(theirs)
    _, err = proc.communicate("\n")
    assert proc.returncode == 2, err
    assert "changed on disk since it was read" in err
    assert (example / OPP).read_bytes() == theirs
    assert _temporaries(example) == []


def test_a_set_of_changes_is_checked_before_the_first_write(tmp_path: Path) -> None:
    """renumber writes several files: a concurrent edit of any of them stops all of them."""
    from cxlib.errors import WriteRefusedError
    from cxlib.kb.changes import FileChange, apply

    (tmp_path / "a.md").write_bytes(b"A\n")
    (tmp_path / "b.md").write_bytes(b"B\n")
    changes = [FileChange("a.md", b"A\n", b"A2\n"), FileChange("b.md", b"B\n", b"B2\n")]
    (tmp_path / "b.md").write_bytes(b"B edited meanwhile\n")
    with pytest.raises(WriteRefusedError, match="changed on disk"):
        apply(tmp_path, changes)
    assert (tmp_path / "a.md").read_bytes() == b"A\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.md", "b.md"]
