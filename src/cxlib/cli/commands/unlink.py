from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import (
    DryRun,
    NoTouch,
    TextOrJson,
    TextOrJsonFormat,
    touch_date,
)
from cxlib.cli.state import state

NAME = "unlink"


def command(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FROM", help="The document that stores it.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="The document it points at.")],
    rel: Annotated[
        str | None,
        typer.Option("--rel", help="Only this relation (e.g. counter_evidence); default: all."),
    ] = None,
    dry_run: DryRun = False,
    no_touch: NoTouch = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Remove a link from one document to another.

    Remove the link from FROM to TO (only that field's lines change). A link to an id that
    no longer exists can be removed too; [[ID]] mentions in the body are left as they are.

    Example: cxlib unlink OPP-0001 INS-0007
    """
    from cxlib.cli.edit_view import report
    from cxlib.ops.unlink import unlink_documents

    st = state(ctx)
    kb = st.open()
    result = unlink_documents(
        kb, source, target, rel=rel, dry_run=dry_run, touch=touch_date(st, kb, no_touch)
    )
    report(st.output, result, format == TextOrJson.JSON, dry_run)
