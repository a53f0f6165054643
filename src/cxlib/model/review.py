"""What a change to the library means for a reviewer: pure comparisons of two versions of documents.

Given the base and head versions of each changed document, derive the facts a reviewer needs
(status transitions with their outcome, links added and removed) and the checklist the program's
rules imply. No git and no I/O here; :mod:`cxlib.ops.review` gathers the versions.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from cxlib.model.kinds import Kind
from cxlib.model.library import LoadedDoc
from cxlib.model.review_delta import (
    FieldDelta,
    PriorityDelta,
    SectionDelta,
    field_deltas,
    priority_delta,
    section_deltas,
)
from cxlib.model.scoring import Formula
from cxlib.model.vocabulary import LOSS_NOTE, LOSSES, REQUIREMENTS, filled


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    RENAMED = "renamed"
    DELETED = "deleted"


@dataclass(frozen=True)
class LinkDelta:
    field: str
    target: str
    added: bool


@dataclass
class DocChange:
    """One document that the branch adds, changes, renames or deletes."""

    change: ChangeKind
    kind: Kind
    id: str | None
    title: str
    owner: str
    path: str  # the head path (the base path for a deleted document)
    old_path: str | None = None  # the base path of a renamed document
    status: str | None = None  # head status (base status for a deleted document)
    old_status: str | None = None  # base status (None for an added document)
    outcome: str | None = None
    decision: str | None = None
    links: list[LinkDelta] = field(default_factory=list)
    fields: list[FieldDelta] = field(default_factory=list)
    priority: PriorityDelta | None = None
    sections: list[SectionDelta] = field(default_factory=list)
    review_by: str | None = None  # head review date (insights and opportunities)
    old_review_by: str | None = None  # base review date (None for an added document)

    @property
    def revalidated(self) -> bool:
        """An insight the branch (re-)validated: validated at head, and either newly validated
        or given a later review date (``cxlib status INS-... validated`` writes one)."""
        if self.kind != Kind.INSIGHT or self.status != "validated":
            return False
        if self.change == ChangeKind.DELETED:
            return False
        newly = self.change == ChangeKind.ADDED or self.transition
        later = self.review_by is not None and (
            self.old_review_by is None or self.review_by > self.old_review_by
        )
        return newly or (later and self.change != ChangeKind.ADDED)

    @property
    def transition(self) -> bool:
        """The status moved (an added document has no transition; it just has a status)."""
        return self.change in (ChangeKind.CHANGED, ChangeKind.RENAMED) and (
            self.old_status != self.status
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "change": self.change.value,
            "kind": self.kind.value,
            "id": self.id,
            "title": self.title,
            "owner": self.owner,
            "path": self.path,
            "old_path": self.old_path,
            "status": self.status,
            "old_status": self.old_status,
            "outcome": self.outcome,
            "decision": self.decision,
            "links_added": [{"field": x.field, "target": x.target} for x in self.links if x.added],
            "links_removed": [
                {"field": x.field, "target": x.target} for x in self.links if not x.added
            ],
            "fields": [x.to_json() for x in self.fields],
            "priority": self.priority.to_json() if self.priority else None,
            "sections": [x.to_json() for x in self.sections],
            "review_by": self.review_by,
            "old_review_by": self.old_review_by,
            "revalidated": self.revalidated,
        }


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class ChecklistItem:
    """One thing a reviewer should confirm about one document."""

    id: str
    kind: Kind
    why: str  # "new insight", "newly concluded experiment (lost)", ...
    checks: list[Check]
    note: str | None = None

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind.value,
            "why": self.why,
            "ok": self.ok,
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
            "note": self.note,
        }


def _data(d: LoadedDoc | None) -> dict[str, Any]:
    return (d.parsed.data or {}) if d is not None else {}


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    return str(value)


def _link_set(d: LoadedDoc | None) -> set[tuple[str, str]]:
    return {(link.field, link.target) for link in d.links()} if d is not None else set()


@dataclass(frozen=True)
class Version:
    """One side of a change: the document as checked, and its file's text."""

    doc: LoadedDoc
    text: str


@dataclass(frozen=True)
class Scoring:
    """The program's priority formula, and its name as ``cxlib.toml`` gives it."""

    formula: Formula
    name: str


def compare(
    change: ChangeKind,
    old: Version | None,
    new: Version | None,
    kind: Kind,
    scoring: Scoring | None = None,
) -> DocChange:
    """The reviewer's facts about one changed document (``old``/``new`` are None when absent)."""
    was, now = (old.doc if old else None), (new.doc if new else None)
    current = now if now is not None else was
    assert current is not None
    data = _data(current)
    result = data.get("result")
    before, after = _link_set(was), _link_set(now)
    both = was is not None and now is not None
    return DocChange(
        change=change,
        kind=kind,
        id=current.id,
        title=current.title,
        owner=_text(data.get("owner")) or "",
        path=current.path,
        old_path=was.path if change == ChangeKind.RENAMED and was is not None else None,
        status=_text(data.get("status")),
        old_status=_text(_data(was).get("status")) if both else None,
        outcome=_text(result.get("outcome")) if isinstance(result, dict) else None,
        decision=_text(data.get("decision")),
        links=[LinkDelta(f, t, True) for f, t in sorted(after - before)]
        + [LinkDelta(f, t, False) for f, t in sorted(before - after)],
        fields=field_deltas(_data(was), _data(now), kind) if both else [],
        priority=(
            priority_delta(_data(was), _data(now), scoring.formula, scoring.name)
            if both and scoring is not None and kind == Kind.OPPORTUNITY
            else None
        ),
        sections=section_deltas(
            (old.doc.parsed, old.text) if old else None, (new.doc.parsed, new.text) if new else None
        )
        if both
        else [],
        review_by=_date_text(data.get("review_by")),
        old_review_by=_date_text(_data(was).get("review_by")) if both else None,
    )


def _date_text(value: Any) -> str | None:
    """A date as ISO text (dates compare as text in that form); anything else is no date."""
    return value.isoformat() if isinstance(value, dt.date) else None


def _count(value: Any) -> int:
    return len(value) if isinstance(value, list) else 0


def _check(name: str, data: dict[str, Any], d: LoadedDoc, c: DocChange) -> Check:
    """One checklist line: whether the document meets the requirement, and what it has."""
    if name == "evidence":
        n = _count(data.get("evidence"))
        return Check(name, n > 0, f"{n} reference{'s' if n != 1 else ''}" if n else "none")
    if name == "insights":
        n = _count(data.get("insights"))
        return Check(name, n > 0, str(n) if n else "none")
    if name == "scores":
        n = sum(filled(data.get(f)) for f in _SCORED)
        return Check(name, n == len(_SCORED), f"{n} of {len(_SCORED)}")
    if name == "learnings":
        section = d.parsed.section("learnings")
        learned = section is not None and section.has_content
        return Check(name, learned, "written" if learned else "empty")
    value = {"owner": c.owner or None, "outcome": c.outcome, "decision": c.decision}.get(
        name, _text(data.get(name))
    )
    return Check(name, value is not None, value or "not set")


_SCORED = next(r.fields for r in REQUIREMENTS if r.review == "scores")


def _reviewed(kind: Kind) -> tuple[tuple[str, ...], list[str]]:
    """The statuses whose requirements reviewers confirm, and the checklist's checks, in the
    vocabulary's order."""
    reqs = [r for r in REQUIREMENTS if r.kind == kind and r.review]
    statuses = tuple(dict.fromkeys(s for r in reqs for s in r.statuses))
    return statuses, list(dict.fromkeys(r.review for r in reqs if r.review))


def _why(c: DocChange) -> str:
    new = c.change == ChangeKind.ADDED
    if c.kind == Kind.INSIGHT:
        return (
            (f"new insight ({c.status})" if c.status else "new insight")
            if new
            else ("newly validated insight")
        )
    why = f"{'new' if new else 'newly'} {c.status} {c.kind.value}"
    return why + (f" ({c.outcome})" if c.kind == Kind.EXPERIMENT and c.outcome else "")


def checklist(changes: list[DocChange], heads: dict[str, LoadedDoc]) -> list[ChecklistItem]:
    """What the rules ask a reviewer to confirm, for documents that enter a state that needs it
    (the requirements of :data:`cxlib.model.vocabulary.REQUIREMENTS` that name a check).

    Every new or newly validated insight shows its evidence and confidence (a new insight
    whatever its status: evidence is what makes it one); every newly concluded experiment states
    outcome, decision and learnings (a loss most of all); every opportunity that moves past
    ``idea`` has an owner, scores and an insight. ``heads`` maps head paths to documents.
    """
    items: list[ChecklistItem] = []
    for c in changes:
        d = heads.get(c.path)
        if c.change == ChangeKind.DELETED or d is None or not c.id:
            continue
        statuses, checks = _reviewed(c.kind)
        added = c.change == ChangeKind.ADDED
        entering = (added or c.transition) and c.status in statuses
        if not (entering or (added and c.kind == Kind.INSIGHT)):
            continue
        data = _data(d)
        loss = c.kind == Kind.EXPERIMENT and c.outcome in LOSSES
        items.append(
            ChecklistItem(
                c.id,
                c.kind,
                _why(c),
                [_check(name, data, d, c) for name in checks],
                note=LOSS_NOTE if loss else None,
            )
        )
    return items
