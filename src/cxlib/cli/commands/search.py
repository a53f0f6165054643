from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import (
    IndexTimeout,
    TableOrJson,
    TableOrJsonFormat,
)
from cxlib.cli.state import state

NAME = "search"


def command(
    ctx: typer.Context,
    query: Annotated[
        list[str],
        typer.Argument(
            help="The query (several words are joined with spaces).", show_default=False
        ),
    ],
    kind: Annotated[
        str | None, typer.Option(help="Only this kind: insight, opportunity or experiment.")
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many results.", min=1)] = 20,
    format: TableOrJsonFormat = TableOrJson.TABLE,
    timeout: IndexTimeout = 10.0,
) -> None:
    """Search the library.

    Search the library; the index is brought up to date with the working tree first.

    Free text is stemmed (shipping finds shipped); "phrases" in quotes; AND, OR, NOT and
    parentheses; prefixes with check*. Fields: kind status outcome decision stage touchpoint team
    owner type source tag metric primary segment link id title hypothesis body, e.g.
    kind:experiment outcome:lost tag:shipping. Dates: created updated start end, as
    created:2025, created:>2025-01-01 (also >= < <=) or end:[2025-01-01 TO 2025-06-30].

    Exit codes: 0 something matched, 1 nothing matched, 2 an invalid query or another error.

    Example: cxlib search "free shipping" kind:experiment outcome:lost
    """
    from cxlib.cli import search_view

    st = state(ctx)
    as_json = format == TableOrJson.JSON
    raise typer.Exit(search_view.run(st, query, kind, limit, as_json, timeout))
