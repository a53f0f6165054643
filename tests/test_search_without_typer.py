"""``cxlib search`` is run without typer when its command line is plain: each such line must
answer exactly as the typer command does (stdout, stderr and exit code), and any other line must
still reach typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("search") / "kb")


def _console(args: list[str], cwd: Path) -> tuple[int, str, str]:
    done = subprocess.run(
        [sys.executable, "-m", "cxlib", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )
    return done.returncode, done.stdout, done.stderr


CASES = [
    ["search", "free", "shipping"],
    ["search", "shipping", "--format", "json"],
    ["search", "--kind", "experiment", "shipping", "-f", "json", "--limit=2"],
    ["search", "shipping", "--kind", "insights", "--timeout", "5"],
    ["search", "kind:experiment", "outcome:lost"],
    ["search", "zzzunmatched"],  # nothing matches: exit 1
    ["search", "status:nonsense"],  # an invalid query: exit 2
    ["search", "shipping", "--kind", "expriment"],  # an unknown kind
    ["--color", "always", "search", "shipping"],
    ["search", "shipping", "-C", "{kb}"],
    ["--today", "2031-01-01", "search", "returns"],
    # Left to typer by the plain reading, and answered as before:
    ["search"],
    ["search", "shipping", "--limit", "0"],
    ["search", "shipping", "-f=json"],
    ["search", "shipping", "--format", "csv"],
    ["search", "--help"],
    ["--color", "blue", "search", "shipping"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) for c in CASES])
def test_a_search_line_answers_as_the_typer_command(base: Path, args: list[str]) -> None:
    argv = [a.replace("{kb}", str(base)) for a in args]
    cx("-C", base, "index")  # the first search of a base says that it builds the index
    console = _console(argv, cwd=base)
    old = Path.cwd()
    os.chdir(base)
    try:
        here = cx(*argv)
    finally:
        os.chdir(old)
    assert console == (here.exit_code, here.stdout, here.stderr)
    assert "Traceback" not in console[2]


def test_a_plain_search_line_never_loads_typer(base: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cxlib", "search", "shipping"],
        capture_output=True,
        text=True,
        check=False,
        cwd=base,
    )
    assert done.returncode == 0, done.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert "cxlib.ops.search" in imported
    assert not [m for m in imported if m == "typer" or m.startswith(("typer.", "click"))]
