from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import ListFormat, kind_arg
from cxlib.cli.state import state

NAME = "list"


def command(
    ctx: typer.Context,
    kind: Annotated[
        str | None, typer.Argument(help="insight, opportunity or experiment; default: all.")
    ] = None,
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    stage: Annotated[str | None, typer.Option(help="Only this journey stage.")] = None,
    owner: Annotated[str | None, typer.Option(help="Only owners containing this text.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only documents with this tag.")] = None,
    format: Annotated[
        ListFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = ListFormat.TABLE,
) -> None:
    """List documents, filtered by status, stage, owner or tag.

    Example: cxlib list experiments --status concluded --format csv
    """
    from cxlib.ops.list import Filters, list_documents

    st = state(ctx)
    the_kind = kind_arg(kind) if kind else None
    rows = list_documents(st.open(), the_kind, Filters(status, stage, owner, tag))
    columns = ["id", "title", "status"]
    if the_kind is None or the_kind.value == "experiment":
        columns.append("outcome")
    if the_kind is None or the_kind.value == "opportunity":
        columns.append("priority")
    columns += ["owner", "stage", "created", "path"]
    if format == ListFormat.JSON:
        st.output.json(rows)
    elif format == ListFormat.CSV:
        st.output.csv(rows, columns)
    else:
        st.output.table(rows, [c for c in columns if c != "path"])
