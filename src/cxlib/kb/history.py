"""Each document's history from git: created and last-changed dates and authors.

One ``git log`` pass over the whole base (oldest first, following renames) — never one ``git log``
per file — cached in ``.cxlib/history.json`` under the HEAD commit it was computed for. Documents
that were never committed have no entry; callers fall back to their front-matter dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxlib import __version__
from cxlib.cachefile import cache_folder, dumps, make_folder, read_json, write_text
from cxlib.errors import NotAGitRepositoryError
from cxlib.kb import git
from cxlib.model.config import ProgramConfig

FORMAT = 2  # 2: each experiment's registration (the pre-registration lock)
CACHE_NAME = "history.json"
_SHA = re.compile(r"[0-9a-f]{40}")


@dataclass
class DocHistory:
    """What git knows about one document (keyed by its current path)."""

    created: str  # ISO 8601 author date of the first commit, with the author's offset
    created_by: str
    changed: str  # the same for the last commit touching it
    changed_by: str
    authors: list[str] = field(default_factory=list)  # in order of first contribution
    commits: int = 0
    # An experiment's first version that was running or later: {sha, date, author, values}
    # (the frozen fields it gave), for the pre-registration lock.
    registration: dict[str, Any] | None = None

    @property
    def created_date(self) -> dt.date:
        return dt.date.fromisoformat(self.created[:10])

    @property
    def changed_date(self) -> dt.date:
        return dt.date.fromisoformat(self.changed[:10])


Freeze = Callable[[str, str], "dict[str, Any] | None"]


def from_commits(
    commits: list[git.Commit],
    start: dict[str, DocHistory] | None = None,
    freeze: Freeze | None = None,
) -> dict[str, DocHistory]:
    """Fold commits (oldest first) into per-document histories, carrying them across renames;
    ``start`` holds the histories before the first of them (an earlier, cached pass).
    ``freeze(path, blob)`` gives the frozen values of a version that is running or later (None
    for others): each experiment's first such version is its registration."""
    live: dict[str, DocHistory] = dict(start or {})
    for c in commits:
        for ch in c.changes:
            if ch.status == "D":
                live.pop(ch.path, None)
                continue
            record = None
            if ch.status == "R" and ch.old_path is not None:
                record = live.pop(ch.old_path, None)
            if ch.status != "A" and record is None:
                record = live.get(ch.path)
            if record is None:
                record = DocHistory(c.date, c.author, c.date, c.author)
            record.changed, record.changed_by = c.date, c.author
            record.commits += 1
            if freeze is not None and record.registration is None and ch.new_blob:
                values = freeze(ch.path, ch.new_blob)
                if values is not None:
                    record.registration = {
                        "sha": c.sha,
                        "date": c.date,
                        "author": c.author,
                        "values": values,
                    }
            if c.author not in record.authors:
                record.authors.append(c.author)
            live[ch.path] = record
    return live


def _cache_path(root: Path) -> Path:
    return cache_folder(root) / CACHE_NAME


def _cache_key(head: str, config: ProgramConfig) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "tool": __version__,
        "head": head,
        "folders": sorted(s.folder for s in config.kinds.values()),
    }


def _read_cache(root: Path, key: dict[str, Any]) -> tuple[str, dict[str, DocHistory]] | None:
    """The cached histories and the HEAD they were computed for, when every other part of the
    key matches (a missing or damaged cache is recomputed)."""
    path = _cache_path(root)
    if path.parent.is_symlink():
        return None
    raw = read_json(path)
    try:
        cached = raw["key"]
        head = cached.get("head")
        if cached | {"head": key["head"]} != key or not _SHA.fullmatch(str(head)):
            return None
        return head, {p: DocHistory(**v) for p, v in raw["docs"].items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def cached_histories(root: Path, config: ProgramConfig) -> tuple[str, dict[str, DocHistory]] | None:
    """The histories of the last pass and the HEAD they are for, whatever HEAD is now (None
    without a usable cache); reading it needs no git."""
    return _read_cache(root, _cache_key(git.NULL_SHA, config))


def _write_cache(root: Path, key: dict[str, Any], docs: dict[str, DocHistory]) -> None:
    """Atomic; a cache that cannot be written is skipped, never an error."""
    path = _cache_path(root)
    if make_folder(path.parent):
        # A shallow copy (asdict would copy every registration's values again).
        entries = {p: dict(vars(h)) for p, h in docs.items()}
        write_text(path, dumps({"key": key, "docs": entries}))


def _freezer(root: Path, config: ProgramConfig, commits: list[git.Commit]) -> Freeze:
    """Gives a version of an experiment's frozen values when it is running or later. Every
    experiment version of ``commits`` is read up front, through one ``cat-file --batch``
    (other kinds are not read)."""
    from cxlib.kb.files import kind_of_path
    from cxlib.kb.parse import parse_bytes
    from cxlib.model.kinds import Kind
    from cxlib.model.prereg import frozen_values, is_locked

    def experiment(path: str) -> bool:
        return kind_of_path(path, config) == Kind.EXPERIMENT

    wanted = [
        ch.new_blob for c in commits for ch in c.changes if ch.new_blob and experiment(ch.path)
    ]
    blobs = git.read_blobs(root, list(dict.fromkeys(wanted)))

    def freeze(path: str, blob: str) -> dict[str, Any] | None:
        if blob not in blobs or not experiment(path):
            return None
        data = parse_bytes(blobs[blob]).data
        return frozen_values(data) if data is not None and is_locked(data) else None

    return freeze


def document_history(
    root: Path, config: ProgramConfig, require_git: bool = False
) -> dict[str, DocHistory]:
    """Histories of every committed document, by path relative to ``root``, with each
    experiment's registration.

    In a repository without commits the answer is empty, and outside a repository too unless
    ``require_git`` (every document then falls back to its front-matter dates).
    """
    folders = [s.folder for s in config.kinds.values()]
    try:
        with git.session(root) as g:
            head = g.head()
            if head is None:
                return {}
            key = _cache_key(head, config)
            cached = _read_cache(root, key)
            if cached is not None and cached[0] == head:
                return cached[1]
            if cached is not None and g.is_ancestor(cached[0], head):
                # HEAD moved forward: fold in only the new commits.
                new = g.log(folders, since=cached[0], blobs=True)
                docs = from_commits(new, cached[1], _freezer(root, config, new))
            else:
                commits = g.log(folders, blobs=True)
                docs = from_commits(commits, freeze=_freezer(root, config, commits))
    except NotAGitRepositoryError:
        if require_git:
            raise
        return {}
    _write_cache(root, key, docs)
    return docs
