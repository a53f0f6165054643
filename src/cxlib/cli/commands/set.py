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
    where_option,
)
from cxlib.cli.state import state
from cxlib.errors import UsageError

NAME = "set"


def command(
    ctx: typer.Context,
    doc_id: DocId,
    assignments: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="KEY=VALUE...",
            help="Fields to set; a value is text unless it clearly is YAML "
            '(3, 2025-03-01, true, [a, b], "quoted"). Nested: result.outcome=lost. '
            "Records: 'variants=[{name: control, allocation: 50}, ...]'.",
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        where_option(
            "Set the fields of every document the query matches (as list --where) instead "
            "of one: give only KEY=VALUE pairs. All or nothing."
        ),
    ] = None,
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

    With --where QUERY, every document the query matches is edited, all or nothing: when one
    would break a rule, nothing is written and every refusal is listed; --dry-run prints the
    diff of every file.

    Example: cxlib set --where 'team = growth and status = draft' owner='Maya Lindqvist'
    """
    from cxlib.cli.edit_view import report
    from cxlib.ops.set import set_fields, set_where

    st = state(ctx)
    kb = st.open()
    touch = touch_date(st, kb, no_touch)
    as_json = format == TextOrJson.JSON
    if where:
        if "=" not in doc_id:
            raise UsageError(
                f"with --where, give only KEY=VALUE pairs (got {doc_id!r})",
                hint="the query chooses the documents: cxlib set --where QUERY key=value",
            )
        bulk = set_where(kb, where, [doc_id, *(assignments or [])], dry_run=dry_run, touch=touch)
        report(st.output, bulk, as_json, dry_run)
        return
    if not assignments:  # optional only for --where, whose query takes the id's place
        raise UsageError(
            "Missing argument 'KEY=VALUE...'", hint="give key=value pairs, e.g. confidence=high"
        )
    result = set_fields(kb, doc_id, assignments, dry_run=dry_run, touch=touch)
    report(st.output, result, as_json, dry_run)
