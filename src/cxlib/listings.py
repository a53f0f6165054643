"""The digest of a listing of document files: every path and file signature in one value.

The search index's manifest keeps the digest of the listing its last update saw; a query whose
listing has the same digest (and no file new enough to be racy) needs no comparison file by
file. The child process that lists the files for a query computes the digest there, on the
other CPU, so the query needs neither the digest nor the decoded listing when nothing changed.

A top-level module because the knowledge base, which lists the files, and the index, which
may not import the knowledge-base layer, both use it.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Sequence
from operator import attrgetter

# The signature of a file, as listed and as recorded, in the order the listing digest takes it.
SIGNATURE = ("size", "mtime_ns", "inode", "ctime_ns")


def listing_digest(paths: Sequence[str], columns: Sequence[Sequence[int]]) -> str:
    """One digest of every file's path and signature: ``columns`` holds each field of
    :data:`SIGNATURE`, file by file, in the order of ``paths``, which is path order.

    The paths are hashed as text and each signature field as one column of 64-bit integers:
    formatting 40,000 numbers as text cost every search on 10,000 documents 10 ms.
    """
    h = hashlib.blake2b(digest_size=16)
    h.update("\0".join(paths).encode("utf-8", "surrogateescape"))
    for column in columns:
        try:
            packed = array("q", column).tobytes()
        except OverflowError:  # an inode number beyond 2**63: as text
            packed = " ".join(map(str, column)).encode()
        h.update(packed)
    return h.hexdigest()


def signature_columns(rows: Sequence[object]) -> list[list[int]]:
    """The :data:`SIGNATURE` columns of ``rows`` (listed files or recorded entries)."""
    return [list(map(attrgetter(name), rows)) for name in SIGNATURE]
