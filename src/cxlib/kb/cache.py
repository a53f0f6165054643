"""A JSON cache under ``.cxlib/``: a warm ``validate`` re-reads and re-checks changed files only.

Plain JSON (never pickle: loading a cache must not run code). An entry is trusted only when the
file's size, mtime and inode are unchanged *and* the file was last modified safely before the cache
was written (git's "racy clean" rule): a same-size edit within the clock's granularity is re-read.

Two families of shard files, each read only when needed:

- ``parsed/NN.json``: the whole parsed file (front-matter values, key lines, sections), for
  commands that need every document's model;
- ``facts/NN.json``: the file's single-file findings (valid only under the same config and
  options) and a skeleton of it — id, link fields and their lines — which is all the cross-file
  rules read. A warm ``validate`` reads only these small shards.

Entries are spread over shards so that a change to one document rewrites two small files.
"""

from __future__ import annotations

import os
import stat
import time
import zlib
from pathlib import Path
from typing import Any

from cxlib import __version__
from cxlib.cachefile import (
    cache_folder,
    dumps,
    make_folder,
    note_unusable,
    read_json,
    write_text,
)
from cxlib.kb.files import DocFile
from cxlib.kb.tuning import CACHE_SHARDS
from cxlib.model.codes import Scope
from cxlib.model.file_refs import PATH_FIELDS
from cxlib.model.findings import Finding
from cxlib.model.kinds import Kind
from cxlib.model.prereg import LOCK_KEYS
from cxlib.model.source import (
    ParsedFile,
    json_default,
    json_object_hook,
    parse_json,
    to_jsonable,
)
from cxlib.model.vocabulary import LINK_FIELDS

# 6: a section of placeholders (TBD) is empty; 7: statuses and results in skeletons; 8: an
# experiment's design (the pre-registration lock) in skeletons; 9: Obsidian's link forms; 10:
# locations packed in one string; 11: shards by kind; 12: a skeleton's locations as lists
FORMAT = 12
SHARDS = CACHE_SHARDS
RACY_NS = 2_000_000_000


class _ShardFamily:
    """One family of shard files, each loaded on first use and written back when changed."""

    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.key = key  # entries are valid only under this key (tool, format, rules)
        self.shards: list[dict[str, Any] | None] = [None] * SHARDS
        # Entries recorded already as JSON text (by a worker process), written as they are.
        self.encoded: list[dict[str, str]] = [{} for _ in range(SHARDS)]
        self.written_ns = [0] * SHARDS
        self.dirty = [False] * SHARDS

    def shard(self, i: int) -> dict[str, Any]:
        loaded = self.shards[i]
        if loaded is None:
            loaded = self.shards[i] = self._read(i)
        return loaded

    def _read(self, i: int) -> dict[str, Any]:
        # A missing, damaged or foreign shard is simply rebuilt.
        raw = read_json(self.folder / f"{i:02d}.json", object_hook=json_object_hook)
        if not isinstance(raw, dict) or raw.get("key") != self.key:
            return {}
        try:
            written = int(raw["written_ns"])
        except (KeyError, TypeError, ValueError, OverflowError):
            return {}
        entries = raw.get("entries")
        if not isinstance(entries, dict):
            return {}
        self.written_ns[i] = written
        return entries

    def fresh(self, i: int, path: str, f: DocFile) -> Any:
        """The entry for ``f`` when the file has not changed since it was recorded."""
        entry = self.shard(i).get(path)
        if not isinstance(entry, dict) or entry.get("sig") != f.sig:
            return None
        if f.mtime_ns + RACY_NS >= self.written_ns[i]:
            return None
        return entry

    def put(self, i: int, path: str, entry: dict[str, Any], text: str | None = None) -> None:
        """Record ``entry``; ``text``: its JSON, when it was encoded already."""
        self.shard(i)[path] = entry
        if text is None:
            self.encoded[i].pop(path, None)
        else:
            self.encoded[i][path] = text
        self.dirty[i] = True

    def prune(self, keep: set[str]) -> None:
        """Drop entries of deleted files from the shards read in this run (others wait)."""
        for i, shard in enumerate(self.shards):
            if shard is None:
                continue
            for path in [p for p in shard if p not in keep]:
                del shard[path]
                self.encoded[i].pop(path, None)
                self.dirty[i] = True

    def save(self) -> None:
        if not any(self.dirty) or not make_folder(self.folder):
            return
        for i in range(SHARDS):
            if self.dirty[i]:
                write_text(self.folder / f"{i:02d}.json", self._text(i))

    def _text(self, i: int) -> str:
        """Shard ``i`` as JSON: ``{"key":...,"written_ns":...,"entries":{path: entry...}}``, the
        entries encoded already put in as they are."""
        encoded = self.encoded[i]
        # Entries read back hold real dates again (json_default tags them).
        entries = ",".join(
            f"{dumps(path)}:{encoded.get(path) or dumps(entry, default=json_default)}"
            for path, entry in (self.shards[i] or {}).items()
        )
        head = dumps({"key": self.key, "written_ns": time.time_ns()})
        return f'{head[:-1]},"entries":{{{entries}}}}}'


def _usable(root: Path) -> bool:
    """Whether the cache may be read and written: never through a planted symlink, and not at
    all where it cannot be looked at (a ``.cxlib/`` another user left, a file in its place)."""
    top = cache_folder(root)
    for path in (top, top / "parsed", top / "facts"):
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return False
        except FileNotFoundError:
            continue  # made when first written
        except OSError as e:
            note_unusable(path, e)
            return False
    return True


# Each kind's entries in shards of their own, so a command that reads one kind (most reports)
# decodes only its shards: half for the experiments, usually the most numerous, a quarter for
# each other kind.
_KIND_SHARDS: dict[Kind, range] = {
    Kind.EXPERIMENT: range(0, SHARDS // 2),
    Kind.INSIGHT: range(SHARDS // 2, SHARDS * 3 // 4),
    Kind.OPPORTUNITY: range(SHARDS * 3 // 4, SHARDS),
}


def _shard_of(f: DocFile) -> int:
    shards = _KIND_SHARDS[f.kind]
    return shards.start + zlib.crc32(f.path.encode()) % len(shards)


class _Cache:
    """What the two caches share: one shard family, unusable behind a planted link."""

    usable: bool
    family: _ShardFamily

    def prune(self, keep: set[str]) -> None:
        if self.usable:
            self.family.prune(keep)

    def save(self) -> None:
        """Write changed shards atomically; a cache that cannot be written is skipped silently."""
        if self.usable and _make_top(self.family):
            self.family.save()


class ParseCache(_Cache):
    """Whole parses of unchanged files (``parsed/``): what commands that read every document's
    model or links start from."""

    def __init__(self, root: Path, writable: bool = True) -> None:
        """``writable=False`` (validate) reads parses other commands left but never records
        them: validate does not need them when it runs again, and writing them was a quarter of
        a cold run."""
        self.writable = writable
        self.usable = _usable(root)
        self.family = _ShardFamily(
            cache_folder(root) / "parsed", f"{FORMAT}:{SHARDS}:{__version__}"
        )

    def get(self, f: DocFile) -> ParsedFile | None:
        """The whole parse of an unchanged file."""
        if not self.usable:
            return None
        entry = self.family.fresh(_shard_of(f), f.path, f)
        try:
            return None if entry is None else ParsedFile.from_json(entry["parsed"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, f: DocFile, parsed: ParsedFile) -> None:
        """Record a file just parsed."""
        if self.usable and self.writable:
            entry = {"sig": f.sig, "parsed": parsed.to_json()}
            self.family.put(_shard_of(f), f.path, entry)


class FactsCache(_Cache):
    """Each unchanged file's single-file findings and its skeleton (``facts/``): all a warm
    ``validate`` reads. Entries are valid only under the same config text and options."""

    def __init__(self, root: Path, rules_key: str) -> None:
        self.usable = _usable(root)
        self.family = _ShardFamily(
            cache_folder(root) / "facts", f"{FORMAT}:{SHARDS}:{__version__}:{rules_key}"
        )

    def get(
        self, f: DocFile, skeleton: bool = True
    ) -> tuple[ParsedFile | None, list[Finding]] | None:
        """The findings of an unchanged file, when still valid, and (if asked) its skeleton."""
        if not self.usable:
            return None
        entry = self.family.fresh(_shard_of(f), f.path, f)
        if entry is None:
            return None
        try:
            findings = [Finding.from_json(x) for x in entry["findings"]]
            return (ParsedFile.from_json(entry["skeleton"]) if skeleton else None), findings
        except (KeyError, TypeError, ValueError):
            return None

    def get_id(self, f: DocFile) -> tuple[str | None] | None:
        """Just the id of an unchanged file (as a 1-tuple; None when nothing valid is cached)."""
        if not self.usable:
            return None
        entry = self.family.fresh(_shard_of(f), f.path, f)
        return None if entry is None or "id" not in entry else (entry["id"],)

    def put(
        self, f: DocFile, parsed: ParsedFile, findings: list[Finding], doc_id: str | None
    ) -> None:
        """Record a file's findings (single-file ones only: the cross-document rules and the
        history rule are computed afresh on every run) and its skeleton."""
        if self.usable:
            self.put_entry(f, facts_entry(f, parsed, findings, doc_id))

    def put_entry(self, f: DocFile, entry: dict[str, Any], text: str | None = None) -> None:
        """Record what :func:`facts_entry` made of a file; ``text``: the entry as JSON, when a
        worker process encoded it (then it is written as it is: the work is shared out)."""
        if self.usable:
            self.family.put(_shard_of(f), f.path, entry, text)


def facts_entry(
    f: DocFile, parsed: ParsedFile, findings: list[Finding], doc_id: str | None
) -> dict[str, Any]:
    """A file's entry in the facts cache, as JSON data: its signature, id, single-file
    findings and skeleton (read back by :meth:`FactsCache.get`)."""
    return {
        "sig": f.sig,
        "id": doc_id,
        "findings": [x.to_json() for x in findings if x.scope == Scope.FILE],
        "skeleton": skeleton_json(parsed, f.kind),
    }


def _make_top(family: _ShardFamily) -> bool:
    return make_folder(family.folder.parent)


# What the cross-document and date rules read of a document besides its id, links and paths:
# its status (experiment-on-idea, insight-standing), its review date (review-expired), and an
# experiment's end, alpha and result (an insight's standing). Kept small: the pre-commit hook
# reads the skeletons of the files it checks.
SKELETON_FACTS: dict[Kind, tuple[str, ...]] = {
    Kind.INSIGHT: ("status", "review_by"),
    Kind.OPPORTUNITY: ("status", "review_by"),
    Kind.EXPERIMENT: ("status", "end", "alpha", "result"),
}


# The keys a skeleton keeps, by kind (see skeleton_json).
_SKELETON_KEYS: dict[Kind, tuple[str, ...]] = {
    kind: (
        "id",
        *LINK_FIELDS[kind],
        *PATH_FIELDS[kind],
        *SKELETON_FACTS[kind],
        *(LOCK_KEYS if kind == Kind.EXPERIMENT else ()),  # what the pre-registration lock compares
    )
    for kind in Kind
}


def skeleton_json(parsed: ParsedFile, kind: Kind) -> dict[str, Any]:
    """What the cross-file rules read of a file, as :meth:`ParsedFile.to_json` gives a parse
    (its locations as lists: they are all read): its id, links and the paths it names, with
    their lines, and the few facts of :data:`SKELETON_FACTS`. Built directly, once per file
    checked (on a cold run, ten thousand times)."""
    data = parsed.data
    kept = {} if data is None else {k: data[k] for k in _SKELETON_KEYS[kind] if k in data}
    locations: dict[str, list[Any]] = {}
    if kept:
        for path, loc in parsed.locations.items():
            top, dot, rest = path.partition(".")
            # A key, a list item or a field of one; of deeper paths, only screenshots.
            if top in kept and (not dot or "." not in rest or path.endswith(".screenshot")):
                # As ParsedFile.to_json writes a location as a list (line, column, the plain
                # text when kept), in line: a call per location cost the skeleton a third more.
                where: list[Any] = [loc.line, loc.column]
                if loc.plain_text is not None:
                    where.append(loc.plain_text)
                locations[path] = where
    return parse_json(
        data=None if data is None else to_jsonable(kept),
        locations=locations,
        sections={},
        wiki_links=parsed.wiki_links,
        file_links=parsed.file_links,
        body_start=parsed.body_start,
        problems=[],
    )
