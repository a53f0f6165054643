"""A small cache of every document's id, for checking a few files against the whole base.

``validate PATHS`` (the pre-commit hook) needs the full rules only for the files it reports on, and
from every other document only its id (for duplicate ids and link targets). Decoding the full parse
cache of a 10,000-document base costs more than the hook's whole budget; this index holds one
``[size, mtime_ns, inode, id]`` row per file (about 1 MB for 10,000 documents) and is trusted by the
same rules as the parse cache: an unchanged signature and a file modified safely before the index
was written (git's "racy clean" rule). Plain JSON, never pickle.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxlib import __version__
from cxlib.kb.cache import CACHE_DIR, RACY_NS, ParseCache
from cxlib.kb.files import DocFile, read_document, scan
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.kb.store import check_one
from cxlib.model.config import ProgramConfig
from cxlib.model.findings import Finding
from cxlib.model.ids import ID_RE, id_from_filename
from cxlib.model.library import LoadedDoc
from cxlib.model.source import ParsedFile, Problem

FORMAT = 1


def effective_id(parsed: ParsedFile, name: str) -> str | None:
    """The id a document goes by: the one its front-matter declares, else its file name's."""
    declared = (parsed.data or {}).get("id")
    if isinstance(declared, str) and ID_RE.match(declared.strip()):
        return declared.strip()
    return id_from_filename(name)


class IdIndex:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / CACHE_DIR / "ids.json"
        self.rows: dict[str, list[Any]] = {}
        self.written_ns = 0
        self.dirty = False
        self._parse_cache: ParseCache | None = None
        self._load()

    def _usable(self) -> bool:
        return not self.path.parent.is_symlink() and not self.path.is_symlink()

    def _load(self) -> None:
        if not self._usable():
            return
        try:
            raw = json.loads(self.path.read_bytes())
            if raw.get("format") == FORMAT and raw.get("tool") == __version__:
                self.rows = raw["rows"]
                self.written_ns = int(raw["written_ns"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.rows = {}

    def id_of(self, f: DocFile) -> str | None:
        """The file's id, from the index when it can be trusted, else read from the file."""
        row = self.rows.get(f.path)
        if (
            row is not None
            and row[:3] == [f.size, f.mtime_ns, f.inode]
            and f.mtime_ns + RACY_NS < self.written_ns
        ):
            return row[3] if isinstance(row[3], str) else None
        name = f.path.rsplit("/", 1)[-1]
        known, doc_id = self._from_parse_cache(f, name)
        if not known:
            try:
                parsed = parse_bytes(read_document(self.root, f.path, MAX_FILE_BYTES))
            except OSError:
                parsed = ParsedFile()
            doc_id = effective_id(parsed, name)
        self.rows[f.path] = [f.size, f.mtime_ns, f.inode, doc_id]
        self.dirty = True
        return doc_id

    def _from_parse_cache(self, f: DocFile, name: str) -> tuple[bool, str | None]:
        """A cold index is filled from the parse cache a full ``validate`` leaves, by the same
        trust rules, reading only the id of each entry (not the whole parsed file)."""
        if self._parse_cache is None:
            self._parse_cache = ParseCache(self.root)
        cache = self._parse_cache
        entry = cache.entries.get(f.path)
        try:
            if (
                entry is None
                or entry["sig"] != [f.size, f.mtime_ns, f.inode]
                or f.mtime_ns + RACY_NS >= cache.written_ns
            ):
                return False, None
            data = entry["parsed"]["data"]
            stub = ParsedFile(data=data if isinstance(data, dict) else None)
            return True, effective_id(stub, name)
        except (KeyError, TypeError):
            return False, None

    def save(self, keep: set[str]) -> None:
        """Drop rows of files that are gone and write atomically; failures are ignored."""
        for gone in [p for p in self.rows if p not in keep]:
            del self.rows[gone]
            self.dirty = True
        if not self.dirty or not self._usable():
            return
        try:
            self.path.parent.mkdir(mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".ids.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(
                        {
                            "format": FORMAT,
                            "tool": __version__,
                            "written_ns": time.time_ns(),
                            "rows": self.rows,
                        },
                        fh,
                        separators=(",", ":"),
                    )
                os.replace(tmp, self.path)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            pass


_NOTHING = ParsedFile()


@dataclass
class IdOnlyDoc(LoadedDoc):
    """A document known by its id only: no front-matter, no links, no findings of its own."""

    known_id: str | None = None

    @property
    def id(self) -> str | None:
        return self.known_id


def load_partially(
    root: Path, config: ProgramConfig, full: set[str], strict: bool = False
) -> tuple[list[LoadedDoc], list[Finding]]:
    """The documents at ``full`` (root-relative paths) read and checked with every single-file
    rule; every other document by its id only, all that duplicate ids and link targets need.
    This keeps checking a few files near their own cost, whatever the size of the base."""
    files, scan_findings = scan(root, config)
    index = IdIndex(root)
    docs: list[LoadedDoc] = []
    for f in files:
        if f.path in full:
            try:
                parsed = parse_bytes(read_document(root, f.path, MAX_FILE_BYTES))
            except OSError as e:
                parsed = ParsedFile(
                    problems=[Problem("unreadable", f"cannot read file: {e.strerror}")]
                )
            docs.append(check_one(f.path, f.kind, parsed, config, strict))
        else:
            docs.append(
                IdOnlyDoc(path=f.path, kind=f.kind, parsed=_NOTHING, known_id=index.id_of(f))
            )
    index.save({f.path for f in files})
    return docs, scan_findings
