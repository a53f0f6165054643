from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import DryRun, TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state
from cxlib.errors import UsageError

NAME = "rename"


def _action(
    what: str | None, old: str | None, new: str | None, dry_run: bool, resume: bool, rollback: bool
) -> str:
    """What was asked: "rename", "resume" or "rollback"; refuses a mix."""
    if resume and rollback:
        raise UsageError("--resume and --rollback exclude each other")
    if resume or rollback:
        flag = "--resume" if resume else "--rollback"
        if what is not None or dry_run:
            raise UsageError(f"{flag} takes no names and no --dry-run: it reads the journal")
        return "resume" if resume else "rollback"
    if what is None or old is None or new is None:
        raise UsageError(
            "give what to rename, the old id and the new one",
            hint="cxlib rename metric|stage|touchpoint|team|segment OLD NEW",
        )
    return "rename"


def command(
    ctx: typer.Context,
    what: Annotated[
        str | None,
        typer.Argument(metavar="WHAT", help="metric, stage, touchpoint, team or segment."),
    ] = None,
    old: Annotated[
        str | None, typer.Argument(metavar="OLD", help="The id cxlib.toml has now.")
    ] = None,
    new: Annotated[
        str | None, typer.Argument(metavar="NEW", help="The new id (not yet in cxlib.toml).")
    ] = None,
    dry_run: DryRun = False,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Finish a rename that was interrupted or failed midway."),
    ] = False,
    rollback: Annotated[
        bool,
        typer.Option(
            "--rollback",
            help="Undo a rename that was interrupted or failed midway: every file as it was.",
        ),
    ] = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Rename a metric, stage, touchpoint, team or segment.

    Rewrites cxlib.toml and every document that names OLD (a metric: primary and guardrail
    metrics, result.guardrails, KPIs, other metrics' kpi and the north star; a stage,
    touchpoint or team: the documents' field; a segment: insights' segments), each value on its
    own line. NEW must not exist yet. Every edit is computed and checked first and journaled
    before the first write: a rename that was killed or failed midway is finished with --resume
    or undone with --rollback.

    Example: cxlib rename metric nps net-promoter-score --dry-run
    """
    from cxlib.cli.edit_view import report
    from cxlib.ops.rename import recover, rename

    st = state(ctx)
    action = _action(what, old, new, dry_run, resume, rollback)
    kb = st.open()
    as_json = format == TextOrJson.JSON
    if action != "rename":
        report(st.output, recover(kb, action), as_json, False)
        return
    assert what is not None and old is not None and new is not None
    result = rename(kb, what, old, new, dry_run=dry_run)
    report(st.output, result, as_json, dry_run)
    if not as_json:
        if result.references or len(result.files) > 1:
            for path in result.files:
                st.output.note(f"  {path}")
        if not dry_run:
            st.output.note("note: the rename is not staged; review it with 'git status'")
