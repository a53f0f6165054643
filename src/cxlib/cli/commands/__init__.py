"""Every command, registered in one place. Each module holds one command and imports the core
lazily, so ``cxlib --help`` stays fast."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from cxlib.cli.commands import (
        index,
        init,
        log,
        new,
        report,
        review,
        schema,
        search,
        show,
        similar,
        validate,
    )
    from cxlib.cli.commands import list as list_

    for module in (init, new, validate, list_, show, schema, index, search, similar, review, log):
        app.command(module.NAME)(module.command)

    # Links, lifecycle edits and the link graph.
    from cxlib.cli.commands import graph, link, renumber, status, unlink
    from cxlib.cli.commands import set as set_

    for module in (link, unlink, set_, status, graph, renumber):
        app.command(module.NAME)(module.command)

    app.add_typer(report.app, name=report.NAME)  # a group: one sub-command per report
