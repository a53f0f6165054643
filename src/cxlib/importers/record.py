"""What the last import wrote into each field, so ``--update`` can tell a field the user edited
from one only the platform changed.

Per source, ``.cxlib/imports/<source>.json`` keeps, for every record imported, a digest of the
value each field the platform owns was given. On ``--update`` a field is rewritten only when the
document still holds that value; a field whose digest differs, or that has no digest (the record
was lost with the cache, or the base was cloned), counts as edited and is kept. The cache is
git-ignored: losing it loses no document, only the right to update silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from cxlib.cachefile import cache_folder, make_folder, read_json, write_text
from cxlib.importers.records import Incoming

FOLDER = "imports"
FORMAT = "cxlib-imports-1"


def _path(root: Path, source: str) -> Path:
    return cache_folder(root) / FOLDER / f"{source}.json"


def digest(value: Any) -> str:
    """A short digest of a front-matter value, dates as ISO text."""

    def plain(v: Any) -> Any:
        return v.isoformat() if isinstance(v, dt.date) else str(v)

    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=plain)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def hashes(incoming: Incoming) -> dict[str, str]:
    """The digests of the fields the source owns, as this import gives them."""
    return {k: digest(incoming.fields[k]) for k in incoming.owned if k in incoming.fields}


def load(root: Path, source: str) -> dict[str, dict[str, str]]:
    """The digests kept for ``source`` by record, or none when the file is missing or odd."""
    raw = read_json(_path(root, source))
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        return {}
    refs = raw.get("refs")
    if not isinstance(refs, dict):
        return {}
    return {
        ref: {k: v for k, v in fields.items() if isinstance(k, str) and isinstance(v, str)}
        for ref, fields in refs.items()
        if isinstance(ref, str) and isinstance(fields, dict)
    }


def save(root: Path, source: str, refs: dict[str, dict[str, str]]) -> bool:
    """Keep the digests; False when the cache folder cannot be written (no document is lost:
    a later ``--update`` then keeps those fields as if edited)."""
    folder = cache_folder(root)
    if not (make_folder(folder) and make_folder(folder / FOLDER)):
        return False
    text = json.dumps({"format": FORMAT, "refs": refs}, ensure_ascii=False, sort_keys=True)
    return write_text(_path(root, source), text)
