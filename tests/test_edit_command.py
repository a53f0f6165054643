"""``cxlib edit ID``: the document in the user's editor, checked when the editor closes, reopened
on request while invalid (as git commit does). The editor is a real process: a small script
given as $EDITOR / $VISUAL, or standing in for nano and vi on the PATH."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import pexpect
import pytest
from tests.conftest import ROOT, cx, example_copy

from cxlib.cli.editor import find_editor

CXLIB = ROOT / ".venv" / "bin" / "cxlib"

# An editor stand-in: each run applies the next of the changes listed in its argv (a counter
# file beside the script says which), writing them as a person would, then saves.
EDITOR_SCRIPT = """\
import sys
from pathlib import Path

changes, path = sys.argv[1:-1], Path(sys.argv[-1])
counter = Path(__file__).with_name("runs")
run = int(counter.read_text()) if counter.exists() else 0
counter.write_text(str(run + 1))
old, new = changes[min(run, len(changes) - 1)].split("=>")
text = path.read_text()
path.write_text(text.replace(old, new, 1) if old else text)
"""


@pytest.fixture
def northwind(tmp_path: Path) -> Path:
    return example_copy(tmp_path / "northwind")


def editor(tmp_path: Path, *changes: str) -> str:
    """An $EDITOR value: python running the stand-in with ``changes`` (``old=>new`` each)."""
    script = tmp_path / "fake_editor.py"
    script.write_text(EDITOR_SCRIPT)
    return shlex.join([sys.executable, str(script), *changes])


def doc_path(root: Path) -> Path:
    [path] = (root / "experiments").glob("EXP-0002-*.md")
    return path


BREAK = "status: implemented=>status: finished"
FIX = "status: finished=>status: implemented"
RETITLE = "\ntitle: =>\ntitle: Edited - "


def test_an_edit_that_stays_valid_exits_0(
    northwind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", editor(tmp_path, RETITLE))
    result = cx("-C", northwind, "edit", "exp-0002")
    assert result.exit_code == 0, result.output
    assert "is valid" in result.stderr
    assert "\ntitle: Edited - " in doc_path(northwind).read_text()


def test_visual_wins_over_editor(
    northwind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", editor(tmp_path, RETITLE))
    monkeypatch.setenv("EDITOR", "no-such-editor-xyz")
    assert cx("-C", northwind, "edit", "EXP-0002").exit_code == 0


def test_an_invalid_edit_without_a_terminal_is_exit_1_and_the_file_is_as_saved(
    northwind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", editor(tmp_path, BREAK))
    result = cx("-C", northwind, "edit", "EXP-0002")
    assert result.exit_code == 1, result.output
    assert "status" in result.stdout and "finished" in result.stdout  # the finding
    assert "reopen the editor" not in result.output  # no terminal: nobody to ask
    text = doc_path(northwind).read_text()
    assert "\nstatus: finished\n" in text  # cxlib changed nothing back


def _spawn(root: Path, value: str) -> pexpect.spawn:
    env = {**os.environ, "TERM": "xterm", "EDITOR": value}
    return pexpect.spawn(
        str(CXLIB),
        ["-C", str(root), "edit", "EXP-0002"],
        env=env,
        dimensions=(24, 100),
        encoding="utf-8",
        timeout=30,
    )


@pytest.mark.skipif(not CXLIB.exists(), reason="needs the project's virtualenv")
def test_in_a_terminal_an_invalid_edit_offers_to_reopen_the_editor(
    northwind: Path, tmp_path: Path
) -> None:
    child = _spawn(northwind, editor(tmp_path, BREAK, FIX))
    child.expect_exact("finished")
    child.expect_exact("reopen the editor? [Y/n]")
    child.send("\r")  # the default: yes
    child.expect_exact("is valid")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "\nstatus: implemented\n" in doc_path(northwind).read_text()
    assert (tmp_path / "runs").read_text() == "2"  # the editor was opened twice


@pytest.mark.skipif(not CXLIB.exists(), reason="needs the project's virtualenv")
def test_in_a_terminal_declining_to_reopen_is_exit_1(northwind: Path, tmp_path: Path) -> None:
    child = _spawn(northwind, editor(tmp_path, BREAK))
    child.expect_exact("reopen the editor? [Y/n]")
    child.send("n\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1
    assert "\nstatus: finished\n" in doc_path(northwind).read_text()


def test_an_unknown_id_says_did_you_mean(northwind: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDITOR", "no-such-editor-xyz")
    result = cx("-C", northwind, "edit", "EXP-0200")
    assert result.exit_code == 2
    assert "unknown id 'EXP-0200'" in result.stderr
    assert "did you mean 'EXP-0020'?" in result.stderr
    bad = cx("-C", northwind, "edit", "../x")
    assert bad.exit_code == 2 and "invalid id" in bad.stderr


def _stand_in(folder: Path, name: str) -> None:
    """An executable called ``name`` that leaves the file as it is (as :wq would)."""
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(f'#!/bin/sh\necho {name}-ran >> "$1"\n')
    path.chmod(0o755)


@pytest.mark.parametrize("present", [["nano", "vi"], ["vi"]])
def test_with_no_editor_set_the_default_is_named_with_how_to_change_it(
    northwind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, present: list[str]
) -> None:
    folder = tmp_path / "bin"
    for name in present:
        _stand_in(folder, name)
    monkeypatch.setenv("PATH", str(folder))
    result = cx("-C", northwind, "edit", "EXP-0002")
    assert result.exit_code == 0, result.output
    chosen = present[0]
    assert f"in {chosen}: neither $VISUAL nor $EDITOR is set" in result.stderr
    assert "set EDITOR" in result.stderr
    assert doc_path(northwind).read_text().endswith(f"{chosen}-ran\n")


def test_new_edit_with_no_editor_set_names_the_default(
    northwind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bin"
    _stand_in(folder, "nano")
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    result = cx("-C", northwind, "new", "insight", "Edited at once", "--no-input", "--edit")
    assert result.exit_code == 0, result.output
    assert "in nano: neither $VISUAL nor $EDITOR is set" in result.stderr
    [path] = (northwind / "insights").glob("INS-*-edited-at-once.md")
    assert path.read_text().endswith("nano-ran\n")


def test_new_edit_checks_the_document_when_the_editor_closes(
    northwind: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", editor(tmp_path, "status: draft=>status: finished"))
    result = cx("-C", northwind, "new", "insight", "Broken at once", "--no-input", "--edit")
    assert result.exit_code == 1, result.output
    assert "finished" in result.stdout
    assert list((northwind / "insights").glob("INS-*-broken-at-once.md"))  # kept as saved


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("no-such-editor-xyz", "cannot start the editor 'no-such-editor-xyz'"),
        ("sh -c 'exit 3'", "exited with status 3"),
        ("'unclosed", "$EDITOR cannot be read as a command"),
    ],
)
def test_an_editor_that_fails_is_exit_2_and_the_file_untouched(
    northwind: Path, monkeypatch: pytest.MonkeyPatch, value: str, message: str
) -> None:
    before = doc_path(northwind).read_bytes()
    monkeypatch.setenv("EDITOR", value)
    result = cx("-C", northwind, "edit", "EXP-0002")
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert doc_path(northwind).read_bytes() == before


def test_find_editor_order() -> None:
    none: dict[str, str] = {}
    assert find_editor({"VISUAL": "code --wait", "EDITOR": "vim"}).argv == ["code", "--wait"]
    assert find_editor({"VISUAL": "  ", "EDITOR": "emacs -nw"}).argv == ["emacs", "-nw"]
    assert find_editor(none, which=lambda n: "/bin/nano" if n == "nano" else None).argv == ["nano"]
    assert find_editor(none, which=lambda n: None).named_by is None
    assert find_editor(none, which=lambda n: None).argv == ["vi"]
