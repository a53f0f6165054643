"""``cxlib index``: build the search index, or bring it up to date with the working tree."""

from __future__ import annotations

import os

from cxlib.index.service import DEFAULT_TIMEOUT, Progress, SearchIndex, Source, SyncReport
from cxlib.kb import git
from cxlib.kb.files import DocFile, read_document, scan
from cxlib.kb.parse import MAX_FILE_BYTES, parse_bytes
from cxlib.kb.store import KnowledgeBase

# Below this many documents one process is quicker than starting workers (bench/bench_search.py).
PARALLEL_FROM = 2000


def open_index(kb: KnowledgeBase, timeout: float = DEFAULT_TIMEOUT) -> SearchIndex:
    """The knowledge base's index (under ``.cxlib/index/``), reading documents through ``kb``."""
    source = Source(
        read=lambda rel: read_document(kb.root, rel, MAX_FILE_BYTES),
        parse=parse_bytes,
        tracked=lambda rel: git.tracked_files(kb.root, rel),
    )
    return SearchIndex(kb.root, source, timeout)


def documents(kb: KnowledgeBase) -> list[DocFile]:
    return scan(kb.root, kb.config)[0]


def index_documents(
    kb: KnowledgeBase,
    rebuild: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
    procs: int | None = None,
    limitmb: int = 256,
) -> SyncReport:
    """Add, replace and remove what changed since the last update (everything with ``rebuild``)."""
    files = documents(kb)
    if procs is None:
        procs = min(os.cpu_count() or 1, 4) if len(files) >= PARALLEL_FROM else 1
    return open_index(kb, timeout).sync(
        files, rebuild=rebuild, progress=progress, procs=procs, limitmb=limitmb
    )
