"""The link graph as text: a tree for people, Mermaid for GitHub and markdown, DOT for Graphviz.

Titles are user text: every format escapes them for its own syntax (Mermaid entity codes, DOT
string escapes), so a title with quotes, brackets, ``#``, ``;`` or ``<script>`` cannot break a
diagram or inject into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from cxlib.escape import terminal
from cxlib.model.graph import Edge, LinkGraph, Node

KIND_ORDER = {"insight": 0, "opportunity": 1, "experiment": 2, "": 3}

STYLES = {
    "insight": ("#e8f1fb", "#2f6db5", "#0b2545"),
    "opportunity": ("#fdf3e1", "#c07a12", "#3d2600"),
    "experiment": ("#e9f7ec", "#2e8b47", "#0d3318"),
    "missing": ("#fdecea", "#c0392b", "#5c1a12"),
}


def _order(graph: LinkGraph) -> list[Node]:
    return sorted(graph.nodes.values(), key=lambda n: (KIND_ORDER.get(n.kind, 3), n.id))


def _edges(graph: LinkGraph) -> list[Edge]:
    return sorted(graph.edges, key=lambda e: (not e.typed, e.upstream, e.downstream, e.relation))


def describe(node: Node) -> str:
    if not node.exists:
        return f"{node.id} (missing)"
    return f"{node.id} {node.title} [{node.kind} · {node.status}]"


# -- Mermaid ------------------------------------------------------------------------------
_MERMAID_SAFE = set(" .,-_/'?!+=()")


def mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid label: anything but letters, digits and plain punctuation as
    an entity code (``#34;``), which Mermaid decodes after parsing."""
    return "".join(ch if ch.isalnum() or ch in _MERMAID_SAFE else f"#{ord(ch)};" for ch in text)


def mermaid_id(doc_id: str) -> str:
    return "n_" + re.sub(r"[^A-Za-z0-9]", "_", doc_id)


def mermaid(graph: LinkGraph, root: str | None = None) -> str:
    """A ``flowchart LR`` in the loop's direction; body mentions dashed, missing ids red."""
    out = ["flowchart LR"]
    for kind, (fill, stroke, color) in STYLES.items():
        dash = ",stroke-dasharray:4 2" if kind == "missing" else ""
        out.append(f"  classDef {kind} fill:{fill},stroke:{stroke},color:{color}{dash}")
    out.append("  classDef focus stroke-width:3px")
    for node in _order(graph):
        if node.exists:
            text = mermaid_text(f"{node.id} · {node.title}") + "<br/>"
            text += mermaid_text(f"{node.kind} · {node.status}")
            css = node.kind
        else:
            text, css = mermaid_text(f"{node.id} (missing)"), "missing"
        out.append(f'  {mermaid_id(node.id)}["{text}"]:::{css}')
    for e in _edges(graph):
        arrow = "-->" if e.typed else "-.->"
        label = mermaid_text(e.relation)
        out.append(f'  {mermaid_id(e.upstream)} {arrow}|"{label}"| {mermaid_id(e.downstream)}')
    if root is not None and root in graph.nodes:
        out.append(f"  class {mermaid_id(root)} focus")
    return "\n".join(out) + "\n"


# -- DOT ------------------------------------------------------------------------------------
def dot_text(text: str) -> str:
    """A double-quoted DOT string (invisible characters shown, as in a terminal)."""
    escaped = terminal(text, newlines=True)
    escaped = escaped.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def dot(graph: LinkGraph, root: str | None = None) -> str:
    out = [
        "digraph cxlib {",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for node in _order(graph):
        fill, stroke, _ = STYLES[node.kind if node.exists else "missing"]
        if node.exists:
            label = f"{node.id}\n{node.title}\n{node.kind} · {node.status}"
        else:
            label = f"{node.id}\n(missing)"
        width = ", penwidth=3" if node.id == root else ""
        out.append(
            f'  {dot_text(node.id)} [label={dot_text(label)}, fillcolor="{fill}", '
            f'color="{stroke}"{width}];'
        )
    for e in _edges(graph):
        style = "" if e.typed else ", style=dashed"
        out.append(
            f"  {dot_text(e.upstream)} -> {dot_text(e.downstream)} "
            f"[label={dot_text(e.relation)}{style}];"
        )
    out.append("}")
    return "\n".join(out) + "\n"


# -- tree -------------------------------------------------------------------------------------
@dataclass
class TreeNode:
    label: str
    children: list[TreeNode]


def _child_label(graph: LinkGraph, e: Edge, other: str, down: bool) -> str:
    mark = "→" if down else "←"
    return f"{mark} {describe(graph.nodes[other])} ({e.relation})"


def _expand(
    graph: LinkGraph, node: str, down: bool, depth: int | None, path: set[str], shown: set[str]
) -> list[TreeNode]:
    if depth is not None and depth <= 0:
        return []
    edges = graph.downstream(node, True) if down else graph.upstream(node, True)
    out: list[TreeNode] = []
    for e in sorted(edges, key=lambda e: e.downstream if down else e.upstream):
        other = e.downstream if down else e.upstream
        label = _child_label(graph, e, other, down)
        if other in path:
            out.append(TreeNode(label + " (loop)", []))
            continue
        if other in shown:
            out.append(TreeNode(label + " (see above)", []))
            continue
        shown.add(other)
        below = None if depth is None else depth - 1
        out.append(TreeNode(label, _expand(graph, other, down, below, path | {other}, shown)))
    return out


def tree(graph: LinkGraph, root: str | None, depth: int | None) -> list[TreeNode]:
    """For one document: what it builds on (←) and what builds on it (→), ``depth`` levels
    each way. For the library: every chain from the documents that build on nothing, downstream
    (→); a document met twice is shown once and then referred to."""
    if root is not None:
        top = TreeNode(describe(graph.nodes[root]), [])
        top.children = _expand(graph, root, False, depth, {root}, set())
        top.children += _expand(graph, root, True, depth, {root}, set())
        return [top]
    shown: set[str] = set()
    roots: list[TreeNode] = []
    ordered = _order(graph)
    starts = [n for n in ordered if not graph.upstream(n.id, True)]
    for n in starts + ordered:
        if n.id in shown:
            continue
        shown.add(n.id)
        roots.append(TreeNode(describe(n), _expand(graph, n.id, True, depth, {n.id}, shown)))
    return roots


def tree_lines(nodes: list[TreeNode]) -> Iterator[str]:
    """The tree as plain text with box-drawing branches (for pipes and files)."""

    def walk(node: TreeNode, prefix: str, last: bool, top: bool) -> Iterator[str]:
        if top:
            yield node.label
            inner = ""
        else:
            yield prefix + ("└── " if last else "├── ") + node.label
            inner = prefix + ("    " if last else "│   ")
        for i, child in enumerate(node.children):
            yield from walk(child, inner, i == len(node.children) - 1, False)

    for n in nodes:
        yield from walk(n, "", True, True)
