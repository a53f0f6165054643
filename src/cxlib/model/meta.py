"""Random-effects meta-analysis (DerSimonian-Laird) of the effects of several tests.

Pure arithmetic on (effect, standard error) pairs: no documents, no config. The reports read a
test's standard error from its recorded interval (:func:`se_from_interval`) and pool the tests of
one metric (:func:`pool`).

The model (DerSimonian & Laird 1986): each test i observes y_i = mu + u_i + e_i, with its own
sampling error e_i of variance v_i = se_i^2 and a true effect that varies between tests by u_i
of variance tau^2. With fixed-effect weights w_i = 1 / v_i, Q = sum w_i (y_i - y_w)^2 and
C = sum w_i - sum w_i^2 / sum w_i, tau^2 = max(0, (Q - (k - 1)) / C); the pooled effect is the
mean weighted by w*_i = 1 / (v_i + tau^2), its standard error 1 / sqrt(sum w*_i), and
I^2 = max(0, (Q - (k - 1)) / Q), the share of the spread not due to chance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

LEVEL = 0.95  # the pooled interval's level


@dataclass(frozen=True)
class Pooled:
    """The pooled effect of ``k`` tests, in the unit of their effects."""

    k: int
    estimate: float
    se: float
    low: float
    high: float
    tau2: float  # the variance of the true effects between tests
    i2: float | None  # share of the spread beyond chance, 0..1; None for a single test
    q: float  # Cochran's Q
    level: float


@lru_cache(maxsize=64)  # a library uses a level or two; the quantile is the costly part
def z_of(level: float) -> float:
    """The two-sided normal quantile of a ``level`` interval (1.96 for 0.95)."""
    return NormalDist().inv_cdf((1 + level) / 2)


def se_from_interval(low: float, high: float, level: float) -> float | None:
    """The standard error a symmetric normal interval ``[low, high]`` at ``level`` implies;
    None for an empty or reversed interval, or a level outside (0, 1)."""
    if not 0 < level < 1 or not high > low:
        return None
    se = (high - low) / (2 * z_of(level))
    return se if math.isfinite(se) and se > 0 else None


def pool(tests: Sequence[tuple[float, float]], level: float = LEVEL) -> Pooled | None:
    """The DerSimonian-Laird pooled effect of ``tests`` as (effect, standard error) pairs;
    None for no test. Every standard error must be positive (see :func:`se_from_interval`)."""
    k = len(tests)
    if k == 0:
        return None
    w = [1 / (se * se) for _, se in tests]
    sw = math.fsum(w)
    fixed = math.fsum(wi * y for wi, (y, _) in zip(w, tests, strict=True)) / sw
    q = math.fsum(wi * (y - fixed) ** 2 for wi, (y, _) in zip(w, tests, strict=True))
    df = k - 1
    c = sw - math.fsum(wi * wi for wi in w) / sw
    tau2 = max(0.0, (q - df) / c) if c > 0 else 0.0
    star = [1 / (se * se + tau2) for _, se in tests]
    total = math.fsum(star)
    estimate = math.fsum(wi * y for wi, (y, _) in zip(star, tests, strict=True)) / total
    se = 1 / math.sqrt(total)
    half = z_of(level) * se
    i2 = None if df == 0 else (max(0.0, (q - df) / q) if q > 0 else 0.0)
    return Pooled(k, estimate, se, estimate - half, estimate + half, tau2, i2, q, level)
