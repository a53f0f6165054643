from __future__ import annotations

import sys
from typing import Annotated

import typer

from cxlib.cli.commands.common import TextOrJson, TextOrJsonFormat, kind_arg
from cxlib.cli.state import state

NAME = "new"


def _edit(path: str) -> None:
    """Open ``path`` in $VISUAL or $EDITOR (vi when neither is set)."""
    import os
    import shlex
    import subprocess

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        subprocess.run([*shlex.split(editor), path], check=False)
    except OSError as e:
        from cxlib.errors import UsageError

        raise UsageError(
            f"cannot start the editor {editor!r}: {e.strerror}",
            hint="set $EDITOR; the file was created",
        ) from None


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="insight, opportunity or experiment (or plural).")],
    title: Annotated[str, typer.Argument(help="The document's title.")],
    owner: Annotated[
        str | None, typer.Option(help="Accountable owner (default: git user.name).")
    ] = None,
    stage: Annotated[str | None, typer.Option(help="Journey stage id from cxlib.toml.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="Set a field: --set key=value (value read as YAML). Repeatable."
        ),
    ] = None,
    link: Annotated[
        list[str] | None,
        typer.Option(
            help="Link to an existing document by id; the field follows from the kinds. Repeatable."
        ),
    ] = None,
    slug: Annotated[
        str | None, typer.Option(help="File-name slug (default: from the title).")
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Open the new file in $EDITOR.")] = False,
    no_input: Annotated[bool, typer.Option("--no-input", help="Never prompt.")] = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Create a document with the next free id (also across branches) from the kind's template.

    Prints the new file's path (with --format json: {"id": ..., "path": ...}).

    Example: cxlib new experiment "Free shipping threshold banner" --stage purchase --link OPP-0002
    """
    from cxlib.ops.new import new_document

    st = state(ctx)
    kb = st.open()
    the_kind = kind_arg(kind)
    if not no_input and _interactive():
        from cxlib.kb import git

        if owner is None and not git.user_name(kb.root):
            owner = typer.prompt("Owner (accountable person)", default="", show_default=False)
        if stage is None:
            stages = ", ".join(s.id for s in kb.config.journey)
            stage = (
                typer.prompt(
                    f"Journey stage ({stages}; empty for none)", default="", show_default=False
                )
                or None
            )
    result = new_document(
        kb,
        the_kind,
        title,
        today=st.today,
        owner=owner,
        stage=stage,
        assignments=set_,
        links=link,
        slug=slug,
    )
    if format == TextOrJson.JSON:
        st.output.json({"id": result.id, "path": result.path})
    else:
        st.output.line(str(result.absolute))
    if edit:
        _edit(str(result.absolute))
