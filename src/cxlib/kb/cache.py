"""A JSON cache of parsed documents under ``.cxlib/``: a warm ``validate`` reads changed files only.

Plain JSON (never pickle: loading a cache must not run code). An entry is trusted only when the
file's size, mtime and inode are unchanged *and* the file was last modified safely before the cache
was written (git's "racy clean" rule): a same-size edit within the clock's granularity is re-read.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from cxlib import __version__
from cxlib.kb.files import DocFile
from cxlib.model.source import ParsedFile

CACHE_DIR = ".cxlib"
FORMAT = 1
RACY_NS = 2_000_000_000


class ParseCache:
    def __init__(self, root: Path) -> None:
        self.path = root / CACHE_DIR / "parsed.json"
        self.entries: dict[str, Any] = {}
        self.written_ns = 0
        self.dirty = False
        self._load()

    def _usable(self) -> bool:
        # Never read or write through a planted symlink.
        return not self.path.parent.is_symlink() and not self.path.is_symlink()

    def _load(self) -> None:
        if not self._usable():
            return
        try:
            raw = json.loads(self.path.read_bytes())
            if raw.get("format") == FORMAT and raw.get("tool") == __version__:
                self.entries = raw["entries"]
                self.written_ns = int(raw["written_ns"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.entries = {}  # a missing or damaged cache is simply rebuilt

    def get(self, f: DocFile) -> ParsedFile | None:
        entry = self.entries.get(f.path)
        if entry is None or entry["sig"] != [f.size, f.mtime_ns, f.inode]:
            return None
        if f.mtime_ns + RACY_NS >= self.written_ns:
            return None
        try:
            return ParsedFile.from_json(entry["parsed"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, f: DocFile, parsed: ParsedFile) -> None:
        self.entries[f.path] = {"sig": [f.size, f.mtime_ns, f.inode], "parsed": parsed.to_json()}
        self.dirty = True

    def prune(self, keep: set[str]) -> None:
        for path in [p for p in self.entries if p not in keep]:
            del self.entries[path]
            self.dirty = True

    def save(self) -> None:
        """Write atomically; a cache that cannot be written is skipped, never an error."""
        if not self.dirty or not self._usable():
            return
        folder = self.path.parent
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".parsed.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(
                        {
                            "format": FORMAT,
                            "tool": __version__,
                            "written_ns": time.time_ns(),
                            "entries": self.entries,
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
