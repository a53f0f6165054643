"""Options shared by every command, and opening the knowledge base they name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cxlib.cli.output import Output

if TYPE_CHECKING:
    import typer

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

    def open(self, near: list[str] | None = None) -> KnowledgeBase:
        """The knowledge base of ``--root``, else of the current folder; failing that, of the
        first file of ``near`` (a hook run from the top of a repository whose base is in a
        subfolder names files in it)."""
        from cxlib.errors import NotAKnowledgeBaseError
        from cxlib.kb.store import KnowledgeBase

        try:
            return KnowledgeBase.open(self.start)
        except NotAKnowledgeBaseError:
            if self.root is not None or not near:
                raise
            folder = (Path.cwd() / near[0]).parent
            if not folder.is_dir():
                raise
            return KnowledgeBase.open(folder)


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    assert isinstance(obj, State)
    return obj
