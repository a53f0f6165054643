"""What ``cxlib validate`` does once its words are read, without typer: the hook runs it on
every commit, and the command-line library is most of its start-up (see :mod:`cxlib.cli.early`).
The typer command (:mod:`cxlib.cli.commands.validate`) runs the same function."""

from __future__ import annotations

import enum
import os
from pathlib import Path

from cxlib.cli.state import State
from cxlib.errors import ExitCode


class Format(enum.StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def default_format() -> Format:
    env = os.environ.get("CXLIB_OUTPUT_FORMAT", "").lower()
    if env in {f.value for f in Format}:
        return Format(env)
    return Format.GITHUB if os.environ.get("GITHUB_ACTIONS") == "true" else Format.TEXT


def run(
    st: State, paths: list[str] | None, strict: bool, fmt: Format | None, no_cache: bool
) -> int:
    """Validate (``paths``, else the whole base), print the findings, and give the exit code."""
    from cxlib.cli import findings_view
    from cxlib.ops.validate import validate

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
    fmt = fmt or default_format()
    if fmt == Format.JSON:
        findings_view.as_json(st.output, kb.root, report)
    elif fmt == Format.GITHUB:
        findings_view.as_github(st.output, kb.root, report)
    else:
        findings_view.as_text(st.output, kb.root, report)
    failed = report.errors or (strict and report.warnings)
    return int(ExitCode.FINDINGS if failed else ExitCode.OK)
