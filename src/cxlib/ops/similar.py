"""``cxlib similar``: "have we done this before?" — the documents most like one, or like a new
title before it is written."""

from __future__ import annotations

from dataclasses import dataclass

from cxlib.errors import CxError, UnknownIdError
from cxlib.index import service
from cxlib.index.results import Hit
from cxlib.index.service import DEFAULT_TIMEOUT, Progress, SyncReport
from cxlib.kb.store import KnowledgeBase
from cxlib.model.ids import ID_RE
from cxlib.ops.index import documents, open_index


@dataclass
class SimilarResult:
    id: str
    path: str
    hits: list[Hit]
    report: SyncReport


def similar_documents(
    kb: KnowledgeBase,
    doc_id: str,
    limit: int = 10,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> SimilarResult:
    """The documents most like ``doc_id``, best first (whoosh's more-like-this over the title,
    the hypothesis and the body)."""
    wanted = doc_id.strip().upper()
    if not ID_RE.match(wanted):
        raise UnknownIdError(f"invalid id {doc_id!r}", hint="ids look like EXP-0042")
    files = documents(kb)
    index = open_index(kb, timeout, len(files))
    (paths, hits), report = service.similar(index, files, wanted, limit, progress)
    if not paths:
        raise UnknownIdError(f"unknown id '{wanted}'", hint="see 'cxlib list'")
    return SimilarResult(wanted, paths[0], hits, report)


# A document scoring below this share of the best one is noise, not a "have we done this?".
RELEVANT_SHARE = 0.2


@dataclass
class SimilarNotice:
    hits: list[Hit]
    no_index: bool = False  # there is no usable index yet (nothing was built)
    problem: str | None = None  # why the index could not be asked


def similar_to_new(
    kb: KnowledgeBase, title: str, hypothesis: str = "", limit: int = 5
) -> SimilarNotice:
    """Earlier documents like one about to be created, from the index as it stands.

    Never builds or updates the index and never fails: without a usable index it says so.
    """
    texts = {"title": title, "hypothesis": hypothesis, "body": ""}
    try:
        hits = service.similar_to_text(open_index(kb), texts, limit)
    except CxError as e:
        return SimilarNotice([], problem=e.message)
    if hits is None:
        return SimilarNotice([], no_index=True)
    best = hits[0].score if hits else 0.0
    return SimilarNotice([h for h in hits if h.score >= best * RELEVANT_SHARE])
