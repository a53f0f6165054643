"""The library as a graph of typed links, with backlinks: what feeds a document and what builds
on it. Pure data, shared by ``show``, ``graph`` and the reports (e.g. loops that are not closed).

Edges keep the direction they are stored in (``source`` holds the link to ``target``) and also
expose the feedback loop's direction (``upstream`` → ``downstream``): an insight *feeds* the
opportunity that lists it, an experiment *supports* the insight that cites it as evidence.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from cxlib.model.kinds import Kind
from cxlib.model.library import Library
from cxlib.model.relations import MENTION, relation_of


@dataclass(frozen=True)
class Node:
    id: str
    kind: str  # "" when the id names no document (a broken link)
    title: str
    status: str
    path: str

    @property
    def exists(self) -> bool:
        return bool(self.kind)


@dataclass(frozen=True)
class Edge:
    source: str  # the document whose file holds the link
    target: str
    field: str  # front-matter field, or "body" for a [[wiki-link]]
    relation: str  # the label in the loop's direction (see model.relations), or "mentions"
    line: int

    @property
    def typed(self) -> bool:
        return self.field != "body"

    @property
    def upstream(self) -> str:
        """Where knowledge comes from: the linked-to document for a typed link."""
        return self.target if self.typed else self.source

    @property
    def downstream(self) -> str:
        return self.source if self.typed else self.target


@dataclass
class LinkGraph:
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    _index: dict[str, dict[str, list[Edge]]] | None = field(default=None, repr=False, compare=False)

    def _by(self, end: str) -> dict[str, list[Edge]]:
        """Edges grouped by one of their ends, built once (questions are asked per node)."""
        if self._index is None:
            self._index = {"source": {}, "target": {}, "upstream": {}, "downstream": {}}
            for e in self.edges:
                for name, groups in self._index.items():
                    groups.setdefault(getattr(e, name), []).append(e)
        return self._index[end]

    @classmethod
    def from_library(cls, library: Library) -> LinkGraph:
        """Every document, every typed link, and every body mention of a pair that no typed link
        already joins (in either direction), so a diagram does not draw the same pair twice."""
        g = cls()
        for d in library.docs:
            if d.id and d.id not in g.nodes:
                data = d.parsed.data or {}
                g.nodes[d.id] = Node(
                    d.id, d.kind.value, d.title, str(data.get("status", "")), d.path
                )
        typed: set[frozenset[str]] = set()
        seen: set[tuple[str, str, str]] = set()
        mentions = []
        for d in library.docs:
            for link in d.links():
                key = (link.source, link.target, link.field)
                if key in seen or link.source == link.target:
                    continue
                seen.add(key)
                if link.field == "body":
                    mentions.append(link)
                    continue
                relation = relation_of(d.kind, link.field)
                label = relation.flow if relation else link.field
                g.edges.append(Edge(link.source, link.target, link.field, label, link.line))
                typed.add(frozenset((link.source, link.target)))
        for link in mentions:
            if frozenset((link.source, link.target)) not in typed:
                g.edges.append(Edge(link.source, link.target, "body", MENTION, link.line))
        for e in g.edges:
            for end in (e.source, e.target):
                if end not in g.nodes:
                    g.nodes[end] = Node(end, "", "", "", "")
        return g

    # -- questions -------------------------------------------------------------------------
    def links(self, doc_id: str) -> list[Edge]:
        """Links stored in the document's own file."""
        return list(self._by("source").get(doc_id, []))

    def backlinks(self, doc_id: str) -> list[Edge]:
        """Links other documents store towards this one."""
        return list(self._by("target").get(doc_id, []))

    def downstream(self, doc_id: str, typed_only: bool = False) -> list[Edge]:
        """Edges to the documents that build on this one."""
        return [e for e in self._by("upstream").get(doc_id, []) if e.typed or not typed_only]

    def upstream(self, doc_id: str, typed_only: bool = False) -> list[Edge]:
        """Edges to the documents this one builds on."""
        return [e for e in self._by("downstream").get(doc_id, []) if e.typed or not typed_only]

    def of_kind(self, kind: Kind) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == kind.value]

    def neighbourhood(self, doc_id: str, depth: int) -> LinkGraph:
        """The documents within ``depth`` links of ``doc_id`` (either direction), and the edges
        among them."""
        distance = {doc_id: 0}
        queue = deque([doc_id])
        while queue:
            current = queue.popleft()
            if distance[current] >= depth:
                continue
            near = [e.target for e in self.links(current)]
            near += [e.source for e in self.backlinks(current)]
            for other in near:
                if other not in distance:
                    distance[other] = distance[current] + 1
                    queue.append(other)
        return self.subgraph(distance)

    def subgraph(self, ids: Iterable[str]) -> LinkGraph:
        keep = set(ids)
        return LinkGraph(
            nodes={k: v for k, v in self.nodes.items() if k in keep},
            edges=[e for e in self.edges if e.source in keep and e.target in keep],
        )

    def to_json(self) -> dict[str, object]:
        return {
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind or None,
                    "title": n.title,
                    "status": n.status,
                    "path": n.path or None,
                    "exists": n.exists,
                }
                for n in self.nodes.values()
            ],
            "edges": [
                {
                    "source": e.source,
                    "target": e.target,
                    "field": e.field,
                    "relation": e.relation,
                    "upstream": e.upstream,
                    "downstream": e.downstream,
                    "line": e.line,
                }
                for e in self.edges
            ],
        }
