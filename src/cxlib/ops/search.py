"""``cxlib search``: ranked documents for a query, from an index brought up to date first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cxlib.index.service import DEFAULT_TIMEOUT
from cxlib.kb.files import listed_while
from cxlib.kb.store import KnowledgeBase
from cxlib.model.config import ProgramConfig
from cxlib.model.kinds import Kind

if TYPE_CHECKING:
    from cxlib.index.results import Hit
    from cxlib.index.service import Ahead, Parsed, Progress, SyncReport


@dataclass
class SearchResult:
    hits: list[Hit]
    report: SyncReport


def vocabulary(config: ProgramConfig) -> dict[str, set[str]]:
    """The values each enumerated field can take, so a misspelt one is an error, not silence."""
    from cxlib.model.documents import (
        Decision,
        ExperimentStatus,
        InsightStatus,
        InsightType,
        OpportunityStatus,
        Outcome,
        Source,
    )

    metrics = {m.id for m in config.metrics}
    return {
        "kind": {k.value for k in Kind},
        "status": {
            s.value for enum in (InsightStatus, OpportunityStatus, ExperimentStatus) for s in enum
        },
        "outcome": {o.value for o in Outcome},
        "decision": {d.value for d in Decision},
        "type": {t.value for t in InsightType},
        "source": {s.value for s in Source},
        "stage": {s.id for s in config.journey},
        "touchpoint": {t for s in config.journey for t in s.touchpoints},
        "team": {t.id for t in config.teams},
        "segment": {s.id for s in config.segments},
        "metric": metrics,
        "primary": metrics,
        **config.one_of_values(),  # cxlib.toml's one-of fields
    }


def search_documents(
    kb: KnowledgeBase,
    query: str,
    kind: Kind | None = None,
    limit: int = 20,
    timeout: float = DEFAULT_TIMEOUT,
    progress: Progress | None = None,
) -> SearchResult:
    """Ranked hits; the index is brought up to date (or built) first.

    The files are listed (see :func:`listed_while`) while the backend loads, the query is
    parsed and the index is searched as it stands; that answer is the one given when the
    listing shows the index was up to date (the usual case), else the search runs again on the
    updated index.
    """
    from cxlib.index import service
    from cxlib.ops.index import open_index

    kind_name = kind.value if kind else None

    def prepare() -> tuple[Parsed, Ahead[list[Hit]] | None]:
        parsed = _parse(kb.config, query)
        folders = [kb.folder(k) for k in kb.config.kinds]
        index = open_index(kb, timeout)
        return parsed, service.search_ahead(index, parsed, limit, kind_name, folders)

    files, (parsed, ahead) = listed_while(kb.root, kb.config, prepare)
    hits, report = service.search(
        open_index(kb, timeout, len(files)), files, parsed, limit, kind_name, progress, ahead
    )
    return SearchResult(hits, report)


def _parse(config: ProgramConfig, query: str) -> Parsed:
    from cxlib.index import service

    return service.parse(query, lambda: vocabulary(config), config.field_types())
