"""The small drawings of a document page: the chain of the feedback loop through a document as
a nested list (an experiment's interval against zero is :mod:`cxlib.reports.interval`'s)."""

from __future__ import annotations

from collections.abc import Callable

Node = Callable[[str], str]  # an id's list item text (HTML)
CHAIN_DEPTH = 3  # steps the chain shows before and after its document


def chain(
    doc_id: str,
    before: Callable[[str], list[str]],
    after: Callable[[str], list[str]],
    item: Node,
    rank: Callable[[str], tuple[int, str]],
    depth: int = CHAIN_DEPTH,
    width: int = 12,
) -> str:
    """The chain through ``doc_id`` as nested lists: from the earliest documents it comes from
    (``depth`` steps back at most), forward through it to what followed (``depth`` steps);
    ``width`` entries a level at most, the rest counted; ``rank`` orders siblings."""
    ancestors = reach(doc_id, before, depth)
    roots = [a for a in sorted(ancestors) if not (set(before(a)) & ancestors)] or [doc_id]
    following = reach(doc_id, after, depth)
    on_path = ancestors | following | {doc_id}
    seen: set[str] = set()

    def tree(node: str, level: int) -> str:
        seen.add(node)
        mark = ' class="here" aria-current="true"' if node == doc_id else ""
        items: list[str] = []
        hidden = 0
        if level < 2 * depth:
            # Each document once, under the first parent that reaches it: kinds in the loop's
            # order, so an opportunity sits between its insight and its experiment.
            for kid in sorted((k for k in after(node) if k in on_path), key=rank):
                if kid in seen:
                    continue
                if len(items) == width:
                    hidden += 1
                    continue
                items.append(tree(kid, level + 1))
        more = f"<li>… and {hidden} more</li>" if hidden else ""
        inner = f"<ul>{''.join(items)}{more}</ul>" if items else ""
        return f"<li{mark}>{item(node)}{inner}</li>"

    return '<ul class="chain">' + "".join(tree(r, 0) for r in roots[:width]) + "</ul>"


def reach(start: str, step: Callable[[str], list[str]], depth: int) -> set[str]:
    """The documents at most ``depth`` steps from ``start``, ``start`` itself left out."""
    found: set[str] = set()
    frontier = [start]
    for _ in range(depth):
        frontier = [n for f in frontier for n in step(f) if n not in found and n != start]
        found.update(frontier)
        if not frontier:
            break
    return found
