from __future__ import annotations

import typer

from cxlib.cli.commands.common import DocId
from cxlib.cli.state import state

NAME = "open"


def command(
    ctx: typer.Context,
    doc_id: DocId,
) -> None:
    """Print the path of a document's file, for scripts and editors.

    The absolute path, one line; two lines when two files share the id (validate reports it).

    Example: $EDITOR "$(cxlib open EXP-0042)"
    """
    from cxlib.ops.docs import paths_of

    st = state(ctx)
    kb = st.open()
    for path in paths_of(kb, doc_id):
        st.output.stdout.write(f"{kb.root / path}\n")
