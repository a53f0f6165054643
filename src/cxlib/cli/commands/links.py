from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import DryRun, TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state
from cxlib.errors import ExitCode

NAME = "links"


def command(
    ctx: typer.Context,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Rewrite them as [[EXP-0003-fit-finder|EXP-0003]]."),
    ] = False,
    dry_run: DryRun = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """List or fix body links that Obsidian cannot resolve.

    Obsidian resolves [[...]] by file name, so a bare [[EXP-0003]] is a dead link there. cxlib
    reads every form ([[EXP-0003]], [[EXP-0003-fit-finder]], with a #heading or an |alias) and
    writes [[EXP-0003-fit-finder|EXP-0003]], which both resolve and which reads as the id.
    Without --fix this lists the links written otherwise (a bare id, an old file name); --fix
    rewrites them, only those links on their lines; --fix --dry-run prints the diff. Links to
    no document are listed apart and left as they are. Exit code 1 when, without --fix, some
    link needs fixing.

    Example: cxlib links --fix --dry-run
    """
    from cxlib.cli.edit_view import report
    from cxlib.ops.links import links

    st = state(ctx)
    kb = st.open()
    result = links(kb, fix=fix, dry_run=dry_run)
    as_json = format == TextOrJson.JSON
    if not as_json and not (fix and dry_run):
        for f in result.fixes:
            st.output.line(f"{f.path}:{f.line}: {f.before} -> {f.after}")
    report(st.output, result, as_json, dry_run)
    if not as_json:
        for u in result.unknown:
            st.output.note(f"note: no document: {u}")
    if result.fixes and not fix:
        raise typer.Exit(ExitCode.FINDINGS)
