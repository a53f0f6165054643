"""Moving along a lifecycle: which moves are allowed, and the way from one status to another.

The moves themselves are data in :data:`cxlib.model.vocabulary.TRANSITIONS`; what a status
*requires* is :data:`cxlib.model.vocabulary.REQUIREMENTS`, checked by
:func:`cxlib.model.rules.check_lifecycle` on the would-be document.
"""

from __future__ import annotations

from collections import deque

from cxlib.model.kinds import Kind
from cxlib.model.vocabulary import TRANSITIONS
from cxlib.model.vocabulary import statuses as statuses


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


def move_hint(kind: Kind, current: str, new: str) -> str:
    """What to do instead of a move the lifecycle does not allow, read off the transitions:
    the way there step by step, else where ``current`` can go, else that it is final."""
    chain = path_between(kind, current, new)
    if chain:
        return "go step by step: " + " -> ".join(chain)
    moves = TRANSITIONS[kind].get(current, ())
    if moves:
        return f"from {current} an {kind.value} can move to: {', '.join(moves)}"
    return f"{current} is final for an {kind.value}; edit the file by hand if it is wrong"


def moves_table() -> str:
    """Every kind's moves, one status a line (``planned -> running | draft | abandoned``), as
    the status command's help lists them."""
    lines: list[str] = []
    for kind in (Kind.INSIGHT, Kind.OPPORTUNITY, Kind.EXPERIMENT):
        lines.append(f"{kind.value}:")
        for status, moves in TRANSITIONS[kind].items():
            lines.append(f"  {status} -> {' | '.join(moves) if moves else '(final)'}")
    return "\n".join(lines)
