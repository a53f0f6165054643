from __future__ import annotations

import typer

from cxlib.cli.commands.common import DryRun, TextOrJson, TextOrJsonFormat
from cxlib.cli.state import state

NAME = "migrate"


def command(
    ctx: typer.Context,
    dry_run: DryRun = False,
    format: TextOrJsonFormat = TextOrJson.TEXT,
) -> None:
    """Bring the library to the newest document format.

    Bring the library to the newest document format this cxlib reads, changing only the
    lines that must change: format 1 to 2 writes 'format = 2' in cxlib.toml and turns every
    experiment's variants given as names ([control, banner]) into records, one
    '- {name: control}' line each. Nothing else is touched, 'updated:' included. Refused, with
    nothing written, when a file cannot be rewritten safely. Run 'cxlib validate' after it:
    the new format's rules may report findings.

    Example: cxlib migrate --dry-run
    """
    from cxlib.cli.edit_view import report
    from cxlib.ops.migrate import migrate

    st = state(ctx)
    result = migrate(st.open(), dry_run=dry_run)
    report(st.output, result, format == TextOrJson.JSON, dry_run)
