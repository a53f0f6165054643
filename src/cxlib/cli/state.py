"""Options shared by every command, and opening the knowledge base they name."""

from __future__ import annotations

import datetime as dt
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
    # The CLI reads the clock once, here; everything below takes ``today`` as a parameter.
    today: dt.date = field(default_factory=dt.date.today)

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
