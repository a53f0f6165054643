"""The knowledge base on disk: its root, its config, its document files and their parses.

Reading only: which files there are, and what each says (through the parse cache, in worker
processes when many). What the rules make of a document is :mod:`cxlib.model.checks`; how a
command combines the two (and caches findings) is :mod:`cxlib.ops.loading`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cxlib.kb.config_file import find_root, read_config
from cxlib.kb.files import DocFile, listing, scan
from cxlib.kb.tuning import collector_paused
from cxlib.model.config import ProgramConfig
from cxlib.model.kinds import Kind

if TYPE_CHECKING:
    from cxlib.kb.cache import ParseCache
    from cxlib.model.findings import Finding
    from cxlib.model.library import Library
    from cxlib.model.source import ParsedFile

Progress = Callable[[int, int], None]


@dataclass
class KnowledgeBase:
    root: Path
    config: ProgramConfig
    config_digest: str = ""  # SHA-256 of cxlib.toml's bytes, as read for ``config``

    @classmethod
    def open(cls, start: Path) -> KnowledgeBase:
        """Find the root walking up from ``start`` and read its config."""
        root = find_root(start)
        config, digest = read_config(root)
        return cls(root=root, config=config, config_digest=digest)

    def folder(self, kind: object) -> Path:
        return self.root / self.config.kinds[kind].folder  # type: ignore[index]

    def files(self, kinds: Collection[Kind] | None = None) -> tuple[list[DocFile], list[Finding]]:
        """The document files (of ``kinds``, when given), and the findings of the listing itself
        (symlinks, unreadable folders)."""
        files, findings = listing(self.root, self.config)  # perhaps started ahead
        return [f for f in files if kinds is None or f.kind in kinds], findings

    def names(self) -> tuple[list[DocFile], list[Finding]]:
        """The document files by name only (no file is stat-ed: size, mtime and inode are 0),
        and the findings of the listing."""
        return scan(self.root, self.config, signatures=False)

    def parse(
        self,
        files: list[DocFile],
        cache: ParseCache | None = None,
        progress: Progress | None = None,
        fresh: Collection[str] = (),
    ) -> dict[str, ParsedFile]:
        """Each file's parse by path: from ``cache`` when the file is unchanged, else parsed (in
        worker processes when there are many) and recorded in ``cache``. A file deleted since
        it was listed is left out. The paths in ``fresh`` are parsed in any case: a parse read
        from the cache has no text, which the checks of a file read."""
        # Here, not at the top: a hook run answered from the cache never loads the parser.
        from cxlib.kb.parallel import parse_file, parse_in_parallel, vanished

        out: dict[str, ParsedFile] = {}
        missing: list[DocFile] = []
        for f in files:
            cached = cache.get(f) if cache is not None and f.path not in fresh else None
            if cached is None:
                missing.append(f)
            else:
                out[f.path] = cached
        ahead = parse_in_parallel(self.root, missing)
        for n, f in enumerate(missing):
            parsed = ahead.get(f.path) or parse_file(self.root, f.path, f.size)
            if vanished(parsed):
                continue
            if cache is not None:
                cache.put(f, parsed)
            out[f.path] = parsed
            if progress and n % 200 == 0:
                progress(n, len(missing))
        return out

    def load_parsed(self) -> Library:
        """Every document parsed (through the cache), without models or checks: what links,
        the graph and renumbering read."""
        from cxlib.kb.cache import ParseCache
        from cxlib.model.library import Library, LoadedDoc

        with collector_paused():
            files, _ = self.files()
            cache = ParseCache(self.root)
            parsed = self.parse(files, cache)
            docs = [
                LoadedDoc(path=f.path, kind=f.kind, parsed=parsed[f.path])
                for f in files
                if f.path in parsed
            ]
            cache.prune({f.path for f in files})
            cache.save()
        return Library(docs)

    def rules_key(self, strict: bool) -> str:
        """Cached findings are valid only under the same config text and options."""
        return f"{self.config_digest}:{'strict' if strict else 'lenient'}"
