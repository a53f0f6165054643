"""``cxlib status``: move a document through its lifecycle, filling the dates that follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cxlib.errors import UsageError
from cxlib.kb.edit import EditableFile
from cxlib.kb.store import KnowledgeBase
from cxlib.model.documents import Decision, Outcome
from cxlib.model.kinds import Kind
from cxlib.model.review_dates import add_months
from cxlib.model.vocabulary import InsightStatus
from cxlib.ops.docs import file_ids, open_by_id, touched, with_neighbours
from cxlib.ops.set import EditResult, check_transition, write_edits


def change_status(
    kb: KnowledgeBase,
    doc_id: str,
    new_status: str,
    today: dt.date,
    outcome: str | None = None,
    decision: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    learnings: str | None = None,
    dry_run: bool = False,
    touch: dt.date | None = None,
) -> EditResult:
    """Set the status (refusing moves the lifecycle or the rules forbid). For an experiment,
    ``running`` fills ``start`` and ``concluded`` fills ``end`` with ``today`` unless given or
    already set; ``outcome``, ``decision`` and ``learnings`` are written too. An insight made
    (or confirmed) ``validated`` gets ``review_by``: today + ``[review] insight_months``. With
    ``touch``,
    ``updated:`` becomes that date."""
    ids = file_ids(kb)
    d, doc = open_by_id(kb, ids, doc_id)
    library = with_neighbours(ids, d)
    new = new_status.strip().lower()
    check_transition(d, new)
    _check_options(d.kind, outcome, decision, start, end, learnings)
    data = d.parsed.data or {}
    values: dict[str, Any] = {"status": new}
    if d.kind == Kind.EXPERIMENT:
        values |= _experiment_values(new, data, today, outcome, decision, start, end)
    if d.kind == Kind.INSIGHT and new == InsightStatus.VALIDATED:
        # Validating (again) sets the date the research is next due to be checked.
        values["review_by"] = add_months(today, kb.config.review.insight_months)
    after = doc.raw
    for key, value in values.items():
        after = EditableFile(after, d.path).set_value(key, value)
    if learnings is not None:
        if not learnings.strip():
            raise UsageError("the learnings are empty; nothing was written")
        after = EditableFile(after, d.path).append_to_section("Learnings", learnings)
    after = touched(doc.raw, after, d.path, touch)
    changed, patch = write_edits(kb, d, doc, after, f"becoming {new}", dry_run, library)
    message = _message(d.id, data.get("status", ""), new, values, changed, dry_run)
    return EditResult(d.id or "", d.path, changed, message, values, patch)


def _check_options(
    kind: Kind,
    outcome: str | None,
    decision: str | None,
    start: dt.date | None,
    end: dt.date | None,
    learnings: str | None,
) -> None:
    """Refuse the experiment options for other kinds, and an unknown outcome or decision."""
    if kind != Kind.EXPERIMENT:
        extras = {
            "--outcome": outcome,
            "--decision": decision,
            "--start": start,
            "--end": end,
            "--learnings": learnings,
        }
        given = [k for k, v in extras.items() if v is not None]
        if given:
            raise UsageError(f"{', '.join(given)}: only experiments have these")
    if outcome is not None and outcome not in {o.value for o in Outcome}:
        raise UsageError(
            f"--outcome: unknown outcome '{outcome}'",
            hint="use one of: " + ", ".join(o.value for o in Outcome),
        )
    if decision is not None and decision not in {x.value for x in Decision}:
        raise UsageError(
            f"--decision: unknown decision '{decision}'",
            hint="use one of: " + ", ".join(x.value for x in Decision),
        )


def _experiment_values(
    new: str,
    data: dict[str, Any],
    today: dt.date,
    outcome: str | None,
    decision: str | None,
    start: dt.date | None,
    end: dt.date | None,
) -> dict[str, Any]:
    """The fields an experiment's move writes besides its status: the start and end dates it
    fills (unless given or already set), the outcome and the decision."""
    values: dict[str, Any] = {}
    if start is not None or (new == "running" and data.get("start") is None):
        values["start"] = start or today
    if end is not None or (new == "concluded" and data.get("end") is None):
        values["end"] = end or today
    if outcome is not None:
        values["result.outcome"] = outcome
    if decision is not None:
        values["decision"] = decision
    return values


def _message(
    doc_id: str | None, old: object, new: str, values: dict[str, Any], changed: bool, dry_run: bool
) -> str:
    if not changed:
        return f"{doc_id} is already {new}; nothing to do"
    filled = [k for k in ("start", "end", "review_by") if k in values]
    extra = f" (set {', '.join(filled)})" if filled else ""
    if old == new:
        return f"{'would update' if dry_run else 'updated'} {doc_id} (already {new}){extra}"
    return f"{'would move' if dry_run else 'moved'} {doc_id} from {old} to {new}{extra}"
