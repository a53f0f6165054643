"""Shell completion: the script ``cxlib completion bash`` prints, loaded in a real bash, completes
commands, ids, kinds, statuses and stages from the knowledge base; zsh and fish ask the program
the same way their scripts do (neither shell is needed for that)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy

BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("complete") / "northwind"
    example_copy(path)
    return path


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COMP_", "_CXLIB", "_TYPER"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def bash_complete(line: str, cwd: Path) -> list[str]:
    """What bash offers for ``line`` (the last word is the one being completed, "" after a
    space), with the script of ``cxlib completion bash`` loaded."""
    words = line.split(" ")
    script = (
        'eval "$(cxlib completion bash)"\n'
        f"COMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        "_cxlib_completion cxlib\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_env(),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return [w for w in done.stdout.splitlines() if w]


pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def test_bash_completes_commands_and_ids(example: Path) -> None:
    assert "show" in bash_complete("cxlib sh", example)
    ids = bash_complete("cxlib show EXP-000", example)
    assert ids == [f"EXP-000{i}" for i in range(1, 10)]


def test_bash_completes_kinds_statuses_stages_and_teams(example: Path) -> None:
    assert bash_complete("cxlib list ex", example) == ["experiment"]
    statuses = bash_complete("cxlib list experiment --status ", example)
    assert "running" in statuses and "validated" not in statuses
    # The kind comes from the id's prefix too.
    assert bash_complete("cxlib status INS-0002 ", example) == [
        "draft",
        "validated",
        "rejected",
        "archived",
    ]
    assert bash_complete("cxlib list --stage p", example) == ["purchase"]
    assert "checkout" in bash_complete("cxlib list --team ", example)


def test_completion_reads_the_knowledge_base_that_minus_c_names(
    example: Path, tmp_path: Path
) -> None:
    assert bash_complete(f"cxlib -C {example} show INS-001", tmp_path)[:2] == [
        "INS-0010",
        "INS-0011",
    ]
    # Outside any knowledge base there is nothing to offer, and no error.
    assert bash_complete("cxlib show EXP", tmp_path) == []


@pytest.mark.parametrize(
    ("shell", "action", "expected"),
    [("zsh", {}, '"EXP-0003"'), ("fish", {"_TYPER_COMPLETE_FISH_ACTION": "get-args"}, "EXP-0003")],
)
def test_zsh_and_fish_ask_as_their_scripts_do(
    example: Path, shell: str, action: dict[str, str], expected: str
) -> None:
    script = cx("completion", shell).stdout
    assert "_CXLIB_COMPLETE=complete_" + shell in script
    env = _env() | action
    env |= {"_CXLIB_COMPLETE": f"complete_{shell}", "_TYPER_COMPLETE_ARGS": "cxlib show EXP-000"}
    done = subprocess.run(
        [BIN / "cxlib"], capture_output=True, text=True, cwd=example, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_an_unknown_shell_is_refused_with_a_suggestion() -> None:
    result = cx("completion", "bsh")
    assert result.exit_code == 2
    assert "did you mean 'bash'?" in result.stderr
