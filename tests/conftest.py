"""Shared fixtures: an isolated HOME and git identity, fixed terminal, the real CLI in-process."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cxlib.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "northwind"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="Rewrite the files in tests/golden/ from the current output (review the diff).",
    )


GOLDEN = Path(__file__).resolve().parent / "golden"
# Set from the command line once per run. In the environment, not a global: pytest may import
# this file twice (as its conftest and as ``tests.conftest``), and both must see it.
_UPDATE = "CXLIB_TEST_UPDATE_GOLDENS"


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--update-goldens"):
        os.environ[_UPDATE] = "1"


def golden(name: str, text: str) -> None:
    """``text`` equals the reviewed file ``tests/golden/NAME``; with ``--update-goldens`` the
    file is rewritten first, so an intended change of output is reviewed as a diff."""
    path = GOLDEN / name
    if os.environ.get(_UPDATE) == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{name} is missing: run pytest with --update-goldens"
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs; if the change is intended, run pytest --update-goldens and review "
        "the diff of tests/golden/"
    )


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Test Owner\n\temail = owner@example.com\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    for name in (
        "GITHUB_ACTIONS",
        "CXLIB_OUTPUT_FORMAT",
        "FORCE_COLOR",
        "GIT_DIR",
        "GIT_INDEX_FILE",
        "GIT_WORK_TREE",
        "CXLIB_DEBUG",
        "CXLIB_TODAY",
        "EDITOR",
        "VISUAL",
        "XDG_CACHE_HOME",
    ):
        monkeypatch.delenv(name, raising=False)


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


def cx(*args: str | Path, cwd: Path | None = None) -> Result:
    """Run the real CLI entry point in-process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        os.chdir(old)
    return Result(code, out.getvalue(), err.getvalue())


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    """A fresh knowledge base made by ``cxlib init`` in a new git repository."""
    root = tmp_path / "kb"
    result = cx("init", root)
    assert result.exit_code == 0, result.output
    return root


def example_copy(dest: Path) -> Path:
    """A copy of the example knowledge base at ``dest``, without its cache."""
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns(".cxlib"))
    return dest


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """A copy of the example knowledge base (no cache, not in a git repository)."""
    return example_copy(tmp_path / "northwind")


HOUR_AGO = time.time() - 3600


def settled_copy(dest: Path) -> Path:
    """A copy of the example whose documents were last modified an hour ago: outside the
    caches' racy window, so a run's answer is kept and the next run's comes from it."""
    example_copy(dest)
    for path in dest.rglob("*.md"):
        os.utime(path, (HOUR_AGO, HOUR_AGO))
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file's bytes (outside .git and the cache), to prove a command changed nothing."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and not p.is_symlink()
        and ".git" not in p.relative_to(root).parts
        and ".cxlib" not in p.relative_to(root).parts
    }


VALID_INSIGHT = """\
---
id: {id}
title: Shipping costs surface too late
status: validated
owner: Ana
created: 2025-01-10
stage: purchase
touchpoint: cart
evidence: [https://example.com/survey]
confidence: high
---

## Summary

Shoppers learn the shipping cost only at the last step.
"""


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


@pytest.fixture
def chdir_tmp(tmp_path: Path) -> Iterator[Path]:
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)
