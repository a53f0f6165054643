from __future__ import annotations

import enum
import os
from pathlib import Path
from typing import Annotated

import typer

from cxlib.cli.state import state
from cxlib.errors import ExitCode

NAME = "validate"


class Format(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def _default_format() -> Format:
    env = os.environ.get("CXLIB_OUTPUT_FORMAT", "").lower()
    if env in {f.value for f in Format}:
        return Format(env)
    return Format.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else Format.TEXT


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
    from cxlib.cli import findings_view
    from cxlib.ops.validate import validate

    st = state(ctx)
    kb = st.open(near=paths)
    with st.output.progress("validating") as progress:
        report = validate(
            kb,
            paths or None,
            cwd=Path.cwd(),
            strict=strict,
            progress=progress,
            use_cache=not no_cache,
            today=st.today,
        )
    for note in report.notes:
        st.output.note(note, "yellow")
    fmt = format or _default_format()
    if fmt == Format.JSON:
        findings_view.as_json(st.output, kb.root, report)
    elif fmt == Format.GITHUB:
        findings_view.as_github(st.output, kb.root, report)
    else:
        findings_view.as_text(st.output, kb.root, report)
    failed = report.errors or (strict and report.warnings)
    raise typer.Exit(ExitCode.FINDINGS if failed else ExitCode.OK)
