from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import (
    DocId,
    IndexTimeout,
    TableOrJson,
    TableOrJsonFormat,
)
from cxlib.cli.state import state
from cxlib.errors import ExitCode

NAME = "similar"


def command(
    ctx: typer.Context,
    doc_id: DocId,
    limit: Annotated[int, typer.Option(help="At most this many documents.", min=1)] = 10,
    format: TableOrJsonFormat = TableOrJson.TABLE,
    timeout: IndexTimeout = 10.0,
) -> None:
    """Have we done this before? The most similar documents.

    Have we done this before? The documents most like one, best first, with a score.

    Compares the title, hypothesis and body (whoosh's more-like-this); the index is brought up
    to date first. Exit codes: 0 found some, 1 none, 2 unknown id or another error.

    Example: cxlib similar EXP-0019
    """
    from cxlib.cli import search_view
    from cxlib.ops.similar import similar_documents

    st = state(ctx)
    kb = st.open()
    with st.output.progress("indexing", announce=search_view.LONG_INDEXING) as progress:
        result = similar_documents(kb, doc_id, limit=limit, timeout=timeout, progress=progress)
    search_view.notices(st.output, result.report)
    if format == TableOrJson.JSON:
        st.output.json(
            [
                {
                    k: v
                    for k, v in search_view.as_json(h).items()
                    if k not in ("snippet", "highlights")
                }
                for h in result.hits
            ]
        )
    elif not result.hits:
        st.output.note("no similar documents")
    else:
        rows = [
            {
                "id": h.id,
                "kind": h.kind,
                "status": search_view.state_of(h),
                "score": f"{h.score:.2f}",
                "title": h.title,
            }
            for h in result.hits
        ]
        st.output.table(rows, ["id", "kind", "status", "score", "title"])
    raise typer.Exit(ExitCode.OK if result.hits else ExitCode.FINDINGS)
