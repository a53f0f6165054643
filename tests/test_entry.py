"""The ``cxlib`` command answers ``--version`` and the top-level help without importing the CLI:
from a file rendered from the real CLI, which must stay equal to it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import cx, example_copy

from cxlib import __version__
from cxlib.cli.entry import HELP_FILE

SCRIPT = shutil.which("cxlib", path=os.path.dirname(sys.executable)) or "cxlib"


def test_the_help_file_is_the_cli_help() -> None:
    """Rendered by the real CLI at 80 columns or more; `pytest --update-goldens` rewrites it."""
    live = cx("--help").stdout
    if os.environ.get("CXLIB_TEST_UPDATE_GOLDENS") == "1":
        HELP_FILE.write_text(live, encoding="utf-8")
    assert live == HELP_FILE.read_text(encoding="utf-8"), (
        "src/cxlib/cli/top_help.txt differs from 'cxlib --help': run pytest --update-goldens"
    )


def _script(*args: str, columns: str = "100") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": columns}
    return subprocess.run(
        [SCRIPT, *args], capture_output=True, text=True, env=env, check=False, timeout=60
    )


def test_the_command_answers_without_the_cli() -> None:
    help_text = HELP_FILE.read_text(encoding="utf-8")
    for args in (["--help"], ["-h"]):
        done = _script(*args)
        assert (done.returncode, done.stdout, done.stderr) == (0, help_text, "")
    bare = _script()  # no command: the help on stderr, a usage error
    assert (bare.returncode, bare.stdout, bare.stderr) == (2, "", help_text)
    version = _script("--version")
    assert (version.returncode, version.stdout) == (0, f"cxlib {__version__}\n")
    module = subprocess.run(
        [sys.executable, "-m", "cxlib", "--version"], capture_output=True, text=True, check=False
    )
    assert module.stdout == f"cxlib {__version__}\n"


def test_a_narrow_terminal_gets_help_wrapped_to_it() -> None:
    done = _script("--help", columns="60")
    assert done.returncode == 0 and done.stdout != HELP_FILE.read_text(encoding="utf-8")
    assert max(len(line) for line in done.stdout.splitlines()) <= 60
    assert "Commands:" in done.stdout and "validate" in done.stdout


def test_help_of_a_command_is_not_answered_from_the_file() -> None:
    done = _script("validate", "--help")
    assert done.returncode == 0 and "Example:" in done.stdout


def test_every_summary_is_whole() -> None:
    """The list of commands shows each summary in full, never cut with '...'."""
    commands = HELP_FILE.read_text(encoding="utf-8").split("Commands:\n", 1)[1]
    assert commands.strip() and not [line for line in commands.splitlines() if line.endswith("...")]


def test_a_command_ends_without_the_final_collection_scanning_what_it_loaded(
    tmp_path: Path,
) -> None:
    """The entry point freezes what is alive as the process ends (its exit handler runs last
    of those the command registers), so the interpreter's final collection skips it."""
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count() > 0, file=sys.stderr))\n"
        "sys.argv = ['cxlib', '-C', sys.argv[1], 'validate']\n"
        "from cxlib.cli.entry import run\n"
        "run()\n"
    )
    base = example_copy(tmp_path / "kb")
    done = subprocess.run(
        [sys.executable, "-c", script, str(base)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "frozen True" in done.stderr
