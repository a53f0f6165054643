"""``cxlib similar``: "have we done this before?" — the documents most like one, or like a new
title before it is written."""

from __future__ import annotations

from dataclasses import dataclass

from cxlib.errors import CxError, UnknownIdError
from cxlib.index import service
from cxlib.index.results import Hit
from cxlib.index.service import DEFAULT_TIMEOUT, Progress, SyncReport
from cxlib.kb.files import listed_while
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
    files, _ = listed_while(kb.root, kb.config, service.load_backend)
    index = open_index(kb, timeout, len(files))
    (paths, hits), report = service.similar(index, files, wanted, limit, progress)
    if not paths:
        raise UnknownIdError(f"unknown id '{wanted}'", hint="see 'cxlib list'")
    return SimilarResult(wanted, paths[0], hits, report)


# A document scoring below this share of the best one is noise, not a "have we done this?".
RELEVANT_SHARE = 0.2
# How long ``new`` waits for another process's index update before answering without it: the
# notice is a courtesy and must not hold up the document being written.
NOTICE_TIMEOUT = 1.0


@dataclass
class SimilarNotice:
    hits: list[Hit]
    problem: str | None = None  # why the index could not be brought up to date
    report: SyncReport | None = None  # what bringing it up to date did


def similar_to_new(
    kb: KnowledgeBase,
    title: str,
    hypothesis: str = "",
    limit: int = 5,
    timeout: float = NOTICE_TIMEOUT,
    progress: Progress | None = None,
) -> SimilarNotice:
    """Earlier documents like one about to be created, with their current statuses: the index
    is brought up to date first (incrementally; built when there is none).

    Never fails: when the index cannot be updated (a read-only cache folder, a busy lock), the
    reason is in ``problem`` and the index as it stands answers, if there is one.
    """
    texts = {"title": title, "hypothesis": hypothesis, "body": ""}
    files = documents(kb)
    try:
        index = open_index(kb, timeout, len(files))
        hits, report = index.read(files, lambda r: r.similar(texts, limit), progress)
    except CxError as e:
        return SimilarNotice(_relevant(_as_it_stands(kb, texts, limit)), problem=e.message)
    return SimilarNotice(_relevant(hits), report=report)


def _as_it_stands(kb: KnowledgeBase, texts: dict[str, str], limit: int) -> list[Hit]:
    try:
        return service.similar_to_text(open_index(kb), texts, limit) or []
    except CxError:
        return []


def _relevant(hits: list[Hit]) -> list[Hit]:
    best = hits[0].score if hits else 0.0
    return [h for h in hits if h.score >= best * RELEVANT_SHARE]
