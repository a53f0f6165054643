from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import (
    LONG_INDEXING,
    IndexTimeout,
    TableOrJson,
    TableOrJsonFormat,
    kind_arg,
)
from cxlib.cli.state import state
from cxlib.errors import ExitCode

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
    from cxlib.ops.search import search_documents

    st = state(ctx)
    kb = st.open()
    the_kind = kind_arg(kind) if kind else None
    with st.output.progress("indexing", announce=LONG_INDEXING) as progress:
        result = search_documents(
            kb, " ".join(query), the_kind, limit=limit, timeout=timeout, progress=progress
        )
    search_view.notices(st.output, result.report)
    if format == TableOrJson.JSON:
        st.output.json([search_view.as_json(h) for h in result.hits])
    else:
        search_view.hits(st.output, result.hits)
        if not result.hits:
            st.output.note("no documents match")
    raise typer.Exit(ExitCode.OK if result.hits else ExitCode.FINDINGS)
