"""``cxlib init``: a new knowledge base, never touching what already exists."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cxlib.kb import git
from cxlib.kb.cache import CACHE_DIR
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
    return result


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
