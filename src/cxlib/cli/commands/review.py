from __future__ import annotations

import enum
import os
from typing import Annotated

import typer

from cxlib.cli.state import state
from cxlib.errors import ExitCode

NAME = "review"


class Format(enum.StrEnum):
    MARKDOWN = "markdown"
    JSON = "json"
    TEXT = "text"


def _base_candidates() -> tuple[str, ...]:
    from cxlib.ops.review import DEFAULT_BASES

    # In a GitHub pull-request job the target branch is named here.
    target = os.environ.get("GITHUB_BASE_REF", "").strip()
    return (f"origin/{target}", *DEFAULT_BASES) if target else DEFAULT_BASES


def command(
    ctx: typer.Context,
    base: Annotated[
        str | None,
        typer.Option(
            help="The branch the change goes into. Default: origin/$GITHUB_BASE_REF in a GitHub "
            "pull-request job, else the first of origin/HEAD, origin/main, origin/master, main, "
            "master.",
            metavar="REF",
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Option(
            help="The commit to review. Default: the working tree, uncommitted changes included.",
            metavar="REF",
        ),
    ] = None,
    format: Annotated[
        Format,
        typer.Option(
            "--format", "-f", help="markdown (a PR comment or job summary), json, or text."
        ),
    ] = Format.MARKDOWN,
    max_bytes: Annotated[
        int,
        typer.Option(
            help="Cut the markdown to this size, with a note (GitHub: 1 MiB for a job summary, "
            "65536 characters for a comment).",
            min=1024,
        ),
    ] = 1024 * 1024,
) -> None:
    """Describe what a branch changes, for its pull request.

    Describe what a branch changes in the library, for the people reviewing it.

    Documents added, changed, renamed and deleted (by kind, with id, title and owner), status
    transitions, links added and removed, validation findings of the changed documents (checked
    against the whole head tree), ids the base branch already uses for other documents, and a
    reviewer checklist from the rules. Exit codes: 0 fine, 1 the change has validation errors,
    2 usage or git error (e.g. the base is missing from a shallow clone).

    Example: cxlib review --base origin/main >> "$GITHUB_STEP_SUMMARY"
    """
    from cxlib.cli import review_view
    from cxlib.ops.review import review

    st = state(ctx)
    result = review(st.open(), base=base, head=head, base_candidates=_base_candidates())
    if format == Format.JSON:
        st.output.json(result.to_json())
    elif format == Format.TEXT:
        review_view.text(st.output, result)
    else:
        st.output.stdout.write(review_view.markdown(result, limit=max_bytes))
    raise typer.Exit(ExitCode.FINDINGS if result.errors else ExitCode.OK)
