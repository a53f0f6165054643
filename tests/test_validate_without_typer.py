"""``cxlib validate`` is run without typer when its command line is plain (the hook's, on every
commit): each such line must answer exactly as the typer command does — stdout, stderr and exit
code — and any other line must still reach typer."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, write

FILE = "insights/INS-0901-broken.md"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = example_copy(tmp_path / "kb")
    write(root, FILE, "---\nid: INS-0901\ntitle: T\nstatus: draft\ncolour: red\n---\n")
    write(root, "insights/INS-0902-yaml.md", "---\nid: [\n---\n")
    (tmp_path / "empty").mkdir()
    return root


def _console(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple:
    done = subprocess.run(
        [sys.executable, "-m", "cxlib", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, done.stdout, done.stderr


CASES = [
    ["validate"],
    ["validate", "--format", "json"],
    ["validate", "-f", "github"],
    ["validate", "--strict", "--format=json"],
    ["validate", "--no-cache"],
    ["validate", FILE],
    ["validate", FILE, "--format=json", "--strict"],
    ["validate", "insights"],
    ["validate", "insights/INS-0999-none.md"],
    ["--today", "2031-01-01", "validate"],
    ["--color", "always", "validate", FILE],
    ["validate", FILE, "-C", "{kb}"],
    ["-C", "{empty}", "validate"],
    # Left to typer by the plain reading, and answered as before:
    ["--today", "2031-02-30", "validate"],
    ["validate", "--format", "yaml"],
    ["--color", "blue", "validate"],
    ["validate", "--help"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) for c in CASES])
def test_a_validate_line_answers_as_the_typer_command(base: Path, args: list[str]) -> None:
    argv = [
        a.replace("{kb}", str(base)).replace("{empty}", str(base.parent / "empty")) for a in args
    ]
    console = _console(argv, cwd=base)
    old = Path.cwd()
    os.chdir(base)
    try:
        here = cx(*argv)
    finally:
        os.chdir(old)
    assert console == (here.exit_code, here.stdout, here.stderr)
    assert "Traceback" not in console[2]


def test_the_output_format_from_the_environment(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    console = _console(["validate"], cwd=base, env={"CXLIB_OUTPUT_FORMAT": "json"})
    monkeypatch.setenv("CXLIB_OUTPUT_FORMAT", "json")
    here = cx("-C", base, "validate")
    assert console == (here.exit_code, here.stdout, here.stderr)
    assert console[1].lstrip().startswith("{")


def test_the_hook_s_line_never_loads_typer(base: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cxlib", "validate", FILE],
        capture_output=True,
        text=True,
        check=False,
        cwd=base,
    )
    assert done.returncode == 1, done.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]
    assert "cxlib.ops.validate" in imported
    assert not [m for m in imported if m == "typer" or m.startswith(("typer.", "click"))]
