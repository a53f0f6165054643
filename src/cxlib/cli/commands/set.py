from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import (
    DocId,
    DryRun,
    NoTouch,
    TextOrJson,
    TextOrJsonFormat,
    touch_date,
)
from cxlib.cli.state import state

NAME = "set"


def command(
    ctx: typer.Context,
    doc_id: DocId,
    assignments: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY=VALUE...",
            help="Fields to set; a value is text unless it clearly is YAML "
            '(3, 2025-03-01, true, [a, b], "quoted"). Nested: result.outcome=lost. '
            "Records: 'variants=[{name: control, allocation: 50}, ...]'.",
        ),
    ],
    dry_run: DryRun = False,
    no_touch: NoTouch = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Set front-matter fields of a document.

    Set front-matter fields of a document, changing only their lines. Refused, with what is
    missing, when the result would break a rule the document did not break before (a status
    the lifecycle does not allow, a validated insight without evidence, an unknown metric...).
    A list of records (variants, result.variants, result.guardrails) replaces that key's block,
    one record per line.

    Example: cxlib set OPP-0003 customer_value=4 business_value=3 effort=2

    Example: cxlib set EXP-0042 'variants=[{name: control, allocation: 50}, {name: banner,
    allocation: 50}]'
    """
    from cxlib.cli.edit_view import report
    from cxlib.ops.set import set_fields

    st = state(ctx)
    kb = st.open()
    touch = touch_date(st, kb, no_touch)
    result = set_fields(kb, doc_id, assignments, dry_run=dry_run, touch=touch)
    report(st.output, result, format == TextOrJson.JSON, dry_run)
