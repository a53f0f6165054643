"""The loaded library: every document with its source facts, model and links."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from cxlib.model.documents import Document
from cxlib.model.findings import Finding
from cxlib.model.ids import ID_RE, id_from_filename
from cxlib.model.kinds import Kind
from cxlib.model.source import ParsedFile
from cxlib.model.vocabulary import LINK_FIELDS


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    field: str  # front-matter field, or "body" for a [[wiki-link]]
    line: int


@dataclass
class LoadedDoc:
    path: str  # repository-relative POSIX path
    kind: Kind
    parsed: ParsedFile
    doc: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    # Set when only the id is known (read from a cache without the file's contents).
    known_id: str | None = None

    @cached_property
    def id(self) -> str | None:
        """The id the front-matter declares, else the one the file name starts with."""
        if self.known_id is not None:
            return self.known_id
        if self.doc is not None:
            return self.doc.id
        data = self.parsed.data or {}
        declared = data.get("id")
        if isinstance(declared, str) and ID_RE.match(declared):
            return declared
        return id_from_filename(self.path.rsplit("/", 1)[-1])

    @property
    def title(self) -> str:
        if self.doc is not None:
            return self.doc.title
        title = (self.parsed.data or {}).get("title")
        return title if isinstance(title, str) else ""

    def links(self) -> Iterator[Link]:
        """Outgoing links: typed front-matter fields (only ids count) and body [[ID]] links."""
        data = self.parsed.data or {}
        source = self.id or self.path
        for name in LINK_FIELDS[self.kind]:
            value = data.get(name)
            values = value if isinstance(value, list) else [value] if value is not None else []
            for i, target in enumerate(values):
                if isinstance(target, str) and ID_RE.match(target):
                    where = f"{name}.{i}" if isinstance(value, list) else name
                    yield Link(source, target, name, self.parsed.line_of(where))
        for target, line in self.parsed.wiki_links:
            yield Link(source, target.upper(), "body", line)


@dataclass
class Library:
    docs: list[LoadedDoc]

    def by_id(self) -> dict[str, list[LoadedDoc]]:
        out: dict[str, list[LoadedDoc]] = {}
        for d in self.docs:
            if d.id:
                out.setdefault(d.id, []).append(d)
        return out

    def backlinks(self) -> dict[str, list[Link]]:
        out: dict[str, list[Link]] = {}
        for d in self.docs:
            for link in d.links():
                out.setdefault(link.target, []).append(link)
        return out
