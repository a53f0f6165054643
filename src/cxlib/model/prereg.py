"""The pre-registration lock: an experiment's design, frozen once it runs, against what its file
says now.

Pure: the frozen version (the commit that first made the experiment ``running`` or later, and
its front-matter) comes from :mod:`cxlib.kb.prereg`. Works on front-matter as written (plain
data, no pydantic), so the pre-commit hook can answer from its cache.

What counts as a change: for each frozen field the frozen version *gave*, the value now must
be the same. A field left out at the start is not locked (adding it later is no change of a
declared value). Records are compared on the keys the frozen version gave: variants given as
names and now as records with the same names are the same design, and an allocation added
where none was declared changes nothing declared; changing a name, the order of the arms, or an
allocation that was declared is a change. A rule in words that gains a structured ``ship_if``
with the same words is the same rule. Guardrail metrics compare as a set. A screenshot is no
part of the design.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cxlib.model.codes import Code
from cxlib.model.findings import Finding, error
from cxlib.model.vocabulary import FROZEN_FIELDS

LOCKED_STATUSES = ("running", "concluded", "implemented")
# What the lock reads of a file: kept in the facts cache's skeleton of an experiment.
LOCK_KEYS: tuple[str, ...] = ("status", *FROZEN_FIELDS, "amendments", "result")
_NOT_DESIGN = frozenset({"screenshot"})
SHOWN = 120  # characters of an original value a finding quotes


@dataclass(frozen=True)
class Stamp:
    """A commit as a finding names it."""

    sha: str
    date: str  # ISO 8601 author date
    author: str

    def __str__(self) -> str:
        if not self.sha:
            return "the uncommitted file"
        return f"{self.sha[:7]} ({self.date[:10]}, {self.author})"


@dataclass(frozen=True)
class Registration:
    """The version that first made an experiment running: its commit and frozen values."""

    stamp: Stamp
    values: dict[str, Any]  # the frozen fields it gave (JSON-able)


def is_locked(data: Mapping[str, Any] | None) -> bool:
    return data is not None and str(data.get("status")) in LOCKED_STATUSES


def frozen_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """The frozen fields a version gives, as JSON-able values (dates as text)."""
    given = {f: data[f] for f in FROZEN_FIELDS if data.get(f) not in (None, "", [], {})}
    plain: dict[str, Any] = _plain(given)
    return plain


def _plain(value: Any) -> Any:
    """A front-matter value as JSON would give it back (dates as text)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)


def _arm(value: Any) -> Any:
    return {"name": value} if isinstance(value, str) else value


def _same(old: Any, new: Any) -> bool:
    """``new`` keeps everything ``old`` declared (records: on the keys ``old`` gave)."""
    if isinstance(old, dict):
        if not isinstance(new, dict):
            return False
        return all(k in _NOT_DESIGN or _same(v, new.get(k)) for k, v in old.items())
    if isinstance(old, list):
        return (
            isinstance(new, list)
            and len(old) == len(new)
            and all(_same(a, b) for a, b in zip(old, new, strict=True))
        )
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    if isinstance(old, str) and isinstance(new, str):
        return " ".join(old.split()) == " ".join(new.split())
    return bool(old == new)


def unchanged(name: str, old: Any, new: Any) -> bool:
    """Whether frozen field ``name`` still says what the frozen version declared."""
    new = _plain(new)
    if name == "variants" and isinstance(old, list) and isinstance(new, list):
        return _same([_arm(v) for v in old], [_arm(v) for v in new])
    if name == "decision_rule":
        old = {"text": old} if isinstance(old, str) else old
        new = {"text": new} if isinstance(new, str) else new
    if name == "guardrail_metrics" and isinstance(old, list) and isinstance(new, list):
        return sorted(map(str, old)) == sorted(map(str, new))
    return _same(old, new)


def renamed(registration: Registration, renames: Mapping[str, str]) -> Registration:
    """The registration with each metric id it froze under a former name (``cxlib rename``
    records them in cxlib.toml) read as the metric's id now: a rename is no change of design."""
    if not renames:
        return registration
    values = dict(registration.values)
    if isinstance(values.get("primary_metric"), str):
        values["primary_metric"] = renames.get(values["primary_metric"], values["primary_metric"])
    if isinstance(values.get("guardrail_metrics"), list):
        values["guardrail_metrics"] = [renames.get(m, m) for m in values["guardrail_metrics"]]
    return Registration(registration.stamp, values)


def changed_fields(registration: Registration, data: Mapping[str, Any]) -> list[str]:
    """The frozen fields whose value now departs from the registration, in the fields' order."""
    return [
        f
        for f in FROZEN_FIELDS
        if f in registration.values and not unchanged(f, registration.values[f], data.get(f))
    ]


def amended(data: Mapping[str, Any]) -> set[str]:
    """The fields the experiment's ``amendments`` name."""
    entries = data.get("amendments")
    if not isinstance(entries, list):
        return set()
    return {str(e.get("field")) for e in entries if isinstance(e, dict)}


def shown(value: Any) -> str:
    """An original value as a finding quotes it: JSON (control characters escaped), shortened."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def check_lock(
    path: str,
    data: Mapping[str, Any],
    line_of: Any,
    registration: Registration,
) -> list[Finding]:
    """``preregistration-changed`` for every frozen field changed since the registration and not
    named by an amendment (an amendment's own date is judged by :func:`check_amendments`)."""
    out: list[Finding] = []
    named = amended(data)
    for name in changed_fields(registration, data):
        if name in named:
            continue
        out.append(
            error(
                Code.PREREGISTRATION_CHANGED,
                path,
                f"{name} changed after {registration.stamp} made the experiment running; "
                f"it was: {shown(registration.values[name])}",
                line=line_of(name) if name in data else line_of("status"),
                field=name,
                hint=f"put the registered value back, or record the change: amendments: "
                f"[{{date: YYYY-MM-DD, field: {name}, reason: ...}}]",
            )
        )
    return out


def check_metric_amendment(
    path: str, data: Mapping[str, Any], line_of: Any, changed_at: Stamp, had_result: bool
) -> list[Finding]:
    """``amendment-after-results``: the primary metric was amended, but the version that first
    held the new metric (``changed_at``) already held a result."""
    if not had_result or "primary_metric" not in amended(data):
        return []
    return [
        error(
            Code.AMENDMENT_AFTER_RESULTS,
            path,
            f"the primary metric changed in {changed_at}, when the experiment already had a "
            "result: an amendment cannot move the goalposts after the results are in",
            line=line_of("primary_metric"),
            field="primary_metric",
        )
    ]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def check_amendments(
    path: str, amendments: list[Any], planned_stop: dt.date | None, line_of: Any
) -> list[Finding]:
    """``amendment-too-late``: an amendment dated after the planned end (a single-file rule:
    the design changed once the test should have stopped is a post-hoc analysis)."""
    out: list[Finding] = []
    if planned_stop is None:
        return out
    for i, a in enumerate(amendments):
        when = _date(getattr(a, "date", None))
        if when is None or when <= planned_stop:
            continue
        field = getattr(a, "field", "?")
        out.append(
            error(
                Code.AMENDMENT_TOO_LATE,
                path,
                f"the amendment of {field} is dated {when}, after the planned end {planned_stop}",
                line=line_of(f"amendments.{i}.date"),
                field=f"amendments.{i}.date",
            )
        )
    return out
