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
            out.line(f"  {key}: {value}")
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
