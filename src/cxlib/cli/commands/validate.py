from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.state import state
from cxlib.cli.validate_view import Format

NAME = "validate"


def command(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files to report on (default: the whole knowledge base). Links and ids are still "
            "checked against the whole base.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(help="Fail on warnings too (exit 1), and report unknown fields as errors."),
    ] = False,
    format: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json, or github (workflow annotations). Default: "
            "$CXLIB_OUTPUT_FORMAT, github under GitHub Actions, else text.",
        ),
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Re-read every file.")] = False,
) -> None:
    """Check documents against every rule.

    Check documents against the schema, the program config, the lifecycle rules and links.

    Exit codes: 0 no errors (with --strict, no warnings either), 1 findings that fail the run,
    2 usage or config error.

    Example: cxlib validate experiments/EXP-0042-free-shipping.md
    """
    from cxlib.cli import validate_view

    st = state(ctx)
    raise typer.Exit(validate_view.run(st, paths, strict, format, no_cache))
