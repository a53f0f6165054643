"""A command line run as the console runs it (``python -m cxlib`` in a process of its own, where
a plain ``validate`` or ``search`` line never loads typer) and as the tests' in-process CLI runs
it (through typer): the two answers, and the modules the first one loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import cx

Answer = tuple[int, str, str]  # exit code, stdout, stderr


def console(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Answer:
    done = subprocess.run(
        [sys.executable, "-m", "cxlib", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, done.stdout, done.stderr


def in_process(args: list[str], cwd: Path) -> Answer:
    here = cx(*args, cwd=cwd)
    return here.exit_code, here.stdout, here.stderr


def loaded(args: list[str], cwd: Path) -> tuple[int, list[str]]:
    """The exit code of ``args`` run by the console, and every module it imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cxlib", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )
    return done.returncode, [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()]


def typer_loaded(modules: list[str]) -> list[str]:
    return [m for m in modules if m == "typer" or m.startswith(("typer.", "click"))]
