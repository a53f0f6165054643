"""Every command, registered in one place. Each module holds one command and imports the core
lazily, so ``cxlib --help`` stays fast."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from cxlib.cli.commands import index, init, new, schema, search, show, similar, validate
    from cxlib.cli.commands import list as list_

    for module in (init, new, validate, list_, show, schema, index, search, similar):
        app.command(module.NAME)(module.command)
