from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import (
    DocId,
    DryRun,
    NoTouch,
    TextOrJson,
    TextOrJsonFormat,
    complete_with,
    date_option,
    touch_date,
)
from cxlib.cli.state import state

NAME = "status"


def command(
    ctx: typer.Context,
    doc_id: DocId,
    new_status: Annotated[
        str,
        typer.Argument(
            metavar="NEW_STATUS",
            help="The status to move to.",
            autocompletion=complete_with("statuses"),
        ),
    ],
    outcome: Annotated[
        str | None,
        typer.Option(help="Experiments: result.outcome (won, lost, inconclusive, ...)."),
    ] = None,
    decision: Annotated[
        str | None, typer.Option(help="Experiments: the decision (ship, iterate, rerun, abandon).")
    ] = None,
    start: Annotated[
        str | None, typer.Option(help="Experiments: start date (default today when running).")
    ] = None,
    end: Annotated[
        str | None, typer.Option(help="Experiments: end date (default today when concluded).")
    ] = None,
    learnings: Annotated[
        str | None, typer.Option(help="Experiments: text to add under '## Learnings'.")
    ] = None,
    learnings_from_editor: Annotated[
        bool,
        typer.Option(
            "--learnings-from-editor", help="Write the learnings in $EDITOR (added to the body)."
        ),
    ] = False,
    dry_run: DryRun = False,
    no_touch: NoTouch = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Move a document along its lifecycle to NEW_STATUS.

    Moves the lifecycle or the rules forbid are refused, saying what is missing. An experiment
    moving to running gets today as start, to concluded today as end, unless given or already
    set.

    Example: cxlib status EXP-0007 concluded --outcome lost --learnings-from-editor
    """
    from cxlib.cli.edit_view import report, text_from_editor
    from cxlib.errors import UsageError
    from cxlib.ops.status import change_status

    st = state(ctx)
    kb = st.open()
    if learnings_from_editor:
        if learnings is not None:
            raise UsageError("give --learnings or --learnings-from-editor, not both")
        learnings = text_from_editor(st.output, doc_id.strip().upper())
        if not learnings:
            raise UsageError("no learnings were written; nothing changed")
    result = change_status(
        kb,
        doc_id,
        new_status,
        today=st.today,
        outcome=outcome,
        decision=decision,
        start=date_option(start, "--start"),
        end=date_option(end, "--end"),
        learnings=learnings,
        dry_run=dry_run,
        touch=touch_date(st, kb, no_touch),
    )
    report(st.output, result, format == TextOrJson.JSON, dry_run)


def _with_moves(doc: str) -> str:
    """The help with the moves of each kind (from the transition table, so always right); the
    \\b keeps the lines as they are."""
    from cxlib.model.lifecycle import moves_table

    head, example = doc.split("    Example:", 1)
    table = "\n".join(f"    {line}" for line in moves_table().splitlines())
    return f"{head}    The moves:\n\n    \b\n{table}\n\n    Example:{example}"


command.__doc__ = _with_moves(command.__doc__ or "")
