"""What changed inside one document between two versions: its fields old → new, its priority
before and after, and its sections added, removed or rewritten. Pure comparisons; the texts and
parses come from :mod:`cxlib.ops.review`."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import Any

from cxlib.model.ids import ID_RE
from cxlib.model.kinds import Kind
from cxlib.model.scoring import Formula, priority
from cxlib.model.source import ParsedFile
from cxlib.model.vocabulary import LINK_FIELDS

# Bookkeeping a reviewer does not need told: the id is the document's identity (a change of it is
# a rename), and ``updated`` moves with every edit.
_NOT_SHOWN = frozenset({"id", "updated"})
_SCORES = ("customer_value", "business_value", "effort", "reach", "confidence")
FULL_SECTIONS = frozenset({"learnings"})  # shown in full when they change: what was learned
DIFF_CONTEXT = 1


@dataclass(frozen=True)
class FieldDelta:
    """One front-matter field that changed: a value old → new (None: not set), or for a list
    the items added and removed."""

    field: str
    old: str | None = None
    new: str | None = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def is_list(self) -> bool:
        return bool(self.added or self.removed)

    def to_json(self) -> dict[str, Any]:
        if self.is_list:
            return {"field": self.field, "added": list(self.added), "removed": list(self.removed)}
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class PriorityDelta:
    formula: str
    old: float | None
    new: float | None

    def to_json(self) -> dict[str, Any]:
        return {"formula": self.formula, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class SectionDelta:
    """A body section that was added, removed or rewritten: a unified diff of its lines
    (without file headers), and for the sections shown in full, its text now."""

    title: str
    change: str  # "added", "removed" or "rewritten"
    diff: tuple[str, ...]
    text: tuple[str, ...] = ()

    @property
    def counts(self) -> tuple[int, int]:
        plus = sum(1 for line in self.diff if line.startswith("+"))
        minus = sum(1 for line in self.diff if line.startswith("-"))
        return plus, minus

    def to_json(self) -> dict[str, Any]:
        plus, minus = self.counts
        return {
            "title": self.title,
            "change": self.change,
            "added_lines": plus,
            "removed_lines": minus,
            "diff": list(self.diff),
            "text": list(self.text) if self.text else None,
        }


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _flat(data: dict[str, Any], kind: Kind) -> dict[str, Any]:
    """The fields a reviewer reads, a mapping one level deep (``result.outcome``)."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in _NOT_SHOWN:
            continue
        if key in LINK_FIELDS[kind]:
            # Ids are compared as links; other entries (a URL, a note) are shown as values.
            items = value if isinstance(value, list) else [value]
            rest = [x for x in items if not (isinstance(x, str) and ID_RE.match(x))]
            if rest:
                out[key] = rest
        elif isinstance(value, dict):
            out.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def field_deltas(old: dict[str, Any], new: dict[str, Any], kind: Kind) -> list[FieldDelta]:
    """Every field whose value differs, in the order the new version lists them."""
    before, after = _flat(old, kind), _flat(new, kind)
    out: list[FieldDelta] = []
    for name in dict.fromkeys([*after, *before]):
        a, b = before.get(name), after.get(name)
        if a == b:
            continue
        if isinstance(a, list | type(None)) and isinstance(b, list | type(None)) and (a or b):
            was = [_shown(x) for x in a or []]
            now = [_shown(x) for x in b or []]
            added = tuple(x for x in now if x not in was)
            removed = tuple(x for x in was if x not in now)
            if added or removed:
                out.append(FieldDelta(name, added=added, removed=removed))
                continue
        out.append(
            FieldDelta(name, None if a is None else _shown(a), None if b is None else _shown(b))
        )
    return out


def _score(data: dict[str, Any], name: str) -> int | None:
    value = data.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def priority_of(data: dict[str, Any], formula: Formula) -> float | None:
    confidence = data.get("confidence")
    return priority(
        formula,
        _score(data, "customer_value"),
        _score(data, "business_value"),
        _score(data, "effort"),
        _score(data, "reach"),
        confidence if isinstance(confidence, str) else None,
    )


def priority_delta(
    old: dict[str, Any], new: dict[str, Any], formula: Formula, name: str
) -> PriorityDelta | None:
    """The opportunity's priority before and after, when a score it is computed from moved."""
    if all(old.get(s) == new.get(s) for s in _SCORES):
        return None
    before, after = priority_of(old, formula), priority_of(new, formula)
    return None if before == after else PriorityDelta(name, before, after)


def _section_texts(parsed: ParsedFile, text: str) -> dict[str, tuple[str, list[str]]]:
    """Each section's title and lines (to the next heading of any level, blank tail dropped)."""
    lines = text.split("\n")
    starts = sorted((s.line, key, s.title) for key, s in parsed.sections.items())
    out: dict[str, tuple[str, list[str]]] = {}
    for n, (line, key, title) in enumerate(starts):
        stop = starts[n + 1][0] - 1 if n + 1 < len(starts) else len(lines)
        body = lines[line:stop]
        while body and not body[-1].strip():
            body.pop()
        out[key] = (title, body)
    return out


def section_deltas(
    old: tuple[ParsedFile, str] | None, new: tuple[ParsedFile, str] | None
) -> list[SectionDelta]:
    """The sections added, removed and rewritten, in the new version's order."""
    before = _section_texts(*old) if old is not None else {}
    after = _section_texts(*new) if new is not None else {}
    out: list[SectionDelta] = []
    for key in dict.fromkeys([*after, *before]):
        was, now = before.get(key), after.get(key)
        title = (now or was or ("", []))[0]
        a, b = (was[1] if was else []), (now[1] if now else [])
        if a == b:
            continue
        change = "added" if was is None else "removed" if now is None else "rewritten"
        diff = tuple(difflib.unified_diff(a, b, lineterm="", n=DIFF_CONTEXT))[
            2:
        ]  # no "---"/"+++" file headers
        full = tuple(b) if key in FULL_SECTIONS and now is not None else ()
        out.append(SectionDelta(title, change, diff, full))
    return out
