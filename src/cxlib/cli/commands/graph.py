from __future__ import annotations

import enum
from typing import Annotated

import typer

from cxlib.cli.state import state

NAME = "graph"


class GraphFormat(enum.StrEnum):
    TREE = "tree"
    MERMAID = "mermaid"
    DOT = "dot"
    JSON = "json"


def command(
    ctx: typer.Context,
    doc_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="One document's neighbourhood (default: everything)."),
    ] = None,
    depth: Annotated[
        int | None,
        typer.Option(
            help="Links to follow from ID (default 2); for the whole library, tree depth."
        ),
    ] = None,
    format: Annotated[
        GraphFormat,
        typer.Option(
            "--format", "-f", help="tree (terminal), mermaid (GitHub, markdown), dot, json."
        ),
    ] = GraphFormat.TREE,
) -> None:
    """Show the feedback loop as a graph.

    Show the feedback loop as a graph: insights feed opportunities, opportunities are tested
    by experiments, experiments support or contradict insights and are followed up. Mermaid
    output pastes into a GitHub comment or a markdown file; dot feeds Graphviz.

    Example: cxlib graph EXP-0003 --depth 2 --format mermaid
    """
    from cxlib.cli import graph_view
    from cxlib.escape import terminal
    from cxlib.ops.graph import link_graph

    st = state(ctx)
    result = link_graph(st.open(), doc_id, depth)
    out = st.output
    if format == GraphFormat.JSON:
        out.json({"root": result.root, "depth": result.depth, **result.graph.to_json()})
    elif format == GraphFormat.MERMAID:
        out.stdout.write(graph_view.mermaid(result.graph, result.root))
    elif format == GraphFormat.DOT:
        out.stdout.write(graph_view.dot(result.graph, result.root))
    else:
        nodes = graph_view.tree(result.graph, result.root, result.depth)
        if out.stdout.isatty():
            from rich.text import Text
            from rich.tree import Tree

            def build(parent: Tree, node: graph_view.TreeNode) -> None:
                for child in node.children:
                    build(parent.add(Text(terminal(child.label))), child)

            console = out.console(out.stdout)
            for n in nodes:
                top = Tree(Text(terminal(n.label), style="bold"))
                build(top, n)
                console.print(top)
        else:
            for line in graph_view.tree_lines(nodes):
                out.line(line)
