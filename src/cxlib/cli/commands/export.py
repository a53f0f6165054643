from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from cxlib.cli.commands.common import complete_with, where_option
from cxlib.cli.kind_option import kind_arg
from cxlib.cli.state import State, state
from cxlib.errors import UsageError

if TYPE_CHECKING:
    from cxlib.model.kinds import Kind

NAME = "export"


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    JSON = "json"


def command(
    ctx: typer.Context,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            help="insight, opportunity or experiment; default: all.",
            autocompletion=complete_with("kinds"),
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        where_option("Only documents the query matches (as list --where); several are and-ed."),
    ] = None,
    format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv, jsonl (a line per document) or json."),
    ] = ExportFormat.CSV,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Include restricted documents (visibility: restricted, [site] restricted).",
        ),
    ] = False,
    with_text: Annotated[
        bool,
        typer.Option(
            "--with-text",
            help="jsonl and json: add each document's file as it is (_file), so 'cxlib import "
            "cxlib' recreates it byte for byte.",
        ),
    ] = False,
) -> None:
    """Export every document's fields as CSV, JSON Lines or JSON.

    One row per document: id, kind, path, then the kind's built-in fields in the model's order,
    then every other key sorted (fields declared in cxlib.toml, any other key). In CSV a record
    is flattened into dotted columns (result.effect, result.p_value) and a list (tags, variants,
    result.guardrails) is one cell of JSON text; numbers stay numbers, dates are YYYY-MM-DD,
    text a spreadsheet would run as a formula starts with '. Restricted documents are left out
    unless --all. --with-text adds each file as it is (jsonl and json), for 'cxlib import cxlib'.

    Example: cxlib export --kind experiment --where 'status = concluded' > experiments.csv

    Example: cxlib export --format jsonl | jq .title
    """
    from cxlib.kb.tuning import collector_paused

    st = state(ctx)
    the_kind = kind_arg(kind) if kind else None
    # Tens of thousands of rows and cells live until the end: the cyclic collector would scan
    # them again and again while they are built (a fifth of a 10,000-document export).
    with collector_paused():
        _export(st, the_kind, where or (), all_, format, with_text)


def _export(
    st: State,
    the_kind: Kind | None,
    where: Sequence[str],
    all_: bool,
    format: ExportFormat,
    with_text: bool = False,
) -> None:
    from cxlib.ops.export import columns, export_documents, json_text, with_files

    if with_text and format == ExportFormat.CSV:
        raise UsageError("--with-text needs --format jsonl or json")
    kb = st.open()
    done = export_documents(kb, the_kind, where, include_restricted=all_)
    rows = with_files(kb, done.rows()) if with_text else None
    out = st.output
    if done.skipped:
        n = done.skipped
        out.note(
            f"{n} document{'s' if n > 1 else ''} could not be read and "
            f"{'are' if n > 1 else 'is'} not exported: run 'cxlib validate'",
            "yellow",
        )
    if done.restricted:
        out.note(f"{done.restricted} restricted document(s) left out; --all includes them")
    if format == ExportFormat.JSON:
        out.json(rows if rows is not None else done.rows())
    elif format == ExportFormat.JSONL:
        rows = rows if rows is not None else done.rows()
        out.stdout.write("".join(json_text(row) + "\n" for row in rows))
    else:
        flat = done.flat_rows()
        out.csv(flat, columns(done.kinds, flat))
