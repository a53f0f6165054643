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
    check_lock,
    check_metric_amendment,
    frozen_values,
    is_locked,
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
        registrations = {}
    out = LockCheck()
    with git.session(root) as g:
        for d in locked:
            data = d.parsed.data or {}
            reg = registrations.get(d.path) if whole else _first_running(g, d.path)
            if reg is None:
                continue  # never committed running: this version registers it
            out.findings += check_lock(d.path, data, d.parsed.line_of, reg)
            moved = not unchanged(
                "primary_metric", reg.values.get("primary_metric"), data.get("primary_metric")
            )
            if "primary_metric" in reg.values and moved:
                stamp, had_result = _metric_changed(g, d.path, reg, data)
                out.findings += check_metric_amendment(
                    d.path, data, d.parsed.line_of, stamp, had_result
                )
    return out


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
