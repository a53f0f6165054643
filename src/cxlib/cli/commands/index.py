from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from cxlib.cli.commands.common import IndexTimeout, TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state

NAME = "index"


def command(
    ctx: typer.Context,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Start over: build the index from scratch.")
    ] = False,
    timeout: IndexTimeout = 10.0,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Build the search index, or bring it up to date.

    Build the search index, or bring it up to date with the working tree.

    Only new, changed and deleted documents are re-indexed. The index lives in the user's
    cache folder (~/.cache/cxlib/index/, never inside the base; a cache that can always be
    deleted); search and similar update it by themselves, so running this is never required.

    Example: cxlib index --rebuild
    """
    from cxlib.cli import search_view
    from cxlib.ops.index import index_documents

    st = state(ctx)
    kb = st.open()
    with st.output.progress("indexing", announce=search_view.LONG_INDEXING) as progress:
        report = index_documents(kb, rebuild=rebuild, timeout=timeout, progress=progress)
    if format == TextOrJson.JSON:
        st.output.json(asdict(report))
        return
    st.output.line(search_view.summary(report))
