"""The DerSimonian-Laird pooled effect, checked against a published worked example."""

from __future__ import annotations

import math

import pytest

from cxlib.model.meta import pool, se_from_interval, z_of

# metafor's dat.bcg (Colditz et al., "Efficacy of BCG vaccine in the prevention of tuberculosis",
# JAMA 271 (1994) 698-702): 13 trials as tpos, tneg, cpos, cneg.
BCG = [
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]


def _log_risk_ratios() -> list[tuple[float, float]]:
    """escalc(measure="RR"): yi = log risk ratio, vi = 1/a - 1/(a+b) + 1/c - 1/(c+d)."""
    out = []
    for a, b, c, d in BCG:
        yi = math.log((a / (a + b)) / (c / (c + d)))
        vi = 1 / a - 1 / (a + b) + 1 / c - 1 / (c + d)
        out.append((yi, math.sqrt(vi)))
    return out


def test_the_bcg_example_of_metafor() -> None:
    """The metafor package's check of rma(yi, vi, data=dat, method="DL") on dat.bcg against
    Stata's metan (tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r, "RE model w/ DL
    estimator, measure='RR'"): beta -0.7141, ci.lb -1.0644, ci.ub -0.3638, zval -3.9952,
    tau2 0.3088, I2 92.1173 (%); its fixed-effect fit of the same data gives QE 152.2330."""
    p = pool(_log_risk_ratios())
    assert p is not None
    assert p.k == 13
    assert round(p.estimate, 4) == -0.7141
    assert (round(p.low, 4), round(p.high, 4)) == (-1.0644, -0.3638)
    assert round(p.estimate / p.se, 4) == -3.9952
    assert round(p.tau2, 4) == 0.3088
    assert p.i2 is not None and round(p.i2 * 100, 4) == 92.1173
    assert round(p.q, 4) == 152.2330


def test_a_single_test_is_its_own_average() -> None:
    p = pool([(-2.1, 0.9694)])
    assert p is not None
    assert (p.estimate, p.tau2, p.i2) == (-2.1, 0.0, None)
    assert math.isclose(p.se, 0.9694)


def test_agreeing_tests_have_no_heterogeneity() -> None:
    # Two equal effects: Q = 0 < df, so tau2 = 0 and I2 = 0; the average is the common effect
    # with the standard error of the two together, 1 / sqrt(2) of one.
    p = pool([(1.0, 0.5), (1.0, 0.5)])
    assert p is not None
    assert (p.estimate, p.tau2, p.i2) == (1.0, 0.0, 0.0)
    assert math.isclose(p.se, 0.5 / math.sqrt(2))


def test_no_test_no_average() -> None:
    assert pool([]) is None


def test_standard_error_from_an_interval() -> None:
    # A 95% interval [-2.1, -0.1] is 2 x 1.95996 standard errors wide: se = 2.0 / 3.91993.
    assert z_of(0.95) == pytest.approx(1.959964, abs=1e-6)
    se = se_from_interval(-2.1, -0.1, 0.95)
    assert se == pytest.approx(0.510213, abs=1e-6)
    # A 90% interval of the same width means a larger standard error (z = 1.644854).
    assert se_from_interval(-2.1, -0.1, 0.90) == pytest.approx(2.0 / (2 * 1.644854), abs=1e-6)


@pytest.mark.parametrize(
    "low, high, level", [(1.0, 1.0, 0.95), (2.0, 1.0, 0.95), (0.0, 1.0, 0.0), (0.0, 1.0, 1.0)]
)
def test_an_unusable_interval_gives_no_standard_error(
    low: float, high: float, level: float
) -> None:
    assert se_from_interval(low, high, level) is None
