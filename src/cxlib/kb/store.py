"""The knowledge base on disk: its root, its config, and its documents loaded and checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cxlib.kb.cache import ParseCache
from cxlib.kb.config_file import find_root, load_config
from cxlib.kb.files import DocFile, read_document, scan
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.model.config import ProgramConfig
from cxlib.model.findings import Finding, error
from cxlib.model.library import Library, LoadedDoc
from cxlib.model.rules import check_identity, check_lifecycle, check_references
from cxlib.model.schema_check import check_schema
from cxlib.model.source import ParsedFile, Problem

Progress = Callable[[int, int], None]


@dataclass
class KnowledgeBase:
    root: Path
    config: ProgramConfig

    @classmethod
    def open(cls, start: Path) -> KnowledgeBase:
        """Find the root walking up from ``start`` and read its config."""
        root = find_root(start)
        return cls(root=root, config=load_config(root))

    def folder(self, kind: object) -> Path:
        return self.root / self.config.kinds[kind].folder  # type: ignore[index]

    def load(
        self,
        strict: bool = False,
        progress: Progress | None = None,
        use_cache: bool = True,
        check_only: set[str] | None = None,
    ) -> tuple[Library, list[Finding]]:
        """Read every document (through the parse cache) and run the single-file checks.

        With ``check_only``, only those paths get the single-file checks (and a model); the
        others are parsed only, which is all the cross-file rules need — the pre-commit case.
        Returns the library and the findings that concern no single loaded document (symlinks,
        unreadable folders).
        """
        files, scan_findings = scan(self.root, self.config)
        cache = ParseCache(self.root) if use_cache else None
        docs: list[LoadedDoc] = []
        for i, f in enumerate(files):
            parsed = cache.get(f) if cache else None
            if parsed is None:
                parsed = self._parse(f)
                if cache:
                    cache.put(f, parsed)
            if check_only is None or f.path in check_only:
                docs.append(check_one(f.path, f.kind, parsed, self.config, strict))
            else:
                docs.append(LoadedDoc(path=f.path, kind=f.kind, parsed=parsed))
            if progress and i % 200 == 0:
                progress(i, len(files))
        if cache:
            cache.prune({f.path for f in files})
            cache.save()
        return Library(docs), scan_findings

    def _parse(self, f: DocFile) -> ParsedFile:
        try:
            return parse_bytes(read_document(self.root, f.path, MAX_FILE_BYTES))
        except OSError as e:
            return ParsedFile(problems=[Problem("unreadable", f"cannot read file: {e.strerror}")])


def check_one(
    path: str, kind: object, parsed: ParsedFile, config: ProgramConfig, strict: bool = False
) -> LoadedDoc:
    """Single-file checks: parse problems, schema, identity, config references, lifecycle."""
    d = LoadedDoc(path=path, kind=kind, parsed=parsed)  # type: ignore[arg-type]
    if parsed.problems or parsed.data is None:
        d.findings = [
            error(p.code, path, p.message, line=p.line, column=p.column, hint=p.hint)
            for p in parsed.problems
        ]
        return d
    d.doc, d.findings = check_schema(path, d.kind, parsed, strict)
    d.findings += check_identity(d, config)
    d.findings += check_references(d, config)
    d.findings += check_lifecycle(d)
    return d
