"""What a change to the library means for a reviewer: pure comparisons of two versions of documents.

Given the base and head versions of each changed document, derive the facts a reviewer needs
(status transitions with their outcome, links added and removed) and the checklist the program's
rules imply. No git and no I/O here; :mod:`cxlib.ops.review` gathers the versions.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from cxlib.model.kinds import Kind
from cxlib.model.library import LoadedDoc

PAST_IDEA = ("prioritized", "in-progress", "delivered")
CONCLUDED = ("concluded", "implemented")
LOSSES = ("lost", "inconclusive")


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


def compare(
    change: ChangeKind, old: LoadedDoc | None, new: LoadedDoc | None, kind: Kind
) -> DocChange:
    """The reviewer's facts about one changed document (``old``/``new`` are None when absent)."""
    current = new if new is not None else old
    assert current is not None
    data = _data(current)
    result = data.get("result")
    before, after = _link_set(old), _link_set(new)
    return DocChange(
        change=change,
        kind=kind,
        id=current.id,
        title=current.title,
        owner=_text(data.get("owner")) or "",
        path=current.path,
        old_path=old.path if change == ChangeKind.RENAMED and old is not None else None,
        status=_text(data.get("status")),
        old_status=_text(_data(old).get("status")) if new is not None and old is not None else None,
        outcome=_text(result.get("outcome")) if isinstance(result, dict) else None,
        decision=_text(data.get("decision")),
        links=[LinkDelta(f, t, True) for f, t in sorted(after - before)]
        + [LinkDelta(f, t, False) for f, t in sorted(before - after)],
    )


def _filled(value: Any) -> bool:
    return value not in (None, "", [], {})


def checklist(changes: list[DocChange], heads: dict[str, LoadedDoc]) -> list[ChecklistItem]:
    """What the rules ask a reviewer to confirm, for documents that enter a state that needs it.

    Every new or newly validated insight shows its evidence and confidence; every newly concluded
    experiment states outcome, decision and learnings (a loss most of all); every opportunity that
    moves past ``idea`` has an owner, scores and an insight. ``heads`` maps head paths to documents.
    """
    items: list[ChecklistItem] = []
    for c in changes:
        d = heads.get(c.path)
        if c.change == ChangeKind.DELETED or d is None or not c.id:
            continue
        data = _data(d)
        entering = c.change == ChangeKind.ADDED or c.transition
        if c.kind == Kind.INSIGHT and (
            c.change == ChangeKind.ADDED or (c.transition and c.status == "validated")
        ):
            why = "new insight" if c.change == ChangeKind.ADDED else "newly validated insight"
            evidence = data.get("evidence")
            count = len(evidence) if isinstance(evidence, list) else 0
            confidence = _text(data.get("confidence"))
            items.append(
                ChecklistItem(
                    c.id,
                    c.kind,
                    f"{why} ({c.status})" if c.change == ChangeKind.ADDED and c.status else why,
                    [
                        Check(
                            "evidence",
                            count > 0,
                            f"{count} reference{'s' if count != 1 else ''}" if count else "none",
                        ),
                        Check("confidence", confidence is not None, confidence or "not set"),
                    ],
                )
            )
        elif c.kind == Kind.EXPERIMENT and entering and c.status in CONCLUDED:
            section = d.parsed.section("learnings")
            learned = section is not None and section.has_content
            outcome = c.outcome
            items.append(
                ChecklistItem(
                    c.id,
                    c.kind,
                    f"{'new' if c.change == ChangeKind.ADDED else 'newly'} {c.status} experiment"
                    + (f" ({outcome})" if outcome else ""),
                    [
                        Check("outcome", outcome is not None, outcome or "not set"),
                        Check("decision", c.decision is not None, c.decision or "not set"),
                        Check("learnings", learned, "written" if learned else "empty"),
                    ],
                    note="a loss or an inconclusive result needs its learnings most of all"
                    if outcome in LOSSES
                    else None,
                )
            )
        elif c.kind == Kind.OPPORTUNITY and entering and c.status in PAST_IDEA:
            scores = [
                s for s in ("customer_value", "business_value", "effort") if _filled(data.get(s))
            ]
            insights = data.get("insights")
            linked = len(insights) if isinstance(insights, list) else 0
            items.append(
                ChecklistItem(
                    c.id,
                    c.kind,
                    f"{'new' if c.change == ChangeKind.ADDED else 'newly'} {c.status} opportunity",
                    [
                        Check("owner", bool(c.owner), c.owner or "not set"),
                        Check("scores", len(scores) == 3, f"{len(scores)} of 3"),
                        Check("insights", linked > 0, str(linked) if linked else "none"),
                    ],
                )
            )
    return items
