"""Every document's front-matter as plain data, and whether it fits its kind's schema: what a
query, ``list`` and ``export`` read.

A cache of its own (``.cxlib/records/``, plain JSON shards like the parse cache's, see
:mod:`cxlib.kb.cache`) keeps only that: the parse cache holds each file's key lines and
sections too, and decoding it whole was most of a warm ``list`` on 10,000 documents; the
schema check (pydantic, per document) was the rest. An entry is trusted under the same rules
(the file's signature, git's racy-clean rule) and only under the same ``cxlib.toml``, whose
declared fields decide what fits.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from cxlib import __version__
from cxlib.cachefile import cache_folder, make_folder, note_unusable
from cxlib.kb.cache import SHARDS, ParseCache, _shard_of, _ShardFamily
from cxlib.kb.files import DocFile
from cxlib.kb.store import KnowledgeBase
from cxlib.kb.tuning import collector_paused
from cxlib.model.kinds import Kind
from cxlib.model.source import ParsedFile

FORMAT = 2  # 2: shards by kind (kb.cache)
FOLDER = "records"


class Record(NamedTuple):
    """A document's path, kind and front-matter (None when it cannot be read), and whether
    that front-matter fits the kind's schema (what ``list`` shows; ``validate`` says why not)."""

    path: str
    kind: Kind
    data: dict[str, Any] | None
    fits: bool


@dataclass(frozen=True)
class Records:
    records: list[Record]

    def readable(self) -> list[Record]:
        return [r for r in self.records if r.data is not None]


class _RecordsCache:
    def __init__(self, root: Path, rules_key: str) -> None:
        self.folder = cache_folder(root) / FOLDER
        self.usable = _usable(self.folder)
        self.family = _ShardFamily(self.folder, f"{FORMAT}:{SHARDS}:{__version__}:{rules_key}")

    def get(self, f: DocFile) -> Record | None:
        if not self.usable:
            return None
        entry = self.family.fresh(_shard_of(f), f.path, f)
        if entry is None:
            return None
        data, fits = entry.get("data"), entry.get("fits")
        if not (data is None or isinstance(data, dict)) or not isinstance(fits, bool):
            return None
        return Record(f.path, f.kind, data, fits)

    def put(self, f: DocFile, record: Record) -> None:
        if self.usable:
            entry = {"sig": f.sig, "data": record.data, "fits": record.fits}
            self.family.put(_shard_of(f), f.path, entry)

    def save(self, keep: set[str] | None) -> None:
        if not self.usable or not make_folder(self.folder.parent):
            return
        if keep is not None:
            self.family.prune(keep)
        self.family.save()


def _usable(folder: Path) -> bool:
    for path in (folder.parent, folder):
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return False
        except FileNotFoundError:
            continue
        except OSError as e:
            note_unusable(path, e)
            return False
    return True


def load_records(kb: KnowledgeBase, kinds: Collection[Kind] | None = None) -> Records:
    """Every document of ``kinds`` (all when None), in the listing's order."""
    with collector_paused():
        files, _ = kb.files(kinds)
        cache = _RecordsCache(kb.root, kb.rules_key(False))
        found: dict[str, Record] = {}
        missing: list[DocFile] = []
        for f in files:
            hit = cache.get(f)
            if hit is None:
                missing.append(f)
            else:
                found[f.path] = hit
        if missing:
            parses = ParseCache(kb.root)
            parsed = kb.parse(missing, parses)
            parses.save()
            for f in missing:
                if f.path in parsed:  # else deleted since it was listed
                    found[f.path] = _record(kb, f, parsed[f.path])
                    cache.put(f, found[f.path])
        cache.save({f.path for f in files} if kinds is None else None)
    return Records([found[f.path] for f in files if f.path in found])


def _record(kb: KnowledgeBase, f: DocFile, parsed: ParsedFile) -> Record:
    from cxlib.model.schema_check import check_schema

    if parsed.data is None or parsed.problems:
        return Record(f.path, f.kind, None, False)
    declared = kb.config.custom_fields(f.kind)
    doc = check_schema(f.path, f.kind, parsed, False, declared)[0]
    return Record(f.path, f.kind, parsed.data, doc is not None)
