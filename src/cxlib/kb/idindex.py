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
from pathlib import Path
from typing import Any, NamedTuple

from cxlib import __version__
from cxlib.cachefile import cache_folder, dumps, make_folder, read_json, write_text
from cxlib.kb.files import folder_stamp, kind_of_path, scan
from cxlib.model.config import ProgramConfig
from cxlib.model.findings import Finding
from cxlib.model.library import DocRef
from cxlib.model.library_rules import id_key

NAME = "ids.json"
FORMAT = 2  # 2: paths only
RACY_NS = 2_000_000_000


class IdIndex(NamedTuple):
    """The documents' paths by the key of their file-name id (``""`` for names without one):
    paths alone, since the kind follows from the folder and the id from the name."""

    by_key: dict[str, list[str]]
    total: int  # documents in the base
    listing: list[Finding]  # what listing the folders found (symlinks, unreadable folders)

    def paths(self, key: str) -> list[str]:
        # Checked here, for the few keys a run asks for, rather than every entry at load time:
        # a damaged or planted index can at worst hide a duplicate, never crash the hook.
        found = self.by_key.get(key, [])
        return [p for p in found if type(p) is str] if type(found) is list else []

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
    started = time.time_ns()
    folders: dict[str, list[int]] = {}
    files, listing = scan(root, config, signatures=False, folders=folders)
    index = IdIndex({}, len(files), listing)
    for f in files:
        doc_id = DocRef.from_name(f.path, f.kind).id
        index.by_key.setdefault(id_key(doc_id) if doc_id else "", []).append(f.path)
    _write(root, config, index, folders, started)
    return index


def _key(config: ProgramConfig) -> str:
    kinds = ",".join(f"{k.value}={s.folder}" for k, s in sorted(config.kinds.items()))
    return f"{FORMAT}:{__version__}:{kinds}"


def _read(root: Path, config: ProgramConfig) -> IdIndex | None:
    raw = read_json(cache_folder(root) / NAME)
    try:
        if raw["key"] != _key(config) or not _unchanged(root, raw["folders"], raw["written_ns"]):
            return None
        by_key = raw["ids"]
        if type(by_key) is not dict:
            return None  # not one this version wrote
        listing = [Finding.from_json(x) for x in raw["listing"]]
        return IdIndex(by_key, int(raw["total"]), listing)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return None  # no index, another format, or damaged: list the folders


def _unchanged(root: Path, folders: dict[str, list[int]], written_ns: int) -> bool:
    for rel, stamp in folders.items():
        now = folder_stamp(root / rel)
        if now != stamp or now[0] + RACY_NS >= written_ns:
            return False
    return True


def _write(
    root: Path, config: ProgramConfig, index: IdIndex, folders: dict[str, list[int]], at: int
) -> None:
    top = cache_folder(root)
    if top.is_symlink() or not make_folder(top):
        return
    document: dict[str, Any] = {
        "key": _key(config),
        "written_ns": at,  # before listing: a change during the listing is newer
        "folders": folders,
        "total": index.total,
        "ids": index.by_key,
        "listing": [f.to_json() for f in index.listing],
    }
    write_text(top / NAME, dumps(document))
