"""``cxlib status``: move a document through its lifecycle, filling the dates that follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from cxlib.errors import UsageError
from cxlib.kb.edit import EditableFile
from cxlib.kb.store import KnowledgeBase
from cxlib.model.documents import Decision, Outcome
from cxlib.model.kinds import Kind
from cxlib.ops.docs import file_ids, open_by_id, with_neighbours
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
) -> EditResult:
    """Set the status (refusing moves the lifecycle or the rules forbid). For an experiment,
    ``running`` fills ``start`` and ``concluded`` fills ``end`` with ``today`` unless given or
    already set; ``outcome``, ``decision`` and ``learnings`` are written too."""
    ids = file_ids(kb)
    d, doc = open_by_id(kb, ids, doc_id)
    library = with_neighbours(ids, d)
    new = new_status.strip().lower()
    check_transition(d, new)
    extras = {"--outcome": outcome, "--decision": decision, "--start": start, "--end": end}
    extras["--learnings"] = learnings
    if d.kind != Kind.EXPERIMENT:
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
    data = d.parsed.data or {}
    values: dict[str, Any] = {"status": new}
    if d.kind == Kind.EXPERIMENT:
        if start is not None or (new == "running" and data.get("start") is None):
            values["start"] = start or today
        if end is not None or (new == "concluded" and data.get("end") is None):
            values["end"] = end or today
        if outcome is not None:
            values["result.outcome"] = outcome
        if decision is not None:
            values["decision"] = decision
    after = doc.raw
    for key, value in values.items():
        after = EditableFile(after, d.path).set_value(key, value)
    if learnings is not None:
        if not learnings.strip():
            raise UsageError("the learnings are empty; nothing was written")
        after = EditableFile(after, d.path).append_to_section("Learnings", learnings)
    changed, patch = write_edits(kb, d, doc, after, f"becoming {new}", dry_run, library)
    if not changed:
        message = f"{d.id} is already {new}; nothing to do"
    else:
        old = data.get("status", "")
        filled = [k for k in ("start", "end") if k in values]
        extra = f" (set {', '.join(filled)})" if filled else ""
        if old == new:
            message = f"{'would update' if dry_run else 'updated'} {d.id} (already {new}){extra}"
        else:
            message = f"{'would move' if dry_run else 'moved'} {d.id} from {old} to {new}{extra}"
    return EditResult(d.id or "", d.path, changed, message, values, patch)
