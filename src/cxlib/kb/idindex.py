"""Every document's id as its file name gives it, kept in ``.cxlib/ids.json`` for the hook.

The pre-commit hook checks a few named files against every other document's id. Listing tens
of thousands of names on every commit would make the hook cost grow with the base, so the
listing is kept, with the stamp (modification time and inode) of every folder it read: adding,
removing or renaming a file changes its folder's stamp, and a name cannot change any other way.
While every stamp is unchanged, and each is safely older than the index (git's "racy clean"
rule, applied to folders), the names are the ones on disk: the hook stats a few folders and
reads one file.

An id must match its file name (``id-mismatch`` otherwise), so ids from names are the ids of a
valid base; where a front-matter id differs from its name the hook sees the name's, which is
that document's own error (README, "The pre-commit hook").
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path
from typing import Any

from cxlib import __version__
from cxlib.cachefile import cache_folder, dumps, make_folder, read_json, write_text
from cxlib.kb.files import folder_stamp, kind_of_path, scan
from cxlib.kb.tuning import CACHE_SHARDS
from cxlib.model.config import ProgramConfig
from cxlib.model.findings import Finding
from cxlib.model.library import DocRef
from cxlib.model.library_rules import id_key

NAME = "ids.json"  # the header: folder stamps, count, listing findings
SHARDS_DIR = "ids"  # the ids, spread over shard files: the hook reads only those it needs
FORMAT = 3  # 3: sharded
RACY_NS = 2_000_000_000


def _shard_of(key: str) -> int:
    return zlib.crc32(key.encode()) % CACHE_SHARDS


class IdIndex:
    """The documents' paths by the key of their file-name id (``""`` for names without one):
    paths alone, since the kind follows from the folder and the id from the name. Read from
    the cache shard by shard as keys are asked for; should a shard be missing or of another
    generation, the folders are listed after all, so an answer is never a partial one."""

    def __init__(
        self,
        total: int,
        listing: list[Finding],
        by_key: dict[str, list[str]] | None = None,
        cached: tuple[Path, ProgramConfig, int] | None = None,
    ) -> None:
        self.total = total  # documents in the base
        self.listing = listing  # what listing the folders found (symlinks, unreadable folders)
        self._by_key = by_key  # every key, when the folders were listed in this run
        self._cached = cached  # (root, config, generation) of a cached index read by shard
        self._shards: dict[int, dict[str, Any]] = {}

    def paths(self, key: str) -> list[str]:
        # Checked here, for the few keys a run asks for, rather than every entry at load time:
        # a damaged or planted index can at worst hide a duplicate, never crash the hook.
        found = self._entries(key).get(key, [])
        return [p for p in found if type(p) is str] if type(found) is list else []

    def _entries(self, key: str) -> dict[str, Any]:
        if self._by_key is not None:
            return self._by_key
        assert self._cached is not None
        root, config, generation = self._cached
        i = _shard_of(key)
        if i not in self._shards:
            raw = read_json(cache_folder(root) / SHARDS_DIR / f"{i:02d}.json")
            ids = raw.get("ids") if isinstance(raw, dict) else None
            if not isinstance(ids, dict) or raw.get("generation") != generation:
                listed = _listed(root, config)  # a shard of another run: list after all
                self._by_key, self.total, self.listing = (
                    listed._by_key,
                    listed.total,
                    listed.listing,
                )
                return self._by_key or {}
            self._shards[i] = ids
        return self._shards[i]

    def refs(self, key: str, config: ProgramConfig) -> list[DocRef]:
        """The documents whose file-name id has ``key``."""
        out = []
        for path in self.paths(key):
            kind = kind_of_path(path, config)
            if kind is not None:
                out.append(DocRef.from_name(path, kind))
        return out


def load(root: Path, config: ProgramConfig) -> IdIndex:
    """The id index: from the cache when no folder changed since it was written, else by
    listing the folders (and the cache is written anew)."""
    cached = _read(root, config)
    if cached is not None:
        return cached
    return _listed(root, config, write=True)


def _listed(root: Path, config: ProgramConfig, write: bool = False) -> IdIndex:
    started = time.time_ns()
    folders: dict[str, list[int]] = {}
    files, listing = scan(root, config, signatures=False, folders=folders)
    by_key: dict[str, list[str]] = {}
    for f in files:
        doc_id = DocRef.from_name(f.path, f.kind).id
        by_key.setdefault(id_key(doc_id) if doc_id else "", []).append(f.path)
    index = IdIndex(len(files), listing, by_key=by_key)
    if write:
        _write(root, config, index, by_key, folders, started)
    return index


def _key(config: ProgramConfig) -> str:
    kinds = ",".join(f"{k.value}={s.folder}" for k, s in sorted(config.kinds.items()))
    return f"{FORMAT}:{CACHE_SHARDS}:{__version__}:{kinds}"


def _read(root: Path, config: ProgramConfig) -> IdIndex | None:
    raw = read_json(cache_folder(root) / NAME)
    try:
        if raw["key"] != _key(config) or not _unchanged(root, raw["folders"], raw["written_ns"]):
            return None
        listing = [Finding.from_json(x) for x in raw["listing"]]
        return IdIndex(int(raw["total"]), listing, cached=(root, config, int(raw["written_ns"])))
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return None  # no index, another format, or damaged: list the folders


def _unchanged(root: Path, folders: dict[str, list[int]], written_ns: int) -> bool:
    for rel, stamp in folders.items():
        now = folder_stamp(root / rel)
        if now != stamp or now[0] + RACY_NS >= written_ns:
            return False
    return True


def _write(
    root: Path,
    config: ProgramConfig,
    index: IdIndex,
    by_key: dict[str, list[str]],
    folders: dict[str, list[int]],
    at: int,
) -> None:
    """The shards first, each marked with this run's generation (the time the listing began),
    then the header that names it: a reader never pairs a header with another run's shards."""
    top = cache_folder(root)
    shards_dir = top / SHARDS_DIR
    # make_folder refuses a link: the cache is never written through one.
    if not make_folder(top) or not make_folder(shards_dir):
        return
    shards: list[dict[str, list[str]]] = [{} for _ in range(CACHE_SHARDS)]
    for key, paths in by_key.items():
        shards[_shard_of(key)][key] = paths
    for i, ids in enumerate(shards):
        if not write_text(shards_dir / f"{i:02d}.json", dumps({"generation": at, "ids": ids})):
            return
    document: dict[str, Any] = {
        "key": _key(config),
        "written_ns": at,  # before listing: a change during the listing is newer
        "folders": folders,
        "total": index.total,
        "listing": [f.to_json() for f in index.listing],
    }
    write_text(top / NAME, dumps(document))
