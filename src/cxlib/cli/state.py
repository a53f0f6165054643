"""Options shared by every command, and opening the knowledge base they name."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from cxlib.cli.output import Output

if TYPE_CHECKING:
    from cxlib.kb.store import KnowledgeBase


@dataclass
class State:
    root: Path | None = None
    output: Output = field(default_factory=Output)

    @property
    def start(self) -> Path:
        return self.root if self.root is not None else Path.cwd()

    def open(self) -> KnowledgeBase:
        from cxlib.kb.store import KnowledgeBase

        return KnowledgeBase.open(self.start)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj
