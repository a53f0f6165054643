from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from cxlib.cli.commands.common import DocId, TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state

NAME = "show"


def command(
    ctx: typer.Context,
    doc_id: DocId,
    format: TextOrJsonFormat = TextOrJson.TEXT,
    raw: Annotated[
        bool, typer.Option("--raw", help="Print the file exactly as it is, nothing added.")
    ] = False,
) -> None:
    """Show a document, its links and who builds on it.

    On a terminal: a header panel with the fields in words, an opportunity's priority and an
    experiment's result in a sentence, the links grouped by what they mean, and the body as
    rendered markdown without the templates' guidance comments. Piped: the same as plain lines.

    Example: cxlib show INS-0003
    """
    from cxlib.cli import show_view
    from cxlib.ops.show import raw_document, show_document

    st = state(ctx)
    out = st.output
    if raw:
        show_view.raw(out, raw_document(st.open(), doc_id))
        return
    result = show_document(st.open(), doc_id)
    if format == TextOrJson.JSON:
        out.json(asdict(result))
    elif out.stdout.isatty():
        show_view.rich(out, result)
    else:
        show_view.plain(out, result)
