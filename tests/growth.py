"""How a scan's time grows with its input: the linearity checks of the hardening tests.

Eight times the input takes about eight times as long for a linear scan and sixty-four times
for a quadratic one; a limit between the two (24) leaves room for a noisy machine both ways,
where twice the input (limit 3) did not: one busy moment made a linear scan read as 3.06.
"""

from __future__ import annotations

import time
from collections.abc import Callable

SMALL, LARGE = 250_000, 2_000_000  # bytes (about): LARGE is 8 x SMALL
LINEAR_LIMIT = 24  # LARGE's time / SMALL's below this: linear (8), not quadratic (64)


def best_times(work: Callable[[bytes], object], small: bytes, large: bytes) -> tuple[float, float]:
    """The best of five times of ``work`` on each input, the two interleaved so that a busy
    moment does not count against one of them."""
    best = [float("inf"), float("inf")]
    for _ in range(5):
        for i, data in enumerate((small, large)):
            start = time.perf_counter()
            work(data)
            best[i] = min(best[i], time.perf_counter() - start)
    return best[0], best[1]


def grows_linearly(one: float, eight: float) -> bool:
    """Whether eight times the input took ``eight`` seconds where the input took ``one``: tiny
    times are all noise, so only a measurable one can show a growth rate."""
    return eight < 0.05 or eight / one < LINEAR_LIMIT
