from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from cxlib.cli.commands.common import TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state

NAME = "log"


def command(
    ctx: typer.Context,
    doc_id: Annotated[
        str | None,
        typer.Argument(
            metavar="[ID]", help="Document id, e.g. EXP-0042. Without it: every document."
        ),
    ] = None,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Show a document's history from git.

    Show a document's history from git: its commits (date, author, message), following
    renames, and how its status changed over time.

    Without an id, list every document's created and last-changed dates and authors from git
    (one pass over the log, cached); documents never committed show their front-matter dates.

    Example: cxlib log EXP-0042
    """
    from cxlib.ops.log import document_log, library_log

    st = state(ctx)
    out = st.output
    kb = st.open()
    if doc_id is None:
        rows = library_log(kb)
        if format == TextOrJson.JSON:
            out.json(rows)
        else:
            out.table(
                rows, ["id", "created", "created_by", "changed", "changed_by", "commits", "title"]
            )
        return
    log = document_log(kb, doc_id)
    if format == TextOrJson.JSON:
        out.json(asdict(log))
        return
    out.line(f"{log.id}  {log.title}")
    out.line(log.path)
    origin = "" if log.source == "git" else " (front-matter: not committed yet)"
    out.line(
        f"created {log.created[:10]} by {log.created_by or '?'} · last changed "
        f"{log.changed[:10]} by {log.changed_by or '?'} · authors: "
        f"{', '.join(log.authors) or '?'}{origin}"
    )
    if log.uncommitted and log.commits:
        out.line("the working tree has uncommitted changes to it")
    out.line("")
    out.line("status over time:")
    for step in log.statuses:
        label = f"{step.previous} -> {step.status}" if step.previous else (step.status or "?")
        if step.outcome:
            label += f" ({step.outcome})"
        when = step.date[:10] if step.date else "uncommitted"
        out.line(f"  {when:<11} {label:<34} {step.commit[:10]}".rstrip())
    if log.commits:
        out.line("")
        out.line("commits (newest first):")
        for e in log.commits:
            out.line(f"  {e.date[:10]}  {e.commit[:10]}  {e.author}  {e.message}")
