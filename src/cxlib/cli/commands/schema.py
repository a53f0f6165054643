from __future__ import annotations

from typing import Annotated

import typer

from cxlib.cli.commands.common import kind_arg
from cxlib.cli.state import state

NAME = "schema"


def command(
    ctx: typer.Context,
    kind: Annotated[str, typer.Argument(help="insight, opportunity or experiment.")],
) -> None:
    """Print the JSON Schema of a kind's front-matter.

    Print the JSON Schema (draft-07) of a kind's front-matter, for editors and other tools.

    Example: cxlib schema experiment > experiment.schema.json
    """
    from cxlib.ops.schema import json_schema

    state(ctx).output.json(json_schema(kind_arg(kind)))
