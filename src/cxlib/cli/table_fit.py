"""Fitting a table into a terminal's width: which columns to show and how wide each is.

A column whose every cell is one word (an id, a date, a number, a status, a metric such as
``conversion-rate``) is *atomic*: it is shown whole or not at all, since ``OPP-0`` / ``001`` or
``2026-11-`` / ``30`` on two lines reads as two values. A column of prose (a title) is shortened
with an ellipsis down to a floor. When even the floors do not fit, the least important column is
left out, and the caller says so: ``--wide`` shows every column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

# What rich's table draws around and between columns (no outer edge): " │ " between two.
GAP = 3
# A shortened prose column keeps at least this many characters (or its header's length).
TEXT_FLOOR = 24


@dataclass
class Fit:
    """The columns to show (in the caller's order), each one's width and whether it may be
    shortened; the columns left out, most important first."""

    columns: list[str]
    widths: list[int]
    shortened: list[bool]
    hidden: list[str] = field(default_factory=list)


def atomic(header: str, cells: Sequence[str]) -> bool:
    return all(" " not in c.strip() for c in cells)


def importance(columns: Sequence[str]) -> list[str]:
    """Columns from the most to the least important: the first (the id of a row), then a title,
    then the rest as the caller ordered them."""
    order = list(columns[:1])
    if "title" in columns[1:]:
        order.append("title")
    order += [c for c in columns[1:] if c != "title"]
    return order


def fit(
    columns: Sequence[str], rows: Sequence[Sequence[str]], width: int, wide: bool = False
) -> Fit:
    """Widths for ``columns`` so that a table of ``rows`` is at most ``width`` characters wide
    (``wide``: every column at its natural width, however wide that is)."""
    natural = [max([len(c), *(len(r[i]) for r in rows)]) for i, c in enumerate(columns)]
    whole = [atomic(c, [r[i] for r in rows]) for i, c in enumerate(columns)]
    floor = [
        n if whole[i] else min(n, max(TEXT_FLOOR, len(columns[i]))) for i, n in enumerate(natural)
    ]
    shown = list(columns)
    if not wide:
        for name in reversed(importance(columns)):
            if _needed([floor[columns.index(c)] for c in shown]) <= width or len(shown) == 1:
                break
            shown.remove(name)
    index = [columns.index(c) for c in shown]
    widths = [natural[i] for i in index]
    if not wide:
        widths = _share(widths, [floor[i] for i in index], [whole[i] for i in index], width)
    hidden = [c for c in importance(columns) if c not in shown]
    return Fit(
        shown,
        widths,
        [not whole[i] and widths[k] < natural[i] for k, i in enumerate(index)],
        hidden,
    )


def shorten(text: str, width: int) -> str:
    """``text`` in ``width`` characters: cut between words where that keeps most of it (a number
    cut in two reads as another number), and marked with an ellipsis."""
    if len(text) <= width:
        return text
    room = max(width - 1, 0)
    cut = text[:room]
    space = text.rfind(" ", 0, room + 1)
    # A number without the word after it ("660…" of "660 days") reads as a cut number.
    while space > room // 2:
        cut = text[:space].rstrip(" ,;:-")
        if not cut[-1:].isdigit():
            break
        space = text.rfind(" ", 0, space)
    return cut.rstrip(" ,;:-") + "…"


def _needed(widths: Sequence[int]) -> int:
    return sum(widths) + GAP * (len(widths) - 1)


def _share(natural: list[int], floor: list[int], whole: list[bool], width: int) -> list[int]:
    """Shorten the prose columns, the widest first, until the table fits (never below their
    floor); atomic columns keep their natural width."""
    widths = list(natural)
    excess = _needed(widths) - width
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if not whole[i] and w > floor[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: widths[i])
        others = [widths[i] for i in shrinkable if i != widest]
        # Down to the next widest prose column (or the floor) in one step, not one by one.
        target = max([floor[widest], *others, widths[widest] - excess])
        target = min(target, widths[widest] - 1)
        excess -= widths[widest] - target
        widths[widest] = target
    return widths
