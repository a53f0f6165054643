from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cxlib.cli.commands.common import (
    DryRun,
    NoTouch,
    TextOrJson,
    TextOrJsonFormat,
    touch_date,
)
from cxlib.cli.state import State, state
from cxlib.errors import UsageError

if TYPE_CHECKING:
    from cxlib.ops.renumber import RenumberResult

NAME = "renumber"


def _options(old: str | None, new: str | None, dry_run: bool, resume: bool, rollback: bool) -> str:
    """What was asked: "renumber", "resume" or "rollback"; refuses a mix."""
    if resume and rollback:
        raise UsageError("--resume and --rollback exclude each other")
    if not (resume or rollback):
        if old is None:
            raise UsageError(
                "give the id to renumber (OLD)",
                hint="or --resume / --rollback for a renumber that did not finish",
            )
        return "renumber"
    flag = "--resume" if resume else "--rollback"
    if old is not None or new is not None or dry_run:
        raise UsageError(f"{flag} takes no id and no --dry-run: it reads the journal")
    return "resume" if resume else "rollback"


def _recover(st: State, action: str, as_json: bool) -> None:
    from cxlib.cli.edit_view import report
    from cxlib.ops.renumber import recover

    result = recover(st.open(), action)
    report(st.output, result, as_json, False)
    if as_json:
        return
    for where in result.left:
        st.output.note(f"note: {where} was changed by someone else meanwhile; left as it is")
    if result.left:
        st.output.note(f"note: look for {result.renumber.replace(' -> ', ' and ')} in them")
    st.output.note("note: the changes are not staged; review them with 'git status'")


def _show(st: State, result: RenumberResult, dry_run: bool) -> None:
    out = st.output
    verb = "would renumber" if dry_run else "renumbered"
    out.line(f"{verb} {result.old} -> {result.new}: {result.path} -> {result.new_path}")
    if result.rewritten:
        out.line(f"{result.references} reference(s) rewritten in {len(result.rewritten)} file(s):")
        for path in result.rewritten:
            out.line(f"  {path}")
    if dry_run and result.diff:
        out.text(result.diff)
    for note in result.notes:
        out.note(f"note: {note}")
    if result.left:
        out.note(f"note: {result.old} still appears as text (not a link) in:")
        for where in result.left:
            out.note(f"  {where}")
    if not dry_run:
        out.note("note: the rename is not staged; review it with 'git status' and commit it")


def command(
    ctx: typer.Context,
    old: Annotated[
        str | None,
        typer.Argument(
            metavar="OLD", help="The id to change, or the file's path when two files share it."
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(
            metavar="[NEW]", help="The new id (default: the next free one, on every branch too)."
        ),
    ] = None,
    dry_run: DryRun = False,
    no_touch: NoTouch = False,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Finish a renumber that was interrupted or failed midway."),
    ] = False,
    rollback: Annotated[
        bool,
        typer.Option(
            "--rollback",
            help="Undo a renumber that was interrupted or failed midway: every file as it was.",
        ),
    ] = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Give a document a new id, fixing every reference.

    Give a document a new id: rename its file and rewrite every reference to it (front-matter
    links and [[ID]] body links) across the library, changing only those lines. For ids that
    collide when two branches merge. Plain-text mentions are listed, not changed. The plan is
    journaled before the first write: a renumber that was killed, interrupted or failed midway
    is finished with --resume or undone with --rollback.

    Example: cxlib renumber EXP-0043
    """
    from cxlib.cli.edit_view import report
    from cxlib.ops.renumber import renumber

    st = state(ctx)
    action = _options(old, new, dry_run, resume, rollback)
    if action != "renumber":
        _recover(st, action, format == TextOrJson.JSON)
        return
    assert old is not None
    kb = st.open()
    result = renumber(
        kb, old, new, dry_run=dry_run, cwd=st.start, touch=touch_date(st, kb, no_touch)
    )
    if format == TextOrJson.JSON:
        report(st.output, result, True, dry_run)
        return
    _show(st, result, dry_run)
