"""``cxlib links [--fix]``: body links in the form Obsidian resolves as well as cxlib.

Obsidian resolves ``[[...]]`` by file name, so ``[[EXP-0003]]`` is a dead link there while
``[[EXP-0003-fit-finder|EXP-0003]]`` resolves in both and reads the same. ``links`` lists the
links written otherwise (a bare id, an old slug) and ``--fix`` rewrites them, each on its own
line, every file checked by re-reading it before anything is written. A fix is idempotent, so a
fix stopped midway is finished by running it again; it needs no journal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cxlib.kb.changes import FileChange, apply, diff
from cxlib.kb.edit import EditableFile
from cxlib.kb.files import read_document
from cxlib.kb.journal import refuse_if_pending
from cxlib.kb.parse import MAX_FILE_BYTES
from cxlib.kb.store import KnowledgeBase
from cxlib.model.library import Library
from cxlib.model.wikilinks import WikiLink, fixed, rewrite_line, stem_of
from cxlib.ops.docs import load_library


@dataclass
class LinkFix:
    path: str
    line: int
    before: str
    after: str


@dataclass
class LinksResult:
    fixes: list[LinkFix] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # "path:line: [[X]]" to no document
    diff: str = ""
    message: str = ""


def stems(library: Library) -> dict[str, str]:
    """Each id held by exactly one file -> that file's name without ``.md``."""
    return {i: stem_of(docs[0].path) for i, docs in library.by_id().items() if len(docs) == 1}


class _Fixer:
    """The change that gives a link the file name it should have, noting each one made."""

    def __init__(self, names: dict[str, str]) -> None:
        self.names = names
        self.seen: list[tuple[str, str]] = []

    def __call__(self, link: WikiLink) -> WikiLink | None:
        stem = self.names.get(link.id.upper())
        if stem is None or link.target.removesuffix(".md").lower() == stem.lower():
            return None
        after = fixed(link, stem)
        self.seen.append((link.text(), after.text()))
        return after


def links(kb: KnowledgeBase, fix: bool = False, dry_run: bool = False) -> LinksResult:
    """The body links not in Obsidian's form (to an id one file holds), rewritten with ``fix``
    unless ``dry_run``; links to no document are listed apart."""
    if fix and not dry_run:
        refuse_if_pending(kb.root)
    library = load_library(kb)
    names = stems(library)
    result = LinksResult()
    changes: list[FileChange] = []
    for doc in sorted(library.docs, key=lambda d: d.path):
        result.unknown.extend(
            f"{doc.path}:{n}: [[{t}]]"
            for t, n in doc.parsed.wiki_links
            if t.upper() not in names and t.upper() not in library.by_id()
        )
        wanted = {n for t, n in doc.parsed.wiki_links if t.upper() in names}
        if not wanted:
            continue
        raw = read_document(kb.root, doc.path, MAX_FILE_BYTES)
        editable = EditableFile(raw, doc.path)
        for number in sorted(wanted):
            fixer = _Fixer(names)
            rewrite_line(editable.lines[number - 1].text, fixer)
            result.fixes.extend(LinkFix(doc.path, number, b, a) for b, a in fixer.seen)
        after = editable.rewrite_wiki_links(_Fixer(names))
        if after != raw:
            changes.append(FileChange(doc.path, raw, after))
    result.files = [c.path for c in changes if c.changed]
    result.diff = diff(changes)
    if fix and not dry_run:
        apply(kb.root, changes)
    verb = "rewrote" if fix and not dry_run else "would rewrite" if fix else "found"
    result.message = (
        f"{verb} {len(result.fixes)} link(s) Obsidian cannot resolve in {len(result.files)} file(s)"
    )
    return result
