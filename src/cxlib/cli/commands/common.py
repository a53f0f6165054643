"""Option types and helpers shared by commands."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated

import typer

from cxlib.errors import UsageError

if TYPE_CHECKING:
    from cxlib.cli.state import State
    from cxlib.kb.store import KnowledgeBase


class ListFormat(enum.StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class TextOrJson(enum.StrEnum):
    TEXT = "text"
    JSON = "json"


class TableOrJson(enum.StrEnum):
    TABLE = "table"
    JSON = "json"


# Options several commands share, declared once.
DryRun = Annotated[bool, typer.Option("--dry-run", help="Print the diff; write nothing.")]
NoTouch = Annotated[
    bool,
    typer.Option(
        "--no-touch",
        help="Leave 'updated:' as it is (else it becomes today, unless [edit] touch_updated "
        "= false in cxlib.toml).",
    ),
]


def complete_with(name: str):  # type: ignore[no-untyped-def]  # typer reads the signature
    """A completion callback of :mod:`cxlib.cli.completion`, imported only when a shell asks."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from cxlib.cli import completion

        result: list[str] = getattr(completion, name)(ctx, incomplete)
        return result

    return complete


def where_option(help: str) -> typer.models.OptionInfo:
    """``--where QUERY`` (repeatable, and-ed), with what it does in this command."""
    return typer.Option("--where", "-w", metavar="QUERY", help=help)  # type: ignore[no-any-return]


DocId = Annotated[
    str,
    typer.Argument(
        metavar="ID", help="Document id, e.g. EXP-0042.", autocompletion=complete_with("ids")
    ),
]
# The options of a listing (list, query).
SortOption = Annotated[
    str,
    typer.Option(help="id, title, status, created (newest first) or priority (highest first)."),
]
LimitOption = Annotated[int | None, typer.Option(help="At most this many rows.", min=1)]
ListFormatOption = Annotated[ListFormat, typer.Option("--format", "-f", help="table, json or csv.")]
Wide = Annotated[
    bool,
    typer.Option(
        "--wide", help="On a terminal, every column whole (by default a table fits its width)."
    ),
]
TextOrJsonFormat = Annotated[TextOrJson, typer.Option("--format", "-f", help="text or json.")]
TableOrJsonFormat = Annotated[TableOrJson, typer.Option("--format", "-f", help="table or json.")]

IndexTimeout = Annotated[
    float,
    typer.Option(help="Seconds to wait for another cxlib that is updating the index.", min=0),
]


def date_option(text: str | None, option: str) -> dt.date | None:
    """A date given on the command line (``--today``, ``--since``, ``--start``...), or None."""
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        from cxlib.model.choices import impossible_date

        why = impossible_date(text)
        if why:
            raise UsageError(f"{option}: {text} is not a date: {why}") from None
        raise UsageError(f"{option}: not a date: {text!r}", hint="use YYYY-MM-DD") from None


def touch_date(st: State, kb: KnowledgeBase, no_touch: bool) -> dt.date | None:
    """The date an edit writes into ``updated:`` (the ``--today`` clock), or None to leave it."""
    return None if no_touch or not kb.config.edit.touch_updated else st.today
