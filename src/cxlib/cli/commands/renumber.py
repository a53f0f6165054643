from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import DryRun, TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state

NAME = "renumber"


def command(
    ctx: typer.Context,
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD", help="The id to change, or the file's path when two files share it."
        ),
    ],
    new: Annotated[
        str | None,
        typer.Argument(
            metavar="[NEW]", help="The new id (default: the next free one, on every branch too)."
        ),
    ] = None,
    dry_run: DryRun = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Give a document a new id: rename its file and rewrite every reference to it (front-matter
    links and [[ID]] body links) across the library, changing only those lines. For ids that
    collide when two branches merge. Plain-text mentions are listed, not changed.

    Example: cxlib renumber EXP-0043
    """
    from cxlib.cli.edit_view import report
    from cxlib.ops.renumber import renumber

    st = state(ctx)
    result = renumber(st.open(), old, new, dry_run=dry_run, cwd=st.start)
    if format == TextOrJson.JSON:
        report(st.output, result, True, dry_run)
        return
    out = st.output
    verb = "would renumber" if dry_run else "renumbered"
    out.line(f"{verb} {result.old} -> {result.new}: {result.path} -> {result.new_path}")
    if result.rewritten:
        out.line(f"{result.references} reference(s) rewritten in {len(result.rewritten)} file(s):")
        for path in result.rewritten:
            out.line(f"  {path}")
    if dry_run:
        out.stdout.write(result.diff)
    for note in result.notes:
        out.note(f"note: {note}")
    if result.left:
        out.note(f"note: {result.old} still appears as text (not a link) in:")
        for where in result.left:
            out.note(f"  {where}")
    if not dry_run:
        out.note("note: the rename is not staged; review it with 'git status' and commit it")
