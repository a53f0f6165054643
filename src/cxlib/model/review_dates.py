"""Review-by dates: when an insight's research or an opportunity is due to be checked again.

A document's ``review_by`` says it; one without it is due ``[review] insight_months`` (or
``opportunity_months``) after its ``updated`` date, else its ``created`` date. The reports list
what is due (:func:`due_date`); ``validate`` warns only where a document *declares* a date that
has passed and the library relies on it now (:func:`review_findings`): a validated insight, an
opportunity being prioritized or worked on. An implied date is a report's judgement, not a fault
of the file, and a draft, a parked idea or archived research is not relied on.

Pure, with today as a parameter; plain front-matter values in, so the pre-commit hook can judge
a document from the facts cache's skeleton without building its model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cxlib.model.codes import Code
from cxlib.model.config import ReviewSettings
from cxlib.model.findings import Finding, warning
from cxlib.model.kinds import Kind
from cxlib.model.vocabulary import InsightStatus, OpportunityStatus

# The statuses at which an expired review_by is a warning of validate: what the roadmap and the
# program rest on now.
RELIED_ON: dict[Kind, tuple[str, ...]] = {
    Kind.INSIGHT: (InsightStatus.VALIDATED,),
    Kind.OPPORTUNITY: (OpportunityStatus.PRIORITIZED, OpportunityStatus.IN_PROGRESS),
}
# The statuses at which a due review is listed by the health report: research still in play.
LIVE: dict[Kind, tuple[str, ...]] = {
    Kind.INSIGHT: (InsightStatus.DRAFT, InsightStatus.VALIDATED),
    Kind.OPPORTUNITY: (
        OpportunityStatus.IDEA,
        OpportunityStatus.PRIORITIZED,
        OpportunityStatus.IN_PROGRESS,
        OpportunityStatus.PARKED,
    ),
}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved ``months`` calendar months on; the 31st becomes the month's last day."""
    import calendar  # here: validate imports this module and never moves a date

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def months_for(kind: Kind, settings: ReviewSettings) -> int:
    return settings.insight_months if kind == Kind.INSIGHT else settings.opportunity_months


@dataclass(frozen=True)
class Due:
    """When a document is due for review, and why: ``review_by`` itself, or the date it counts
    from (``updated`` or ``created``) and the months added to it."""

    date: dt.date
    source: str  # "review_by", "updated" or "created"
    months: int = 0

    def explain(self) -> str:
        if self.source == "review_by":
            return f"review_by {self.date.isoformat()}"
        return f"{self.source} + {self.months} months = {self.date.isoformat()}"


def due_date(
    kind: Kind,
    review_by: object,
    updated: object,
    created: object,
    settings: ReviewSettings,
) -> Due | None:
    """When a document of ``kind`` is due for review (None: no date to count from)."""
    if isinstance(review_by, dt.date):
        return Due(review_by, "review_by")
    months = months_for(kind, settings)
    for source, value in (("updated", updated), ("created", created)):
        if isinstance(value, dt.date):
            return Due(add_months(value, months), source, months)
    return None


@dataclass(frozen=True)
class Dated:
    """A declared ``review_by`` of a document the library relies on: what the date rule needs,
    kept by the run cache so that a warm ``validate`` judges it against a new today."""

    path: str
    kind: Kind
    status: str
    review_by: dt.date
    line: int

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind.value,
            "status": self.status,
            "review_by": self.review_by.isoformat(),
            "line": self.line,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Dated:
        review_by = dt.date.fromisoformat(raw["review_by"])
        return cls(raw["path"], Kind(raw["kind"]), raw["status"], review_by, int(raw["line"]))


def dated(path: str, kind: Kind, data: Mapping[str, Any], line: int) -> Dated | None:
    """The review date a document declares, when the date rule may judge it: a ``review_by``
    date on a document at a status the library relies on."""
    review_by, status = data.get("review_by"), data.get("status")
    if not isinstance(review_by, dt.date) or status not in RELIED_ON.get(kind, ()):
        return None
    return Dated(path, kind, str(status), review_by, line)


def review_findings(items: Iterable[Dated], today: dt.date) -> list[Finding]:
    """``review-expired`` for each declared ``review_by`` before ``today``."""
    out: list[Finding] = []
    for d in items:
        if d.review_by >= today:
            continue
        days = (today - d.review_by).days
        out.append(
            warning(
                Code.REVIEW_EXPIRED,
                d.path,
                f"review_by {d.review_by.isoformat()} passed {days} day{'s' * (days != 1)} "
                f"ago; this {d.status} {d.kind.value} is due to be checked again",
                line=d.line,
                field="review_by",
            )
        )
    return out
