"""The stamp an index carries: cxlib's index format and the backend's version. An index with
any other stamp is rebuilt. Kept apart from the schema so checking it does not load the backend
(``import whoosh`` alone reads only its version)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import whoosh

# Bump when the schema, the manifest or what a record holds changes.
INDEX_FORMAT = 6  # 2: ids are words of ASCII digits only; 3: signatures hold the ctime; 4: links;
# 5: segments are not compound files; 6: the listing digest packs the signatures as integers
STAMP = f"cxlib-index-{INDEX_FORMAT}/whoosh-{'.'.join(map(str, whoosh.__version__))}"


def stamp(fields: Mapping[str, str]) -> str:
    """The stamp of an index that also holds ``fields`` (cxlib.toml's declared fields, name to
    type): another declaration is another schema, so the index is rebuilt."""
    if not fields:
        return STAMP
    declared = "\n".join(f"{name}\0{kind}" for name, kind in sorted(fields.items()))
    return f"{STAMP}/fields-{hashlib.blake2b(declared.encode(), digest_size=8).hexdigest()}"
