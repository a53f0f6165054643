from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.kind_option import kind_arg
from cxlib.cli.state import state

NAME = "schema"


def command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="insight, opportunity or experiment.")],
) -> None:
    """Print the JSON Schema of a kind's front-matter.

    Print the JSON Schema (draft-07) of a kind's front-matter, for editors and other tools.
    Inside a knowledge base it holds the fields its cxlib.toml declares too.

    Example: cxlib schema experiment > experiment.schema.json
    """
    from cxlib.errors import NotAKnowledgeBaseError
    from cxlib.ops.schema import json_schema

    the_kind = kind_arg(kind)
    try:
        config = state(ctx).open().config
    except NotAKnowledgeBaseError:
        config = None  # the built-in fields alone
    state(ctx).output.json(json_schema(the_kind, config))
