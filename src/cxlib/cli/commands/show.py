from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from cxlib.cli.commands.common import TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state

if TYPE_CHECKING:
    from cxlib.cli.output import Output

NAME = "show"


def command(
    ctx: typer.Context,
    doc_id: Annotated[str, typer.Argument(metavar="ID", help="Document id, e.g. EXP-0042.")],
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Show a document with its links and backlinks (who builds on it).

    Example: cxlib show INS-0003
    """
    from cxlib.ops.show import show_document

    st = state(ctx)
    result = show_document(st.open(), doc_id)
    out = st.output
    if format == TextOrJson.JSON:
        out.json(asdict(result))
        return
    out.line(f"{result.id}  {result.front_matter.get('title', '')}")
    out.line(f"{result.kind} · {result.front_matter.get('status', '')} · {result.path}")
    for key, value in result.front_matter.items():
        if key not in {"id", "title", "status"}:
            for line in field_lines(key, value):
                out.line(f"  {line}")
    if result.standing is not None:
        _standing(out, result.standing)
    for label, views in (("links", result.links), ("backlinks", result.backlinks)):
        out.line("")
        out.line(f"{label}:" if views else f"{label}: none")
        for v in views:
            what = f"{v.kind} · {v.status} · {v.title}" if v.exists else "MISSING"
            out.line(f"  {v.field:<17} {v.id:<10} {what}")
    out.line("")
    out.text(result.body)


def _standing(out: Output, standing: dict[str, Any]) -> None:
    """The insight's standing and the experiments it is weighed from, one per line."""
    out.line("")
    out.line(
        f"standing: {standing['standing']} (support {standing['support']:g}, contradiction "
        f"{standing['contradiction']:g}; research references: {standing['research']})"
    )
    for t in standing["experiments"]:
        out.line(f"  {t['side']:<17} {t['id']:<10} weight {t['weight']:g}: {t['why']}")


def _words(value: object) -> str:
    """A value as a reader writes it: dates as dates, lists with commas, a record as its
    key: value pairs (never a Python repr)."""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_words(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        joined = ", ".join(_words(v) for v in value)
        numbers = value and all(isinstance(v, int | float) for v in value)
        return f"[{joined}]" if numbers else joined  # an interval reads as one
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def field_lines(key: str, value: object) -> list[str]:
    """The lines of one front-matter field: empty ones left out, a list of records (variants,
    amendments) and a mapping (result) one entry a line beneath their key."""
    if value in (None, "", [], {}):
        return []
    if isinstance(value, dict):
        inner = [line for k, v in value.items() for line in field_lines(str(k), v)]
        return [f"{key}:", *(f"  {line}" for line in inner)]
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        return [f"{key}:", *(f"  - {_words(v)}" for v in value)]
    return [f"{key}: {_words(value)}"]
