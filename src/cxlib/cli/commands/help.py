from __future__ import annotations

from typing import Annotated

import typer

NAME = "help"


def command(
    command: Annotated[
        list[str] | None,
        typer.Argument(metavar="[COMMAND]...", help="A command, e.g. report roadmap."),
    ] = None,
) -> None:
    """Show the help of cxlib or of one command.

    The same as COMMAND --help.

    Example: cxlib help report roadmap
    """
    from cxlib.cli.main import main

    raise typer.Exit(main([*(command or []), "--help"]))
