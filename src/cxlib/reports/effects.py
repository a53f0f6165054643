"""The average effect of a test: the concluded experiments of one metric pooled by
:func:`cxlib.model.meta.pool`, each weighted by the interval it recorded.

Shared by ``report metrics`` (per metric, per stage or tag) and its driver ranking. A test's
standard error comes from ``result.interval`` at ``result.interval_level``, else at 1 - its
``alpha`` (0.05 when it gives none). Invalid results are not tests of anything and are left out
entirely; a concluded test without a usable interval (or effect) is counted and left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cxlib.model.config import Direction
from cxlib.model.documents import Experiment, Outcome
from cxlib.model.meta import pool, se_from_interval
from cxlib.reports.snapshot import CONCLUDED

ALPHA = 0.05  # when the experiment declares none (as cxlib.model.result_rules)

BETTER = "better"
WORSE = "worse"
UNCLEAR = "no clear change"  # the pooled interval holds 0


@dataclass
class Average:
    """What a typical test of one group moved its metric by, relative change in percent."""

    group: str  # the stage, tag or lever; "" for the metric as a whole
    tests: int  # pooled
    without_interval: int  # concluded, not invalid, left out for want of an interval
    estimate: float | None = None
    low: float | None = None
    high: float | None = None
    tau2: float | None = None
    i2: float | None = None  # 0..1; None for fewer than two tests
    reads: str = ""  # better, worse, no clear change (the metric's direction applied)
    experiments: list[str] = field(default_factory=list)  # the ids pooled


def pooled_test(e: Experiment) -> bool:
    """Whether ``e`` is a concluded test whose result counts: any outcome but invalid."""
    if e.status not in CONCLUDED or e.result is None or e.result.outcome is None:
        return False
    return e.result.outcome != Outcome.INVALID


def effect_and_se(e: Experiment) -> tuple[float, float] | None:
    """The test's effect and the standard error its interval implies, or None."""
    r = e.result
    if r is None or r.effect is None or r.interval is None:
        return None
    level = r.interval_level or 1 - (e.alpha if e.alpha is not None else ALPHA)
    se = se_from_interval(r.interval[0], r.interval[1], level)
    return None if se is None else (r.effect, se)


Pair = tuple[float, float]  # a test's effect and standard error


def average(
    group: str,
    tests: Iterable[Experiment],
    direction: Direction,
    known: Mapping[str, Pair | None] | None = None,
) -> Average:
    """The pooled effect of ``tests`` (each already a :func:`pooled_test`); ``known`` holds
    their :func:`effect_and_se` by id when a caller pools the same tests in many groups."""
    pairs: list[Pair] = []
    ids: list[str] = []
    missing = 0
    for e in tests:
        found = known[e.id] if known is not None else effect_and_se(e)
        if found is None:
            missing += 1
        else:
            pairs.append(found)
            ids.append(e.id)
    out = Average(group, len(pairs), missing, experiments=ids)
    p = pool(pairs)
    if p is None:
        return out
    out.estimate, out.low, out.high = round(p.estimate, 2), round(p.low, 2), round(p.high, 2)
    out.tau2 = None if p.k < 2 else round(p.tau2, 3)  # no spread between tests of one
    out.i2 = None if p.i2 is None else round(p.i2, 4)
    out.reads = reading(p.low, p.high, direction)
    return out


def reading(low: float, high: float, direction: Direction) -> str:
    """better or worse when the interval excludes 0 (for a ``down`` metric a fall is better)."""
    if low <= 0 <= high:
        return UNCLEAR
    rises = low > 0
    return BETTER if rises == (direction == Direction.UP) else WORSE


def gain(a: Average, direction: Direction) -> float:
    """The estimate turned so that larger is better, for ranking."""
    value = a.estimate or 0.0
    return value if direction == Direction.UP else -value


def interval_text(low: float | None, high: float | None) -> str:
    if low is None or high is None:
        return ""
    return f"[{low:+.2f}, {high:+.2f}]"


def i2_text(a: Average) -> str:
    return "" if a.i2 is None else f"{a.i2 * 100:.0f}%"


def average_cells(a: Average) -> list[str]:
    """tests, left out, average, interval, tau2, I2, reads."""
    return [
        str(a.tests),
        str(a.without_interval),
        "" if a.estimate is None else f"{a.estimate:+.2f}%",
        interval_text(a.low, a.high),
        "" if a.tau2 is None else f"{a.tau2:.3f}",
        i2_text(a),
        a.reads,
    ]
