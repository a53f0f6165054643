"""What a source reader gives the import: documents to create (or to update), and the records it
could not map, each with the reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxlib.model.config import ProgramConfig
from cxlib.model.kinds import Kind


@dataclass
class Incoming:
    """One document as a source gives it, before it has an id or a file.

    ``fields`` are front-matter keys besides id, title, created and source_ref, in the order
    they are written; ``owned`` names those the source owns (``--update`` may change them);
    ``sections`` fill the template's body sections; ``body`` replaces the template's body as
    it is; ``text`` is a whole file to write byte for byte (a cxlib export keeps its files)."""

    ref: str  # source_ref: "growthbook:exp_123"
    kind: Kind
    title: str
    created: dt.date | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    owned: tuple[str, ...] = ()
    sections: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    doc_id: str | None = None  # the id to keep (a cxlib export)
    file_name: str | None = None  # the file name to keep (a cxlib export)
    text: bytes | None = None
    notes: list[str] = field(default_factory=list)  # "a draft: no primary metric"


@dataclass(frozen=True)
class Refused:
    """A record that cannot be imported: where it is and why."""

    where: str  # "pages/page-1.json: experiments[3] (exp_123)"
    reason: str


@dataclass
class Batch:
    incoming: list[Incoming] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    unmapped_metrics: dict[str, list[str]] = field(default_factory=dict)  # metric -> refs
    notes: list[str] = field(default_factory=list)

    def unmapped(self, metric: str, ref: str) -> None:
        self.unmapped_metrics.setdefault(metric, []).append(ref)


@dataclass(frozen=True)
class SourceOptions:
    """What every reader may need: the program (metric table, kinds), the day, and for csv and
    markdown the kind and the column or key mapping."""

    config: ProgramConfig
    today: dt.date
    kind: Kind | None = None
    mapping: tuple[tuple[str, str], ...] = ()  # (column or key, field)
    base: Path | None = None  # the folder paths in source refs are relative to


def text_of(value: Any, limit: int) -> str:
    """A source's free text as one bounded line: controls out, whitespace collapsed."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    if not text.isprintable():
        text = "".join(c for c in text if c.isprintable())
    return text[:limit].rstrip()
