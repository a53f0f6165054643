"""Whether the files documents name exist inside the repository (``missing-file``).

Asked afresh on every run, never cached with a document's findings: deleting a screenshot
changes no document, yet breaks the one that shows it.

A link of the body is read as a markdown renderer (GitHub's) reads it: from the document's
folder. A path in the front-matter (evidence, a screenshot) is read from the knowledge base's
folder, where ``cxlib.toml`` is, as every path cxlib prints is. Either starts from the
repository's top with a leading ``/``. The repository is the git work tree holding the knowledge
base (found by its ``.git``, without running git), or the knowledge base itself outside git.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path, PurePosixPath

from cxlib.model.codes import Code
from cxlib.model.file_refs import FileRef
from cxlib.model.findings import Finding, error


@functools.cache
def repository_top(root: Path) -> Path:
    """The folder holding ``.git`` (a folder, or a file in a worktree) above ``root``, else
    ``root``."""
    for folder in (root, *root.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return root


def missing_files(root: Path, refs: list[FileRef]) -> list[Finding]:
    """A finding for each reference to a file that is not in the repository."""
    root = root.resolve()
    top = repository_top(root)
    out: list[Finding] = []
    for ref in refs:
        problem = _problem(root, top, ref)
        if problem:
            out.append(error(Code.MISSING_FILE, ref.path, problem, line=ref.line, field=ref.field))
    return out


def _problem(root: Path, top: Path, ref: FileRef) -> str | None:
    what = (
        "evidence"
        if ref.field.startswith("evidence")
        else ("the screenshot" if ref.field.endswith("screenshot") else "a link of the body")
    )
    target = PurePosixPath(ref.target)
    if target.is_absolute():
        base = top
    else:
        base = (root / ref.path).parent if ref.field == "body" else root
    joined = base / target.relative_to("/") if target.is_absolute() else base / target
    try:
        resolved = Path(os.path.realpath(joined))
    except (OSError, ValueError):
        return f"{what} names '{ref.target}', which cannot be looked up"
    if not resolved.is_relative_to(top):
        return f"{what} names '{ref.target}', which is outside the repository"
    if not os.path.exists(resolved):
        shown = os.path.relpath(joined, top).replace(os.sep, "/")
        return f"{what} names '{ref.target}', which does not exist ({shown})"
    return None
