"""Rules that compare documents with their git history (optional; see ``[validate]``)."""

from __future__ import annotations

import datetime as dt

from cxlib.model.findings import Finding, warning
from cxlib.model.library import LoadedDoc


def check_created_against_git(
    docs: list[LoadedDoc], first_commit: dict[str, dt.date], tolerance_days: int = 1
) -> list[Finding]:
    """Warn when a document's ``created`` date is more than ``tolerance_days`` away from the date
    of the first commit that added it (``first_commit`` maps paths to that date). Documents never
    committed are not checked: their front-matter date is all there is."""
    out: list[Finding] = []
    for d in docs:
        committed = first_commit.get(d.path)
        if d.doc is None or committed is None:
            continue
        gap = (d.doc.created - committed).days
        if abs(gap) <= tolerance_days:
            continue
        when = "after" if gap > 0 else "before"
        out.append(
            warning(
                "created-vs-git",
                d.path,
                f"created {d.doc.created} is {abs(gap)} day(s) {when} the first commit of this "
                f"file ({committed})",
                line=d.parsed.line_of("created"),
                field="created",
                hint=f"set 'created: {committed}' if that is when it was written, or turn the rule"
                " off with [validate] check_created_against_git = false",
            )
        )
    return out
