"""The statistics an experiment's design and result need, with the standard library's exact
normal distribution (:class:`statistics.NormalDist`).

Sample size: a two-sided, pooled-variance two-proportion z-test without continuity correction,
for a relative minimum detectable effect, per variant; with k > 2 variants each treatment is
compared with the control at alpha / (k - 1) (Bonferroni).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

DEFAULT_ALPHA = 0.05
DEFAULT_POWER = 0.8


class StatsInputError(ValueError):
    """An input the formula cannot take, named with its bounds."""


@dataclass(frozen=True)
class SampleSize:
    baseline: float
    mde: float  # relative, percent
    alpha: float
    power: float
    variants: int
    per_variant: int
    total: int
    days: int | None = None  # with a daily traffic
    daily_traffic: int | None = None


def _check(name: str, value: float, low: float, high: float) -> None:
    if not (math.isfinite(value) and low < value < high):
        raise StatsInputError(
            f"{name} must be between {low:g} and {high:g} (exclusive), got {value:g}"
        )


def sample_size(
    baseline: float,
    mde: float,
    alpha: float = DEFAULT_ALPHA,
    power: float = DEFAULT_POWER,
    variants: int = 2,
    daily_traffic: int | None = None,
) -> SampleSize:
    """Visitors per variant to detect a relative change of ``mde`` percent on a conversion
    rate of ``baseline`` (a fraction), and the days ``daily_traffic`` visitors a day (all
    variants together) take to reach them."""
    _check("baseline", baseline, 0, 1)
    _check("alpha", alpha, 0, 1)
    _check("power", power, 0, 1)
    if not math.isfinite(mde) or mde == 0:
        raise StatsInputError(f"mde must be a relative change in percent other than 0, got {mde:g}")
    if variants < 2:
        raise StatsInputError(f"an experiment has at least 2 variants, got {variants}")
    treated = baseline * (1 + mde / 100)
    _check("baseline x (1 + mde / 100)", treated, 0, 1)
    z = NormalDist()
    z_alpha = z.inv_cdf(1 - alpha / (variants - 1) / 2)
    z_power = z.inv_cdf(power)
    pooled = (baseline + treated) / 2
    spread = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_power * math.sqrt(
        baseline * (1 - baseline) + treated * (1 - treated)
    )
    per_variant = math.ceil(spread**2 / (treated - baseline) ** 2)
    total = per_variant * variants
    days = None
    if daily_traffic is not None:
        if daily_traffic <= 0:
            raise StatsInputError(f"daily traffic must be positive, got {daily_traffic}")
        days = math.ceil(total / daily_traffic)
    return SampleSize(
        baseline, mde, alpha, power, variants, per_variant, total, days, daily_traffic
    )


def srm_p_value(observed: list[int], allocations: list[float]) -> float | None:
    """The p-value of a sample-ratio mismatch: Pearson's chi-square goodness of fit of the
    visitors each variant got against its allocation (percent). Exact for two variants
    (chi-square with one degree of freedom is a squared normal: ``erfc``); for more, scipy's
    chi-square when the optional ``cxlib[stats]`` extra is installed, else None."""
    total = sum(observed)
    if total == 0 or len(observed) != len(allocations) or len(observed) < 2:
        return None
    expected = [total * a / sum(allocations) for a in allocations]
    if any(e <= 0 for e in expected):
        return None
    chi2 = sum((o - e) ** 2 / e for o, e in zip(observed, expected, strict=True))
    if len(observed) == 2:
        return math.erfc(math.sqrt(chi2 / 2))
    try:
        from scipy.stats import chi2 as chi2_distribution  # the optional extra
    except ImportError:
        return None
    return float(chi2_distribution.sf(chi2, len(observed) - 1))


@dataclass(frozen=True)
class Comparison:
    """A treatment against the control, from the recorded counts."""

    name: str
    control_rate: float
    rate: float
    effect: float  # relative change, percent
    p_value: float  # two-sided, pooled two-proportion z-test
    interval: tuple[float, float]  # relative change, percent, at 1 - alpha (unpooled)
    alpha: float

    @property
    def significant(self) -> bool:
        return self.p_value < self.alpha


def compare_proportions(
    name: str,
    control: tuple[int, int],
    treatment: tuple[int, int],
    alpha: float = DEFAULT_ALPHA,
) -> Comparison | None:
    """``control`` and ``treatment`` as (visitors, conversions); None when a rate cannot be
    formed (no visitors, no conversions at all in the control)."""
    (n0, x0), (n1, x1) = control, treatment
    if n0 <= 0 or n1 <= 0 or x0 <= 0:
        return None
    p0, p1 = x0 / n0, x1 / n1
    pooled = (x0 + x1) / (n0 + n1)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n0 + 1 / n1))
    z = NormalDist()
    p_value = 1.0 if se_pooled == 0 else 2 * (1 - z.cdf(abs(p1 - p0) / se_pooled))
    se = math.sqrt(p0 * (1 - p0) / n0 + p1 * (1 - p1) / n1)
    half = z.inv_cdf(1 - alpha / 2) * se
    low, high = (p1 - p0 - half) / p0 * 100, (p1 - p0 + half) / p0 * 100
    return Comparison(name, p0, p1, (p1 - p0) / p0 * 100, p_value, (low, high), alpha)
