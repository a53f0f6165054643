from __future__ import annotations

import typer

from cxlib.cli.commands.common import DocId
from cxlib.cli.state import state

NAME = "edit"


def command(
    ctx: typer.Context,
    doc_id: DocId,
) -> None:
    """Edit a document in your editor, then check it.

    The editor is $VISUAL, else $EDITOR (a command line: EDITOR="code --wait"), else nano (vi
    when nano is missing), named when it is the default. When the editor closes, the document
    is validated against the whole library; when it is invalid the findings are printed and,
    in a terminal, "reopen the editor? [Y/n]" is asked, as git commit does. cxlib never changes
    the file itself. Exit codes: 0 valid, 1 left invalid, 2 unknown id or the editor failed.

    Example: cxlib edit EXP-0002
    """
    from cxlib.cli.editor import edit_until_valid
    from cxlib.ops.edit_doc import file_to_edit

    st = state(ctx)
    kb = st.open()
    rel = file_to_edit(kb, doc_id)
    raise typer.Exit(edit_until_valid(st.output, kb, rel, st.today))
