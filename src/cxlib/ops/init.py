"""``cxlib init``: a new knowledge base, never touching what already exists."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cxlib import __version__
from cxlib.cachefile import CACHE_DIR
from cxlib.kb import git
from cxlib.kb.config_file import CONFIG_NAME
from cxlib.kb.templates import template_text
from cxlib.kb.write import create_exclusive
from cxlib.model.config import DEFAULT_KINDS

PRE_COMMIT_CONFIG = """\
# cxlib validates documents and the config on every commit.
# Install once per clone: pip install pre-commit && pre-commit install
repos:
  - repo: local
    hooks:
      - id: cxlib-validate
        name: cxlib validate
        entry: cxlib validate
        language: system
        files: ^({folders})/.*\\.md$|^cxlib\\.toml$
        require_serial: true
"""


WORKFLOW = """\
# cxlib checks the knowledge base on every pull request: annotations on the changed lines, and
# the review (what the pull request changes in the library) in the job summary. No secrets needed.
name: cxlib
on:
  pull_request:
permissions:
  contents: read
jobs:
  cxlib:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: {workdir}
    env:
      # Where pip installs cxlib from: a version, or "cxlib @ git+https://...@TAG".
      CXLIB_PACKAGE: "cxlib=={version}"
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # review needs the base branch and the merge base
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install cxlib
        run: python -m pip install "$CXLIB_PACKAGE"
      - name: Validate the changed documents
        run: |
          git diff -z --name-only --relative --diff-filter=d "origin/$GITHUB_BASE_REF...HEAD" \\
            -- {paths} \\
            | xargs -0 --no-run-if-empty cxlib validate --format github
      - name: Review
        if: ${{{{ !cancelled() }}}}
        run: cxlib review --base "origin/$GITHUB_BASE_REF" >> "$GITHUB_STEP_SUMMARY"
"""
WORKFLOW_PATH = ".github/workflows/cxlib.yml"


@dataclass
class InitResult:
    root: Path
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    git_initialized: bool = False


def init_knowledge_base(target: Path) -> InitResult:
    """Create config, folders, ignore rules and hook config; ``git init`` if needed."""
    target = target.resolve()
    target.mkdir(parents=True, exist_ok=True)
    result = InitResult(root=target)
    if not git.is_inside_repository(target):
        git.init_repository(target)
        result.git_initialized = True
    folders = [k.folder for k in DEFAULT_KINDS.values()]
    files = {
        CONFIG_NAME: template_text(target, CONFIG_NAME),
        ".pre-commit-config.yaml": PRE_COMMIT_CONFIG.format(folders="|".join(folders)),
        **{f"{folder}/.gitkeep": "" for folder in folders},
    }
    for name, text in files.items():
        path = target / name
        if path.exists() or path.is_symlink():
            result.existing.append(name)
            continue
        create_exclusive(path, text.encode("utf-8"))
        result.created.append(name)
    _ensure_ignored(target / ".gitignore", f"{CACHE_DIR}/", result)
    _write_workflow(target, folders, result)
    return result


def _write_workflow(target: Path, folders: list[str], result: InitResult) -> None:
    """The GitHub Actions workflow belongs at the repository's top, which may be above the base."""
    top = git.toplevel(target) or target
    workdir = Path(os.path.relpath(target, top)).as_posix()
    path = top / WORKFLOW_PATH
    name = Path(os.path.relpath(path, target)).as_posix()
    if path.exists() or path.is_symlink():
        result.existing.append(name)
        return
    text = WORKFLOW.format(
        workdir=workdir, version=__version__, paths=" ".join([*folders, CONFIG_NAME])
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    create_exclusive(path, text.encode("utf-8"))
    result.created.append(name)


def _ensure_ignored(path: Path, line: str, result: InitResult) -> None:
    """Add the cache folder to .gitignore: create the file, or append one line to it."""
    if not path.exists():
        create_exclusive(
            path, f"# cxlib's local cache and search index (never commit it)\n{line}\n".encode()
        )
        result.created.append(".gitignore")
        return
    text = path.read_bytes()
    if line.encode() in text.splitlines() or line.rstrip("/").encode() in text.splitlines():
        result.existing.append(".gitignore")
        return
    newline = b"\r\n" if b"\r\n" in text else b"\n"
    prefix = b"" if not text or text.endswith(b"\n") else newline
    with path.open("ab") as fh:
        fh.write(prefix + line.encode() + newline)
    result.updated.append(".gitignore")
