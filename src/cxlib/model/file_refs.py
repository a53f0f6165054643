"""The repository files a document names: paths in its evidence, its variants' screenshots, and
the targets of its body's markdown links and images. Whether they exist is the knowledge
base's question (:mod:`cxlib.kb.repository_files`); which strings are paths is decided here.

URLs, ``[[ID]]``-style ids, anchors and text with spaces are not paths. An evidence entry is a
path when it has no space and has a folder or a document's extension (``research/notes.pdf``);
anything else is a sentence, which evidence may be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cxlib.model.ids import ID_RE
from cxlib.model.kinds import Kind
from cxlib.model.source import ParsedFile

# Fields of the front-matter that hold paths, per kind (the skeleton the caches keep has them).
PATH_FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.INSIGHT: ("evidence",),
    Kind.OPPORTUNITY: (),
    Kind.EXPERIMENT: ("variants",),
}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# Without a folder, only a name with the extension of a file one keeps as evidence is a path
# ("notes.pdf"); "v2.0" or "Q1.2025" are words.
_EXTENSION = re.compile(
    r"\.(pdf|md|txt|csv|tsv|xlsx?|ods|docx?|odt|pptx?|key|json|html?|png|jpe?g|gif|svg|webp|"
    r"mp4|mov|webm|mp3|m4a|wav|zip)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FileRef:
    """One path a document names, as written, and where."""

    path: str  # the document's, repository-relative
    target: str  # decoded, without #fragment or ?query
    line: int
    field: str  # evidence.0, variants.1.screenshot, body

    def to_json(self) -> list[Any]:
        return [self.path, self.target, self.line, self.field]

    @classmethod
    def from_json(cls, raw: list[Any]) -> FileRef:
        path, target, line, field = raw
        return cls(str(path), str(target), int(line), str(field))


def _link_target(text: str) -> str | None:
    """The repository path a body link points at, or None (a URL, an anchor, an e-mail)."""
    text = text.strip()
    if not text or text.startswith(("#", "//")) or _SCHEME.match(text):
        return None
    path = text.split("#", 1)[0].split("?", 1)[0]
    if "%" in path:  # a percent-encoded link (%20); the parser costs the hook 5 ms to import
        from urllib.parse import unquote

        path = unquote(path)
    return path or None


def _evidence_path(text: str) -> str | None:
    text = text.strip()
    if not text or any(c.isspace() for c in text) or ID_RE.match(text) or _SCHEME.match(text):
        return None
    if "/" not in text and not _EXTENSION.search(text):
        return None
    return text


def file_refs(path: str, kind: Kind, parsed: ParsedFile) -> list[FileRef]:
    """Every repository path the document names (full or skeleton parse alike)."""
    data = parsed.data or {}
    out: list[FileRef] = []
    if kind == Kind.INSIGHT:
        evidence = data.get("evidence")
        for i, item in enumerate(evidence if isinstance(evidence, list) else []):
            target = _evidence_path(item) if isinstance(item, str) else None
            if target:
                where = f"evidence.{i}"
                out.append(FileRef(path, target, parsed.line_of(where), where))
    if kind == Kind.EXPERIMENT:
        variants = data.get("variants")
        for i, item in enumerate(variants if isinstance(variants, list) else []):
            shot = item.get("screenshot") if isinstance(item, dict) else None
            target = _link_target(shot) if isinstance(shot, str) else None
            if target:
                where = f"variants.{i}.screenshot"
                out.append(FileRef(path, target, parsed.line_of(where), where))
    for text, line in parsed.file_links:
        target = _link_target(text)
        if target:
            out.append(FileRef(path, target, line, "body"))
    return out
