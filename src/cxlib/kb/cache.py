"""A JSON cache under ``.cxlib/``: a warm ``validate`` re-reads and re-checks changed files only.

Plain JSON (never pickle: loading a cache must not run code). An entry is trusted only when the
file's size, mtime and inode are unchanged *and* the file was last modified safely before the cache
was written (git's "racy clean" rule): a same-size edit within the clock's granularity is re-read.

Each entry holds the parsed file and, when they were computed under the same rules (config, strict
flag, tool version), its single-file findings. Entries are spread over a few shard files so that a
change to one document rewrites one small shard, not the whole cache.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

from cxlib import __version__
from cxlib.kb.files import DocFile
from cxlib.model.findings import Finding, Severity
from cxlib.model.source import ParsedFile, json_default, json_object_hook

CACHE_DIR = ".cxlib"
FORMAT = 2
SHARDS = 16
RACY_NS = 2_000_000_000


class ParseCache:
    def __init__(self, root: Path, rules_key: str) -> None:
        self.folder = root / CACHE_DIR / "parsed"
        self.rules_key = rules_key
        self.shards: list[dict[str, Any]] = [{} for _ in range(SHARDS)]
        self.written_ns = [0] * SHARDS
        self.dirty = [False] * SHARDS
        self._load()

    def _usable(self) -> bool:
        # Never read or write through a planted symlink.
        return not any(p.is_symlink() for p in (self.folder.parent, self.folder))

    @staticmethod
    def _shard(path: str) -> int:
        return zlib.crc32(path.encode()) % SHARDS

    def _load(self) -> None:
        if not self._usable():
            return
        for i in range(SHARDS):
            try:
                raw = json.loads(
                    (self.folder / f"{i:02d}.json").read_bytes(), object_hook=json_object_hook
                )
                if raw.get("format") != FORMAT or raw.get("tool") != __version__:
                    continue
                entries = raw["entries"]
                if raw.get("rules") != self.rules_key:
                    for entry in entries.values():
                        entry.pop("findings", None)
                self.shards[i] = entries
                self.written_ns[i] = int(raw["written_ns"])
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue  # a missing or damaged shard is simply rebuilt

    def get(self, f: DocFile) -> tuple[ParsedFile, list[Finding] | None] | None:
        """The cached parse of an unchanged file, and its findings when still valid."""
        i = self._shard(f.path)
        entry = self.shards[i].get(f.path)
        if entry is None or entry["sig"] != [f.size, f.mtime_ns, f.inode]:
            return None
        if f.mtime_ns + RACY_NS >= self.written_ns[i]:
            return None
        try:
            parsed = ParsedFile.from_json(entry["parsed"])
            raw_findings = entry.get("findings")
            findings = (
                None
                if raw_findings is None
                else [
                    Finding.model_construct(**{**x, "severity": Severity(x["severity"])})
                    for x in raw_findings
                ]
            )
        except (KeyError, TypeError, ValueError):
            return None
        return parsed, findings

    def put(self, f: DocFile, parsed: ParsedFile | None, findings: list[Finding] | None) -> None:
        """Record a file; ``parsed=None`` keeps the stored parse and only adds the findings."""
        i = self._shard(f.path)
        entry = self.shards[i].get(f.path)
        if parsed is not None or entry is None:
            if parsed is None:
                return
            entry = {"sig": [f.size, f.mtime_ns, f.inode], "parsed": parsed.to_json()}
            self.shards[i][f.path] = entry
        if findings is not None:
            entry["findings"] = [x.to_json() for x in findings]
        self.dirty[i] = True

    def prune(self, keep: set[str]) -> None:
        for i, shard in enumerate(self.shards):
            for path in [p for p in shard if p not in keep]:
                del shard[path]
                self.dirty[i] = True

    def save(self) -> None:
        """Write changed shards atomically; a cache that cannot be written is skipped silently."""
        if not any(self.dirty) or not self._usable():
            return
        try:
            self.folder.parent.mkdir(mode=0o700, exist_ok=True)
            self.folder.mkdir(mode=0o700, exist_ok=True)
        except OSError:
            return
        for i in range(SHARDS):
            if self.dirty[i]:
                self._write(i)

    def _write(self, i: int) -> None:
        text = json.dumps(
            {
                "format": FORMAT,
                "tool": __version__,
                "rules": self.rules_key,
                "written_ns": time.time_ns(),
                "entries": self.shards[i],
            },
            separators=(",", ":"),
            ensure_ascii=False,
            default=json_default,  # entries read back hold real dates again
        )
        try:
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{i:02d}.", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, self.folder / f"{i:02d}.json")
        except OSError:
            pass
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
