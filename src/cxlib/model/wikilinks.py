"""The forms of a body link, and how each is rewritten.

cxlib reads a link by the id its target starts with; Obsidian reads it by file name (a link to
an alias must be written ``[[Note|alias]]``; a bare ``[[alias]]`` is not resolved). So cxlib
writes ``[[EXP-0003-fit-finder|EXP-0003]]``, which both resolve and both show as the id, and
reads every form either writes: ``[[EXP-0003]]``, ``[[EXP-0003-fit-finder]]`` (``.md``
optional), with a ``#heading`` and an ``|alias`` after either.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from cxlib.model.ids import WIKI_LINK_RE


@dataclass(frozen=True)
class WikiLink:
    """One ``[[...]]`` link as written: the id, the rest of the file name (``-fit-finder``,
    ``.md``), the heading and the alias (None when absent)."""

    id: str
    rest: str
    heading: str | None
    alias: str | None

    @classmethod
    def of(cls, match: re.Match[str]) -> WikiLink:
        return cls(match.group(1), match.group(2), match.group(3), match.group(4))

    @property
    def target(self) -> str:
        """What Obsidian resolves: the file name, without the heading or alias."""
        return self.id + self.rest

    def text(self) -> str:
        heading = f"#{self.heading}" if self.heading is not None else ""
        alias = f"|{self.alias}" if self.alias is not None else ""
        return f"[[{self.target}{heading}{alias}]]"


def link_to(doc_id: str, stem: str) -> str:
    """The link cxlib writes to a document: its file name, shown as its id."""
    return f"[[{stem}|{doc_id}]]" if stem != doc_id else f"[[{doc_id}]]"


def stem_of(path: str) -> str:
    """A document's file name without the folder and ``.md``."""
    name = path.rsplit("/", 1)[-1]
    return name[:-3] if name.endswith(".md") else name


def renumbered(link: WikiLink, old: str, new: str) -> WikiLink:
    """The link to ``old`` pointed at ``new``: the id in the file name, and an alias that is
    the old id (as cxlib writes it), change; the slug, heading and other aliases stay."""
    alias = link.alias
    if alias is not None and alias.strip().upper() == old:
        alias = alias.replace(alias.strip(), new)
    return WikiLink(new, link.rest, link.heading, alias)


def fixed(link: WikiLink, stem: str) -> WikiLink:
    """The link in the form both cxlib and Obsidian resolve: the file name ``stem``, and an
    alias showing what the reader saw before (the id, and the heading when there is one)."""
    doc_id = link.id.upper()
    alias = link.alias
    if alias is None:
        alias = doc_id + (f"#{link.heading}" if link.heading is not None else "")
    return WikiLink(doc_id, stem[len(doc_id) :], link.heading, alias)


def rewrite_line(line: str, change: Callable[[WikiLink], WikiLink | None]) -> tuple[str, int]:
    """The line with every link that ``change`` returns a new form for rewritten, and how
    many were."""
    count = 0

    def one(match: re.Match[str]) -> str:
        nonlocal count
        after = change(WikiLink.of(match))
        if after is None or after.text() == match.group(0):
            return match.group(0)
        count += 1
        return after.text()

    return WIKI_LINK_RE.sub(one, line), count
