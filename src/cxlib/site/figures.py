"""The small drawings of a document page: an experiment's interval against zero, and the chain
of the feedback loop through a document as a nested list.

The interval chart holds no text (the values are written beside it, so they never shrink below
a readable size on a phone); its colours come from the stylesheet's classes, which follow the
light and dark schemes.
"""

from __future__ import annotations

from collections.abc import Callable

from cxlib.escape import html as esc

WIDTH, HEIGHT, PAD = 300, 40, 12


def interval_chart(low: float, high: float, effect: float | None) -> str:
    """The interval ``[low, high]`` (and the observed effect) on an axis through zero."""
    values = [low, high, 0.0] + ([effect] if effect is not None else [])
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    lo, hi = lo - span * 0.08, hi + span * 0.08

    def x(v: float) -> float:
        return round(PAD + (v - lo) / (hi - lo) * (WIDTH - 2 * PAD), 1)

    side = "above zero" if low > 0 else "below zero" if high < 0 else "across zero"
    label = f"Interval from {low:+g}% to {high:+g}%, {side}" + (
        f"; observed effect {effect:+g}%" if effect is not None else ""
    )
    mid = HEIGHT / 2
    parts = [
        f'<svg class="interval" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-label="{esc(label)}"><title>{esc(label)}</title>',
        f'<line class="iv-axis" x1="{PAD}" y1="{mid}" x2="{WIDTH - PAD}" y2="{mid}"/>',
        f'<line class="iv-zero" x1="{x(0)}" y1="4" x2="{x(0)}" y2="{HEIGHT - 4}"/>',
        f'<rect class="iv-range {_tone(low, high)}" x="{x(low)}" y="{mid - 6}" '
        f'width="{max(x(high) - x(low), 2)}" height="12" rx="3"/>',
    ]
    if effect is not None:
        parts.append(f'<circle class="iv-point" cx="{x(effect)}" cy="{mid}" r="5"/>')
    parts.append("</svg>")
    return "".join(parts)


def _tone(low: float, high: float) -> str:
    return "iv-up" if low > 0 else "iv-down" if high < 0 else "iv-flat"


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
