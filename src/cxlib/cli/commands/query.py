from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import (
    LimitOption,
    ListFormat,
    ListFormatOption,
    SortOption,
    Wide,
)
from cxlib.cli.state import state

NAME = "query"


def command(
    ctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]", help="A query of cxlib.toml's [queries]; none: list them."
        ),
    ] = None,
    sort: SortOption = "id",
    limit: LimitOption = None,
    format: ListFormatOption = ListFormat.TABLE,
    wide: Wide = False,
) -> None:
    """Run a saved query of cxlib.toml, or list them.

    A saved query is a [queries.NAME] table of cxlib.toml: where (a query as list --where takes
    it, or a list of queries that are and-ed), kind (optional), title and description. Without
    NAME, every saved query is listed (name, title, description); with it, the documents it
    matches are listed as 'cxlib list' lists them.

    Example: cxlib query big-wins --format csv
    """
    from cxlib.cli.commands.list import show_listing
    from cxlib.ops.list import run_saved_query, saved_query

    st = state(ctx)
    kb = st.open()
    if name is None:
        rows = [
            {"name": n, "title": q.title, "description": q.description, "where": q.queries()}
            for n, q in sorted(kb.config.queries.items())
        ]
        if format == ListFormat.JSON:
            st.output.json(rows)
        elif format == ListFormat.CSV:
            st.output.csv(rows, ["name", "title", "description"])
        else:
            st.output.table(rows, ["name", "title", "description"], wide=wide)
        return
    listing = run_saved_query(kb, name, sort=sort, limit=limit)
    show_listing(st, listing, saved_query(kb, name).kind, format, wide)
