"""``cxlib graph``: the link graph of the whole library, or of one document's neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass

from cxlib.errors import UsageError
from cxlib.kb.store import KnowledgeBase
from cxlib.model.graph import LinkGraph
from cxlib.ops.docs import load_library
from cxlib.ops.show import find

DEFAULT_DEPTH = 2


@dataclass
class GraphResult:
    graph: LinkGraph
    root: str | None  # the document asked about, or None for the whole library
    depth: int | None


def link_graph(
    kb: KnowledgeBase, doc_id: str | None = None, depth: int | None = None
) -> GraphResult:
    """The graph of every document and link, or the documents within ``depth`` links of
    ``doc_id`` (default 2)."""
    if depth is not None and depth < 0:
        raise UsageError("--depth must be 0 or more")
    library = load_library(kb)
    graph = LinkGraph.from_library(library)
    if doc_id is None:
        return GraphResult(graph, None, depth)
    d = find(library, doc_id)
    depth = DEFAULT_DEPTH if depth is None else depth
    return GraphResult(graph.neighbourhood(d.id or "", depth), d.id, depth)
