"""The loaded library: every document with its source facts, model and links."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from cxlib.model.findings import Finding
from cxlib.model.ids import ID_RE, id_from_filename
from cxlib.model.kinds import Kind
from cxlib.model.source import ParsedFile
from cxlib.model.vocabulary import LINK_FIELDS

if TYPE_CHECKING:
    from cxlib.model.documents import Document


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    field: str  # front-matter field, or "body" for a [[wiki-link]]
    line: int


class DocRef(NamedTuple):
    """A document known by its place alone: path, kind, and the id its file name gives. What
    the cross-document rules need of a document that is not reported on (the pre-commit hook
    knows every other document so, without opening it). A tuple: one is made per document."""

    path: str
    kind: Kind
    id: str | None

    @classmethod
    def from_name(cls, path: str, kind: Kind) -> DocRef:
        return cls(path, kind, id_from_filename(path.rsplit("/", 1)[-1]))


@dataclass(frozen=True)
class LoadedDoc:
    """A document as a command read it: its path and kind, what its file says (``parsed``; empty
    when only the id was read from a cache), its model when the front-matter fits the schema,
    and its single-file findings when it was checked. Built once, never changed: a check makes
    a new one (:func:`cxlib.model.checks.check_document`)."""

    path: str  # repository-relative POSIX path
    kind: Kind
    parsed: ParsedFile
    doc: Document | None = None
    findings: list[Finding] = field(default_factory=list)
    # Set when only the id is known (read from a cache without the file's contents).
    known_id: str | None = None
    # The id the front-matter declares, else the one the file name starts with; fixed at birth.
    id: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", self._find_id())

    def _find_id(self) -> str | None:
        if self.known_id is not None:
            return self.known_id
        if self.doc is not None:
            return self.doc.id
        declared = (self.parsed.data or {}).get("id")
        if isinstance(declared, str) and ID_RE.match(declared.strip()):
            return declared.strip()  # as the schema reads it (it strips whitespace)
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
