"""The pre-registration lock's reading of git history: for each experiment that is running or
later, the commit that first made it so (its registration) and what it froze.

Two ways in, one answer. A whole-base ``validate`` takes the registrations from the history
pass of :mod:`cxlib.kb.history` (one ``git log`` over the base, cached under HEAD and extended
from the cached HEAD). The pre-commit hook, which names a few files, reads only those: one
path-limited ``git log`` per named experiment that is running or later (following renames) and
its old versions through the session's one ``cat-file`` process, oldest first, up to the first
that was running. The file on disk is what is compared: in the hook that is the staged content
(pre-commit stashes the rest), so the lock holds before the commit lands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxlib.kb import git
from cxlib.model.config import ProgramConfig
from cxlib.model.findings import Finding
from cxlib.model.kinds import Kind
from cxlib.model.library import LoadedDoc
from cxlib.model.prereg import (
    Registration,
    Stamp,
    amended,
    check_lock,
    check_metric_amendment,
    frozen_values,
    is_locked,
    renamed,
    unchanged,
)


@dataclass
class LockCheck:
    """The lock's findings, and why it could not be checked (said once, never per file)."""

    findings: list[Finding] = field(default_factory=list)
    skipped: str | None = None


def _locked(docs: list[LoadedDoc]) -> list[LoadedDoc]:
    return [d for d in docs if d.kind == Kind.EXPERIMENT and is_locked(d.parsed.data)]


def check(
    root: Path, config: ProgramConfig, docs: list[LoadedDoc], whole: bool, head: str | None = None
) -> LockCheck:
    """The lock over ``docs`` (their front-matter as on disk): from the whole-base history pass
    when ``whole``, else from the named files' own logs."""
    locked = _locked(docs)
    if not locked:
        return LockCheck()
    skipped = None
    if head is None:
        head, skipped = git.head_state(root)
    if head is None:
        return LockCheck(skipped=skipped)
    if whole:
        from cxlib.kb.history import document_history

        history = document_history(root, config)
        registrations = {
            p: _registration(h.registration)
            for p, h in history.items()
            if h.registration is not None
        }
    else:
        registrations = _named_registrations(root, config, head, [d.path for d in locked])
    out = LockCheck()
    renames = config.metric_renames()
    for d in locked:
        data = d.parsed.data or {}
        reg = registrations.get(d.path)
        if reg is None:
            continue  # never committed running: this version registers it
        reg = renamed(reg, renames)
        out.findings += check_lock(d.path, data, d.parsed.line_of, reg)
        moved = not unchanged(
            "primary_metric", reg.values.get("primary_metric"), data.get("primary_metric")
        )
        if "primary_metric" in reg.values and moved and "primary_metric" in amended(data):
            with git.session(root) as g:  # rare: the primary metric amended
                stamp, had_result = _metric_changed(g, d.path, reg, data)
            out.findings += check_metric_amendment(
                d.path, data, d.parsed.line_of, stamp, had_result
            )
    return out


# -- the hook's registrations ------------------------------------------------------------------
# Known registrations are kept per path with the HEAD they were read at, in
# ``.cxlib/registrations.json`` (and the whole-base history pass's ``history.json`` is read too).
# A registration read at an ancestor of HEAD still holds; an experiment not yet registered there
# is looked for only in the commits since (one ``git log A..HEAD`` for all named paths). Only a
# path known nowhere costs a walk of its whole history.
_REGISTRATIONS = "registrations.json"
_FORMAT = 1


def _cache_key(config: ProgramConfig) -> dict[str, Any]:
    from cxlib import __version__

    folders = sorted(s.folder for s in config.kinds.values())
    return {"format": _FORMAT, "tool": __version__, "folders": folders}


def _known(
    root: Path, config: ProgramConfig, paths: list[str]
) -> dict[str, tuple[str, dict[str, Any] | None]]:
    """What earlier runs found for ``paths``: path -> (the HEAD it was read at, its registration
    or None). The hook's own small cache first; the history pass's only for paths it lacks."""
    from cxlib.cachefile import cache_folder, read_json
    from cxlib.kb.history import cached_histories

    known: dict[str, tuple[str, dict[str, Any] | None]] = {}
    raw = read_json(cache_folder(root) / _REGISTRATIONS)
    try:
        if raw["key"] == _cache_key(config):
            for p in paths:
                entry = raw["entries"].get(p)
                if entry is not None:
                    known[p] = (str(entry["head"]), entry["registration"])
    except (KeyError, TypeError, AttributeError):
        known = {}  # none yet, another version's, or damaged
    if all(p in known for p in paths):
        return known
    cached = cached_histories(root, config)
    if cached is not None:
        head, docs = cached
        for p in paths:
            if p not in known and p in docs:
                known[p] = (head, docs[p].registration)
    return known


def _remember(
    root: Path, config: ProgramConfig, head: str, found: dict[str, Registration | None]
) -> None:
    from cxlib.cachefile import cache_folder, dumps, make_folder, read_json, write_text

    path = cache_folder(root) / _REGISTRATIONS
    raw = read_json(path)
    entries = raw.get("entries") if isinstance(raw, dict) else None
    if not isinstance(entries, dict) or raw.get("key") != _cache_key(config):
        entries = {}
    for p, reg in found.items():
        entries[p] = {"head": head, "registration": None if reg is None else _raw(reg)}
    if make_folder(path.parent):
        write_text(path, dumps({"key": _cache_key(config), "entries": entries}))


def _raw(reg: Registration) -> dict[str, Any]:
    s = reg.stamp
    return {"sha": s.sha, "date": s.date, "author": s.author, "values": reg.values}


def _registered_since(root: Path, start: str, paths: list[str]) -> dict[str, Registration | None]:
    """The registrations made after commit ``start`` (an ancestor of HEAD) for ``paths``, which
    had none there: one ``git log start..HEAD`` and one ``cat-file --batch``."""
    from cxlib.kb.parse import parse_bytes

    found: dict[str, Registration | None] = dict.fromkeys(paths)
    commits = git.log_since(root, start, paths)
    blobs = git.read_blobs(root, [c.new_blob for x in commits for c in x.changes if c.new_blob])
    for commit in commits:
        for ch in commit.changes:
            if ch.path not in found or found[ch.path] is not None or not ch.new_blob:
                continue
            data = parse_bytes(blobs.get(ch.new_blob, b"")).data
            if data is not None and is_locked(data):
                stamp = Stamp(commit.sha, commit.date, commit.author)
                found[ch.path] = Registration(stamp, frozen_values(data))
    return found


def _named_registrations(
    root: Path, config: ProgramConfig, head: str, paths: list[str]
) -> dict[str, Registration]:
    """The registrations of the named experiments (see above)."""
    known = _known(root, config, paths)
    found: dict[str, Registration | None] = {}
    since: dict[str, list[str]] = {}  # a HEAD read before -> the paths unregistered there
    walk: list[str] = []
    ancestry: dict[str, bool] = {head: True}  # each HEAD read before: an ancestor of HEAD?
    for p in paths:
        at = known.get(p)
        if at is not None and at[0] not in ancestry:
            ancestry[at[0]] = git.is_ancestor_plain(root, at[0], head)
        if at is not None and ancestry[at[0]]:
            if at[1] is not None:
                found[p] = _registration(at[1])
            elif at[0] == head:
                found[p] = None
            else:
                since.setdefault(at[0], []).append(p)
        else:
            walk.append(p)
    for start, names in since.items():
        found.update(_registered_since(root, start, names))
    if walk:
        with git.session(root) as g:
            for p in walk:
                found[p] = _first_running(g, p)
    if found:
        _remember(root, config, head, found)
    return {p: reg for p, reg in found.items() if reg is not None}


def _registration(raw: Mapping[str, Any]) -> Registration:
    return Registration(Stamp(raw["sha"], raw["date"], raw["author"]), dict(raw["values"]))


def _versions(g: git.Session, path: str) -> list[tuple[Stamp, dict[str, Any] | None]]:
    """The file's committed versions, oldest first, with their front-matter (read lazily by the
    caller's walk: a generator would hold the session, so the list holds blob reads done)."""
    from cxlib.kb.parse import parse_bytes

    out: list[tuple[Stamp, dict[str, Any] | None]] = []
    for c in reversed(g.file_log(path)):
        ch = next((x for x in c.changes if x.new_blob), None)
        if ch is None or ch.new_blob is None:
            continue
        out.append((Stamp(c.sha, c.date, c.author), parse_bytes(g.blob(ch.new_blob)).data))
    return out


def _first_running(g: git.Session, path: str) -> Registration | None:
    from cxlib.kb.parse import parse_bytes

    for c in reversed(g.file_log(path)):
        ch = next((x for x in c.changes if x.new_blob), None)
        if ch is None or ch.new_blob is None:
            continue
        data = parse_bytes(g.blob(ch.new_blob)).data
        if data is not None and is_locked(data):
            return Registration(Stamp(c.sha, c.date, c.author), frozen_values(data))
    return None


def _metric_changed(
    g: git.Session, path: str, reg: Registration, now: Mapping[str, Any]
) -> tuple[Stamp, bool]:
    """The first version after the registration that names another primary metric, and whether
    it held a result (the file on disk, when no commit changed it yet)."""
    frozen = reg.values.get("primary_metric")
    seen = False
    for stamp, data in _versions(g, path):
        if stamp.sha == reg.stamp.sha:
            seen = True
            continue
        if (
            seen
            and data is not None
            and not unchanged("primary_metric", frozen, data.get("primary_metric"))
        ):
            return stamp, _has_result(data)
    return Stamp("", "", ""), _has_result(now)


def _has_result(data: Mapping[str, Any]) -> bool:
    result = data.get("result")
    return isinstance(result, dict) and result.get("outcome") is not None
