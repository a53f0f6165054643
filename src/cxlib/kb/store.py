"""The knowledge base on disk: its root, its config, and its documents loaded and checked."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cxlib.kb.cache import ParseCache
from cxlib.kb.config_file import CONFIG_NAME, find_root, load_config
from cxlib.kb.files import DocFile, scan
from cxlib.kb.parallel import parse_file, parse_in_parallel
from cxlib.model.checks import check_document
from cxlib.model.config import ProgramConfig
from cxlib.model.findings import Finding
from cxlib.model.kinds import Kind
from cxlib.model.library import Library, LoadedDoc
from cxlib.model.schema_check import check_schema
from cxlib.model.source import ParsedFile

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
        models: bool = True,
        findings: bool = True,
        kinds: set[Kind] | None = None,
    ) -> tuple[Library, list[Finding]]:
        """Read every document (through the cache) and run the single-file checks.

        ``models=False`` (validate) may take each unchanged file's findings from the cache and
        leaves ``LoadedDoc.doc`` unset; with models, every checked valid document gets its model.
        With ``check_only``, only those paths are checked at all; of the others only the id (or
        the parse) is read, which is all the cross-file rules need (the pre-commit case).
        Returns the library and the findings that concern no single loaded document (symlinks,
        unreadable folders). ``findings=False`` (reports) wants models only: the rules are not
        run and ``LoadedDoc.findings`` holds the schema's findings alone. ``kinds`` reads only
        documents of those kinds (a report about experiments needs no insights).
        """
        with _collector_paused():
            files, scan_findings = scan(self.root, self.config)
            if kinds is not None:
                files = [f for f in files if f.kind in kinds]
            cache = ParseCache(self.root, self.rules_key(strict), models) if use_cache else None
            # First what the cache answers; then the rest, parsed in worker processes when many.
            slots: list[LoadedDoc | None] = []
            for f in files:
                slots.append(
                    self._load_one(f, cache, strict, check_only, models, None, rules=findings)
                )
            missing = [i for i, d in enumerate(slots) if d is None]
            ahead = parse_in_parallel(self.root, [files[i] for i in missing])
            for n, i in enumerate(missing):
                slots[i] = self._load_one(
                    files[i], cache, strict, check_only, models, ahead, rules=findings
                )
                if progress and n % 200 == 0:
                    progress(n, len(missing))
            docs = [d for d in slots if d is not None]
            if cache:
                cache.prune({f.path for f in files})
                cache.save()
        return Library(docs), scan_findings

    def load_parsed(self) -> Library:
        """Every document parsed (through the cache), without models or checks: what links,
        the graph and renumbering read."""
        with _collector_paused():
            files, _ = scan(self.root, self.config)
            cache = ParseCache(self.root, self.rules_key(False))
            missing = [f for f in files if not cache.has(f, models=True)]
            ahead = parse_in_parallel(self.root, missing)
            docs: list[LoadedDoc] = []
            for f in files:
                parsed = cache.get_parsed(f)
                if parsed is None:
                    parsed = self._parse(f, ahead)
                    cache.put(f, parsed, None, fresh_parse=True)
                docs.append(LoadedDoc(path=f.path, kind=f.kind, parsed=parsed))
            cache.prune({f.path for f in files})
            cache.save()
        return Library(docs)

    def _load_one(
        self,
        f: DocFile,
        cache: ParseCache | None,
        strict: bool,
        check_only: set[str] | None,
        models: bool,
        ahead: dict[str, ParsedFile] | None,
        rules: bool = True,
    ) -> LoadedDoc | None:
        """One document, from the cache when it can; otherwise parsed (taken from ``ahead`` when
        a worker already did it), or None when ``ahead`` is None: the caller parses later."""
        reported = check_only is None or f.path in check_only
        if cache and not reported:
            known = cache.get_id(f)
            if known is not None:
                # Only the id of a file that is not reported on matters (duplicates, targets).
                return LoadedDoc(f.path, f.kind, ParsedFile(), known_id=known[0])
        facts = cache.get_facts(f, skeleton=not models) if cache and rules else None
        if facts is not None and not models:
            skeleton, findings = facts
            assert skeleton is not None
            return LoadedDoc(f.path, f.kind, skeleton, findings=findings if reported else [])
        parsed = cache.get_parsed(f) if cache else None
        fresh = parsed is None
        if parsed is None:
            if ahead is None:
                return None
            parsed = self._parse(f, ahead)
        if not reported:
            if cache and not models:
                # Checked once now so that the next one-file run finds this file's id (and
                # findings) in the small facts shards instead of parsing it again.
                d = check_one(f.path, f.kind, parsed, self.config, strict)
                cache.put(f, parsed, d.findings, fresh, d.id)
            elif cache:
                cache.put(f, parsed, None, fresh)
            return LoadedDoc(path=f.path, kind=f.kind, parsed=parsed)
        if facts is not None:
            d = LoadedDoc(path=f.path, kind=f.kind, parsed=parsed, findings=facts[1])
            if parsed.data is not None and not parsed.problems:
                d.doc = check_schema(f.path, f.kind, parsed, strict)[0]
            if cache and fresh:
                cache.put(f, parsed, None, fresh)
            return d
        if not rules and models:
            d = LoadedDoc(path=f.path, kind=f.kind, parsed=parsed)
            if parsed.problems or parsed.data is None:
                d.findings = check_one(f.path, f.kind, parsed, self.config, strict).findings
            else:
                d.doc, d.findings = check_schema(f.path, f.kind, parsed, strict)
            if cache and fresh:
                cache.put(f, parsed, None, fresh)
            return d
        d = check_one(f.path, f.kind, parsed, self.config, strict)
        if cache:
            cache.put(f, parsed, d.findings, fresh, d.id)
        return d

    def rules_key(self, strict: bool) -> str:
        """Cached findings are valid only under the same config text and options."""
        try:
            config = (self.root / CONFIG_NAME).read_bytes()
        except OSError:
            config = b""
        return hashlib.sha256(config + (b"strict" if strict else b"")).hexdigest()

    def _parse(self, f: DocFile, ahead: dict[str, ParsedFile]) -> ParsedFile:
        done = ahead.get(f.path)
        return done if done is not None else parse_file(self.root, f.path, f.size)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading builds hundreds of thousands of small objects that live as long as the command;
    the cyclic garbage collector would scan them again and again (measured: 40% of a warm run on
    10,000 files). Pause it while loading, then move what was loaded out of its sight."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def check_one(
    path: str, kind: object, parsed: ParsedFile, config: ProgramConfig, strict: bool = False
) -> LoadedDoc:
    """See :func:`cxlib.model.checks.check_document`."""
    return check_document(path, kind, parsed, config, strict)  # type: ignore[arg-type]
