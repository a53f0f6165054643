"""The status transitions each kind allows (PRODUCT.md's lifecycles, as a graph).

What a status *requires* (dates, outcome, learnings, evidence, scores) is checked by
:func:`cxlib.model.rules.check_lifecycle` on the would-be document; this table only says which
moves are allowed at all.
"""

from __future__ import annotations

from collections import deque

from cxlib.model.kinds import Kind

TRANSITIONS: dict[Kind, dict[str, tuple[str, ...]]] = {
    Kind.EXPERIMENT: {
        "draft": ("planned", "abandoned"),
        "planned": ("running", "draft", "abandoned"),
        "running": ("concluded", "abandoned"),
        "concluded": ("implemented", "abandoned"),
        "implemented": ("abandoned",),
        "abandoned": (),
    },
    Kind.INSIGHT: {
        "draft": ("validated", "rejected"),
        # New counter-evidence can overturn a validated insight.
        "validated": ("archived", "rejected"),
        "rejected": ("archived",),
        "archived": (),
    },
    Kind.OPPORTUNITY: {
        "idea": ("prioritized", "parked", "rejected"),
        "prioritized": ("in-progress", "idea", "parked", "rejected"),
        "in-progress": ("delivered", "parked"),
        "parked": ("idea", "prioritized", "rejected"),
        "delivered": (),
        "rejected": (),
    },
}


def statuses(kind: Kind) -> tuple[str, ...]:
    return tuple(TRANSITIONS[kind])


def allowed(kind: Kind, current: str, new: str) -> bool:
    return new in TRANSITIONS[kind].get(current, ())


def path_between(kind: Kind, current: str, new: str) -> list[str] | None:
    """The shortest chain of allowed moves from ``current`` to ``new`` (both included), or None."""
    graph = TRANSITIONS[kind]
    previous: dict[str, str | None] = {current: None}
    queue = deque([current])
    while queue:
        at = queue.popleft()
        if at == new:
            chain = [at]
            while (before := previous[chain[-1]]) is not None:
                chain.append(before)
            return chain[::-1]
        for nxt in graph.get(at, ()):
            if nxt not in previous:
                previous[nxt] = at
                queue.append(nxt)
    return None
