from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cxlib.cli.commands.common import TextOrJson, TextOrJsonFormat
from cxlib.cli.kind_option import kind_arg
from cxlib.cli.state import state
from cxlib.errors import ExitCode

if TYPE_CHECKING:
    from cxlib.cli.output import Output
    from cxlib.ops.import_docs import ImportResult

NAME = "import"


def command(
    ctx: typer.Context,
    source: Annotated[
        str,
        typer.Argument(metavar="SOURCE", help="growthbook, statsig, markdown, csv or cxlib."),
    ],
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE…", help="The files saved from the source (a folder for markdown)."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be created; write nothing.")
    ] = False,
    update: Annotated[
        bool,
        typer.Option(
            "--update",
            help="Also update documents imported before: the fields the source owns that "
            "nobody edited since.",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Create near-duplicates of existing documents too.")
    ] = False,
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", metavar="KIND", help="csv and markdown: the kind to create."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="FROM=FIELD",
            help="csv and markdown: a column (or key) and the field it fills; repeatable.",
        ),
    ] = None,
    map_file: Annotated[
        Path | None,
        typer.Option("--map-file", metavar="FILE", help="The mapping as a TOML table [map]."),
    ] = None,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Import experiments, insights or notes saved from another tool.

    Sources: growthbook (saved pages of GET /api/v1/experiments, single experiments, and
    /results payloads), statsig (the console API's experiment list), markdown (a folder of
    notes with YAML, TOML or JSON front-matter), csv (a spreadsheet export, with --map) and
    cxlib (a cxlib export --format jsonl file, ids kept). Each document records where it came
    from (source_ref): importing the same file again creates nothing; --update changes only the
    fields the source owns that nobody edited since. Near-duplicates of existing documents are
    listed, not created, unless --force. Records that cannot be mapped are listed with the
    reason (exit code 1); nothing is half-written.

    Example: cxlib import growthbook page-1.json page-2.json --dry-run

    Example: cxlib import csv research.csv --kind insight --map "Insight=title" --map "Date=created"
    """
    from cxlib.importers.mapping import parse_mapping
    from cxlib.ops.import_docs import import_documents

    st = state(ctx)
    kb = st.open()
    pairs = parse_mapping(mapping or [], map_file)
    result = import_documents(
        kb,
        source,
        files,
        st.today,
        dry_run=dry_run,
        update=update,
        force=force,
        kind=kind_arg(kind) if kind else None,
        mapping=pairs,
    )
    if format == TextOrJson.JSON:
        st.output.json({**result.__dict__})
    else:
        _show(st.output, result)
    if result.refused or result.duplicates:
        raise typer.Exit(ExitCode.FINDINGS)


def _show(out: Output, r: ImportResult) -> None:
    verb = "would create" if r.dry_run else "created"
    for c in r.created:
        out.line(f"{verb} {c['id']} {c['path']}  ({c['ref']})")
    for u in r.updated:
        changed = ", ".join(u["changed"]) or "nothing"
        out.line(f"{'would update' if r.dry_run else 'updated'} {u['id']}: {changed}")
        if u["kept"]:
            out.note(f"  kept (edited since the last import): {', '.join(u['kept'])}")
    for draft in r.drafts:
        out.note(f"as a draft: {draft}")
    for d in r.duplicates:
        out.note(f"not created, like {d['like']} ({d['like_title']}): {d['ref']} ({d['title']})")
    for refused in r.refused:
        out.note(f"refused: {refused['where']}: {refused['reason']}")
    for metric, n in r.unmapped_metrics.items():
        out.note(
            f"unmapped metric {metric} ({n} record(s)): add it to [import.metrics] in cxlib.toml"
        )
    for note in r.notes:
        out.note(f"note: {note}")
    out.line(r.message)
