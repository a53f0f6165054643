from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cxlib.cli.commands.common import (
    LimitOption,
    ListFormat,
    ListFormatOption,
    SortOption,
    Wide,
    complete_with,
    where_option,
)
from cxlib.cli.kind_option import kind_arg
from cxlib.cli.state import State, state

if TYPE_CHECKING:
    from cxlib.model.kinds import Kind
    from cxlib.ops.list import Listing

NAME = "list"


def command(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Argument(
            help="insight, opportunity or experiment; default: all.",
            autocompletion=complete_with("kinds"),
        ),
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="Only this status.", autocompletion=complete_with("statuses"))
    ] = None,
    stage: Annotated[
        str | None,
        typer.Option(help="Only this journey stage.", autocompletion=complete_with("stages")),
    ] = None,
    owner: Annotated[str | None, typer.Option(help="Only owners containing this text.")] = None,
    tag: Annotated[
        str | None, typer.Option(help="Only documents with this tag (any case).")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option(help="Only experiments with this outcome.", metavar="OUTCOME")
    ] = None,
    team: Annotated[
        str | None,
        typer.Option(help="Only this team's documents.", autocompletion=complete_with("teams")),
    ] = None,
    metric: Annotated[
        str | None,
        typer.Option(
            help="Only documents naming this metric (primary, guardrail or KPI).",
            autocompletion=complete_with("metrics"),
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Only documents created on or after this date.")
    ] = None,
    where: Annotated[
        list[str] | None,
        where_option(
            "Only documents the query matches, on any field: 'result.effect > 2', "
            "'stage in [purchase, deliver]', 'tags contains pricing and not decision exists'. "
            "Several --where are and-ed."
        ),
    ] = None,
    sort: SortOption = "id",
    limit: LimitOption = None,
    format: ListFormatOption = ListFormat.TABLE,
    wide: Wide = False,
) -> None:
    """List documents, filtered by status, stage, tag, team and more.

    Filters: status, stage, owner, tag, outcome, team, metric, since; --where QUERY on any
    field, built-in or declared in cxlib.toml (=, !=, <, <=, >, >=, in [a, b], contains,
    exists, missing, and, or, not, parentheses); --sort and --limit.

    Every filter is checked against cxlib.toml and the statuses and outcomes of the kinds: a
    misspelt name is an error (exit 2) with the known names, never an empty list.

    Example: cxlib list experiments --status concluded --format csv

    Example: cxlib list experiment --where 'result.effect > 2 and created >= 2026-01-01'
    """
    from cxlib.ops.list import Filters, list_documents

    st = state(ctx)
    the_kind = kind_arg(kind) if kind else None
    from cxlib.cli.commands.common import date_option

    filters = Filters(
        status, stage, owner, tag, outcome, team, metric, date_option(since, "--since")
    )
    from cxlib.kb.tuning import collector_paused

    with collector_paused():  # the rows of a large base live until they are printed
        listing = list_documents(
            st.open(), the_kind, filters, sort=sort, limit=limit, where=where or ()
        )
        show_listing(st, listing, the_kind, format, wide)


def show_listing(
    st: State, listing: Listing, the_kind: Kind | None, format: ListFormat, wide: bool
) -> None:
    """The rows as a table, JSON or CSV (``list`` and ``query NAME``)."""
    rows = listing.rows
    if listing.skipped:
        n = listing.skipped
        st.output.note(
            f"{n} document{'s' if n > 1 else ''} could not be read and "
            f"{'are' if n > 1 else 'is'} not listed: run 'cxlib validate'",
            "yellow",
        )
    columns = ["id", "title", "status"]
    if the_kind is None or the_kind.value == "experiment":
        columns.append("outcome")
    if the_kind is None or the_kind.value == "opportunity":
        columns.append("priority")
    columns += ["owner", "stage", "created", "path"]
    if format == ListFormat.JSON:
        st.output.json(rows)
    elif format == ListFormat.CSV:
        st.output.csv(rows, [*columns[:-1], *listing.fields, columns[-1]])
    else:
        st.output.table(rows, [c for c in columns if c != "path"], wide=wide)
