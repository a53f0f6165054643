"""Building real git repositories for the git-workflow tests: fixed authors and dates, so commit
ids are reproducible, and documents written from short templates."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE, example_copy, write


def run_git(
    cwd: Path,
    *args: str,
    author: str = "Ana Lima",
    date: str = "2025-01-06T10:00:00+00:00",
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    email = author.split()[0].lower() + "@example.com"
    env = os.environ | {
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": email,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    return subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=check, capture_output=True, text=True
    )


def commit(
    cwd: Path, message: str, author: str = "Ana Lima", date: str = "2025-01-06T10:00:00+00:00"
) -> str:
    run_git(cwd, "add", "-A")
    run_git(cwd, "commit", "-q", "-m", message, author=author, date=date)
    return run_git(cwd, "rev-parse", "HEAD").stdout.strip()


def new_base(root: Path, repository: Path | None = None) -> Path:
    """An empty knowledge base with the example's config in a new repository on ``main`` (made
    at ``repository`` when given, a folder above the base)."""
    root.mkdir(parents=True)
    run_git(repository or root, "init", "-q", "-b", "main")
    shutil.copy(EXAMPLE / "cxlib.toml", root / "cxlib.toml")
    for folder in ("insights", "opportunities", "experiments"):
        (root / folder).mkdir()
    write(root, ".gitignore", ".cxlib/\n")
    return root


def insight(
    doc_id: str, title: str, status: str = "draft", extra: str = "", created: str = "2025-01-06"
) -> str:
    return f"""---
id: {doc_id}
title: "{title}"
status: {status}
owner: Ana Lima
created: {created}
stage: purchase
touchpoint: cart
type: pain-point
source: interview
{extra}---

## Summary

{title}.
"""


def opportunity(doc_id: str, title: str, status: str = "idea", extra: str = "") -> str:
    return f"""---
id: {doc_id}
title: "{title}"
status: {status}
owner: Jonas Berg
created: 2025-01-06
stage: purchase
insights: [INS-0001]
{extra}---

## Why

Shoppers leave when the shipping cost shows up late.

## What

Show the cost in the cart; it should move conversion-rate.

## How

A banner in the cart, one sprint.
"""


def experiment(
    doc_id: str, title: str, status: str = "running", extra: str = "", learnings: str = ""
) -> str:
    return f"""---
id: {doc_id}
title: "{title}"
status: {status}
owner: Bea Costa
created: 2025-01-06
stage: purchase
opportunity: OPP-0001
hypothesis: "We believe that a cart banner for shoppers will cause more orders (conversion-rate)."
primary_metric: conversion-rate
start: 2025-01-07
{extra}---

## Hypothesis

A banner helps.

## Results

See the dashboard.

## Learnings

{learnings}
"""


def committed_example(root: Path) -> Path:
    """A copy of the example library at ``root``, committed in a fresh repository."""
    example_copy(root)
    run_git(root, "init", "-q", "-b", "main")
    commit(root, "the example")
    return root


def replace_once(base: Path, rel: str, old: str, new: str) -> Path:
    """Edit one document in place: ``old`` (which must be there) becomes ``new``."""
    path = base / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def hook_env(home: Path, pre_commit_home: Path) -> dict[str, str]:
    """An environment where the real pre-commit runs this checkout's cxlib, with its own
    home, git identity and hook cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    home.mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text(
        "[user]\n\tname = Test Owner\n\temail = owner@example.com\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    bin_dir = str(Path(sys.executable).parent)  # the cxlib script of this environment
    # pip's download cache is the user's own (as when pre-commit runs for real): it only saves
    # downloads when pre-commit builds the hook's environment.
    cache = env.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
    return env | {
        "PIP_CACHE_DIR": cache,
        "HOME": str(home),
        "PRE_COMMIT_HOME": str(pre_commit_home),
        "PATH": bin_dir + os.pathsep + env.get("PATH", ""),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
    }


def run_in(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True)
