"""``cxlib init``: a new knowledge base, never touching what already exists."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cxlib.cachefile import CACHE_DIR
from cxlib.errors import UsageError
from cxlib.kb import git
from cxlib.kb.config_file import CONFIG_NAME, with_format
from cxlib.kb.templates import template_source, template_text
from cxlib.kb.write import create_exclusive
from cxlib.model.config import DEFAULT_KINDS, LIBRARY_FORMAT
from cxlib.ops.package_source import PackageSource, package_source
from cxlib.ops.setup_files import WORKFLOW_PATH, hook, pre_commit_config, workflow

PRE_COMMIT_NAME = ".pre-commit-config.yaml"
SITE_FOLDER = "_site"  # where 'cxlib site' builds by default: never committed


@dataclass
class InitResult:
    root: Path
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    git_initialized: bool = False
    # The hook to add by hand to an existing pre-commit config: (its path, the lines to add).
    hook_to_add: tuple[str, str] | None = None
    package: PackageSource | None = None  # where the workflow installs cxlib from


def init_knowledge_base(target: Path, pages: bool = False) -> InitResult:
    """Create config, folders, ignore rules, hook config and workflow; ``git init`` if needed;
    with ``pages``, the workflow that publishes the site on GitHub Pages. Refused inside another
    knowledge base."""
    target = target.resolve()
    _refuse_nested(target)
    target.mkdir(parents=True, exist_ok=True)
    result = InitResult(root=target)
    if not git.is_inside_repository(target):
        git.init_repository(target)
        result.git_initialized = True
    top = git.toplevel(target) or target
    base = Path(os.path.relpath(target, top)).as_posix()
    folders = [k.folder for k in DEFAULT_KINDS.values()]
    # A new library is in the newest format, whatever its template says.
    config = with_format(
        template_text(target, CONFIG_NAME), LIBRARY_FORMAT, template_source(target, CONFIG_NAME)
    )
    files = {
        CONFIG_NAME: config,
        **{f"{folder}/.gitkeep": "" for folder in folders},
    }
    for name, text in files.items():
        _create(target, name, text, result)
    _ensure_ignored(target / ".gitignore", [f"{CACHE_DIR}/", f"{SITE_FOLDER}/"], result)
    _write_hook_config(target, top, base, folders, result)
    _write_workflow(target, top, base, folders, result)
    if pages:
        _write_pages_workflow(target, top, base, result)
    return result


def _refuse_nested(target: Path) -> None:
    for folder in target.parents:
        if (folder / CONFIG_NAME).is_file():
            raise UsageError(
                f"{target} is inside the knowledge base at {folder}: a base inside another "
                "would have its documents read by both",
                hint=f"use the existing base, or run 'cxlib init' outside {folder}",
            )


def _shown(target: Path, path: Path) -> str:
    return Path(os.path.relpath(path, target)).as_posix()


def _create(target: Path, name: str, text: str, result: InitResult) -> bool:
    """Create ``target/name`` (a path relative to the base, maybe above it) unless it exists."""
    path = Path(os.path.normpath(target / name))
    if path.exists() or path.is_symlink():
        result.existing.append(name)
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    create_exclusive(path, text.encode("utf-8"))
    result.created.append(name)
    return True


def _write_hook_config(
    target: Path, top: Path, base: str, folders: list[str], result: InitResult
) -> None:
    """pre-commit reads only the repository top's config: the hook goes there, pointed at the
    base; an existing config is the team's own, so the lines to add are given instead."""
    name = _shown(target, top / PRE_COMMIT_NAME)
    if _create(target, name, pre_commit_config(base, folders, CONFIG_NAME), result):
        return
    try:
        hooked = b"cxlib-validate" in (top / PRE_COMMIT_NAME).read_bytes()
    except OSError:
        hooked = False
    if not hooked:
        result.hook_to_add = (name, hook(base, folders, CONFIG_NAME))


def _write_workflow(
    target: Path, top: Path, base: str, folders: list[str], result: InitResult
) -> None:
    """The GitHub Actions workflow belongs at the repository's top, which may be above the base."""
    source = package_source()
    text = workflow(base, source.requirement, source.note, [*folders, CONFIG_NAME])
    if _create(target, _shown(target, top / WORKFLOW_PATH), text, result):
        result.package = source


def _write_pages_workflow(target: Path, top: Path, base: str, result: InitResult) -> None:
    from cxlib.site.publish import PAGES_WORKFLOW_PATH, pages_workflow

    source = package_source()
    text = pages_workflow(base, source.requirement, source.note)
    if _create(target, _shown(target, top / PAGES_WORKFLOW_PATH), text, result):
        result.package = source


def _ensure_ignored(path: Path, lines: list[str], result: InitResult) -> None:
    """Add the cache folder and the site's folder to .gitignore: create the file, or append the
    lines it lacks."""
    if not path.exists():
        header = "# cxlib's cache and search index, and the site it builds (never commit them)\n"
        create_exclusive(path, (header + "".join(f"{ln}\n" for ln in lines)).encode())
        result.created.append(".gitignore")
        return
    text = path.read_bytes()
    have = text.splitlines()
    missing = [ln for ln in lines if not {ln.encode(), ln.rstrip("/").encode()} & set(have)]
    if not missing:
        result.existing.append(".gitignore")
        return
    newline = b"\r\n" if b"\r\n" in text else b"\n"
    prefix = b"" if not text or text.endswith(b"\n") else newline
    with path.open("ab") as fh:
        fh.write(prefix + b"".join(ln.encode() + newline for ln in missing))
    result.updated.append(".gitignore")
