"""The speed devices, behind one seam: every threshold that trades set-up cost against work,
and the one process-wide setting the read path touches (the cyclic garbage collector), in a
context that restores it. The logic they speed up never mentions them.

Each threshold was measured on generated bases on a 2-CPU machine (``bench/``).
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Parse in worker processes from this many files to parse (below, starting the pool costs more
# than it saves).
PARSE_WORKERS_FROM = 800
# The files to parse are shared out in this many pieces per worker: small enough that the
# workers end together (with 4 pieces each, the last one often ran alone for most of a second on
# 10,000 files), large enough that handing them out costs nothing.
PARSE_CHUNKS_PER_WORKER = 32
# A full search-index build uses several processes from this many documents.
INDEX_WORKERS_FROM = 2000
# A full index build reads validate's parse cache from this many documents (cheaper than
# parsing each again).
INDEX_CACHE_FROM = 500
# Cache entries are spread over this many shard files, so one edit rewrites two small files and
# the hook reads one file of 1/64 of the entries.
CACHE_SHARDS = 64
# Memory per indexing process before whoosh spills a sorted run to disk (MiB).
INDEX_LIMIT_MB = 256


@contextmanager
def collector_paused() -> Iterator[None]:
    """Loading builds hundreds of thousands of small objects that live as long as the command;
    the cyclic collector would scan them again and again while they are built (measured: 40% of
    a warm run on 10,000 files). Pause it for the load and give it back as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def no_collection_at_exit() -> None:
    """Have the interpreter's final collection, as the process ends, look only at what the exit
    handlers registered after this one (which run before it) leave: everything alive at the end
    (the modules, the validation library's schemas) would otherwise be scanned once more, for
    nothing (20 to 40 ms of a search or a validate). For a command's process only: called by
    the command line's entry point before anything else registers an exit handler."""
    atexit.register(gc.freeze)
