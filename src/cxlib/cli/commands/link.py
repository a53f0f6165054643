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

NAME = "link"

REL_HELP = (
    "Which relation, when the kinds allow two: evidence (supports, the default) or "
    "counter_evidence (contradicts) for an insight pointing at an experiment."
)


def command(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="FROM", help="The document that stores it.")],
    target: Annotated[str, typer.Argument(metavar="TO", help="The document it points at.")],
    rel: Annotated[str | None, typer.Option("--rel", help=REL_HELP)] = None,
    dry_run: DryRun = False,
    no_touch: NoTouch = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Link FROM to TO. The link is stored on FROM, in the field the two kinds give:
    opportunity -> insight (insights), experiment -> opportunity (opportunity), experiment ->
    insight (insights), experiment -> experiment (follows), insight -> experiment (evidence or
    counter_evidence). Only that field's lines change. Linking twice is a no-op.

    Example: cxlib link OPP-0001 INS-0007
    """
    from cxlib.cli.edit_view import report
    from cxlib.ops.link import link_documents

    st = state(ctx)
    kb = st.open()
    result = link_documents(
        kb, source, target, rel=rel, dry_run=dry_run, touch=touch_date(st, kb, no_touch)
    )
    report(st.output, result, format == TextOrJson.JSON, dry_run)
