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
from pathlib import Path

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
    """A finding for each reference to a file that is not in the repository.

    Paths are joined and normalised as strings and each is one ``stat``: a warm whole-base
    validate looks at every named file again, thousands of them, and pathlib's objects and
    ``realpath``'s one ``lstat`` per folder cost it ten times more. The repository check is on
    the path as written (no ``..`` past the top); a link inside the repository that points out
    of it is not followed here.
    """
    top = str(repository_top(root.resolve()))
    base = str(root.resolve())
    out: list[Finding] = []
    for ref in refs:
        problem = _problem(base, top, ref)
        if problem:
            out.append(error(Code.MISSING_FILE, ref.path, problem, line=ref.line, field=ref.field))
    return out


def _what(field: str) -> str:
    if field.startswith("evidence"):
        return "evidence"
    return "the screenshot" if field.endswith("screenshot") else "a link of the body"


def _problem(root: str, top: str, ref: FileRef) -> str | None:
    target = ref.target
    if target.startswith("/"):
        joined = os.path.normpath(top + "/" + target.lstrip("/"))
    elif ref.field == "body":
        folder = os.path.dirname(ref.path)
        joined = os.path.normpath(os.path.join(root, folder, target))
    else:
        joined = os.path.normpath(os.path.join(root, target))
    if joined != top and not joined.startswith(top + os.sep):
        return f"{_what(ref.field)} names '{target}', which is outside the repository"
    try:
        os.stat(joined)
    except (OSError, ValueError):
        shown = os.path.relpath(joined, top).replace(os.sep, "/")
        return f"{_what(ref.field)} names '{target}', which does not exist ({shown})"
    return None
