"""``cxlib stats sample-size``: the visitors a conversion-rate test needs, against published
figures, and every input it cannot take refused with exit 2."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests.conftest import cx

from cxlib.model.stats import StatsInputError, sample_size, srm_p_value


def test_the_textbook_figure() -> None:
    # 10% -> 12% at alpha 0.05 (two-sided), power 0.8, no continuity correction: 3,841 a group
    # (Fleiss, "Statistical Methods for Rates and Proportions", the uncorrected formula).
    assert sample_size(0.10, 20).per_variant == 3841


def test_the_r_reference_example() -> None:
    # R's stats::power.prop.test, the example of its documentation:
    # power.prop.test(p1 = .50, p2 = .75, power = .90) gives n = 76.65 per group (the same
    # pooled two-sided formula); 0.50 -> 0.75 is a relative MDE of 50%.
    assert sample_size(0.50, 50, power=0.9).per_variant == 77


def test_the_issue_example_and_its_days() -> None:
    size = sample_size(0.032, 5, daily_traffic=20_000)
    assert 194_000 < size.per_variant < 195_000
    assert size.total == 2 * size.per_variant
    assert size.days == math.ceil(size.total / 20_000)


def test_more_variants_need_more_visitors_each() -> None:
    """Bonferroni: each of k - 1 comparisons at alpha / (k - 1)."""
    two, three = sample_size(0.032, 5), sample_size(0.032, 5, variants=3)
    assert three.per_variant > two.per_variant
    assert three.per_variant == sample_size(0.032, 5, alpha=0.025).per_variant


def test_a_smaller_effect_needs_more_visitors() -> None:
    assert sample_size(0.032, 2).per_variant > sample_size(0.032, 5).per_variant
    assert sample_size(0.032, -5).per_variant > 0  # a drop is detected as well


@pytest.mark.parametrize(
    "kwargs",
    [
        {"baseline": 0, "mde": 5},
        {"baseline": 1.5, "mde": 5},
        {"baseline": math.nan, "mde": 5},
        {"baseline": 0.032, "mde": 0},
        {"baseline": 0.032, "mde": math.inf},
        {"baseline": 0.9, "mde": 20},  # the treated rate would pass 100%
        {"baseline": 0.032, "mde": 5, "alpha": 1},
        {"baseline": 0.032, "mde": 5, "power": 0},
        {"baseline": 0.032, "mde": 5, "variants": 1},
        {"baseline": 0.032, "mde": 5, "daily_traffic": 0},
    ],
)
def test_inputs_it_cannot_take_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(StatsInputError):
        sample_size(**kwargs)  # type: ignore[arg-type]


def test_the_command_as_json_and_text() -> None:
    args = ("stats", "sample-size", "--baseline", "0.032", "--mde", "5")
    data = json.loads(cx(*args, "--format", "json").stdout)
    assert data["per_variant"] == sample_size(0.032, 5).per_variant
    text = cx(*args, "--daily-traffic", "20000").stdout
    assert "visitors per variant" in text and "days at 20,000 visitors a day" in text


@pytest.mark.parametrize(
    "args", [("--baseline", "1.5", "--mde", "5"), ("--baseline", "0.03", "--mde", "nan")]
)
def test_the_command_refuses_bad_input_with_exit_2(args: tuple[str, ...]) -> None:
    result = cx("stats", "sample-size", *args)
    assert result.exit_code == 2, result.output
    assert "error:" in result.stderr and "Traceback" not in result.output


def test_the_sample_ratio_mismatch_p_value() -> None:
    # 50,500 / 49,500 on a planned 50 / 50: chi-square 10, p = erfc(sqrt(5)) = 0.00157.
    p = srm_p_value([50_500, 49_500], [50, 50])
    assert p is not None and abs(p - math.erfc(math.sqrt(5))) < 1e-12
    assert abs(p - 0.0015654) < 1e-6
    assert srm_p_value([50_000, 50_000], [50, 50]) == 1.0
    # a planned 90 / 10 split observed as planned is no mismatch
    assert (srm_p_value([9_000, 1_000], [90, 10]) or 0) > 0.99
    assert srm_p_value([0, 0], [50, 50]) is None


EXP = "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"


def _check(base: Path, *args: str) -> tuple[int, str]:
    result = cx("-C", base, "stats", "check", "EXP-0003", *args)
    return result.exit_code, result.stdout + result.stderr


def _edit(base: Path, old: str, new: str) -> None:
    path = base / EXP
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_check_recomputes_the_record_from_its_counts(base: Path) -> None:
    code, out = _check(base)
    assert code == 0, out
    assert "threshold-banner vs control: 3.1648% vs 3.2000%\n" in out
    assert "effect -1.10% [-2.09%, -0.11%]" in out
    assert max(len(line) for line in out.splitlines()) <= 80  # whole on a terminal of 80
    assert "p = 0.0293: significant at alpha 0.05" in out
    assert "traffic split: chi-square p = 1: split as planned" in out
    data = json.loads(cx("-C", base, "stats", "check", "EXP-0003", "--format", "json").stdout)
    assert data["consistent"] is True and data["comparisons"][0]["significant"] is True


def test_check_says_where_the_record_and_its_counts_disagree(base: Path) -> None:
    # Counts a twentieth of the size: the same rates are no longer significant.
    _edit(
        base,
        "{name: control, sample_size: 2360000, conversions: 75520}",
        "{name: control, sample_size: 118000, conversions: 3776}",
    )
    _edit(
        base,
        "{name: threshold-banner, sample_size: 2360000, conversions: 74689}",
        "{name: threshold-banner, sample_size: 118000, conversions: 3734}",
    )
    code, out = _check(base)
    assert code == 1, out
    assert "disagrees: the record says significant (p 0.03), the counts p = 0.6" in out


def test_check_reports_a_sample_ratio_mismatch(base: Path) -> None:
    _edit(base, "{name: control, sample_size: 2360000,", "{name: control, sample_size: 2350000,")
    code, out = _check(base)
    assert code == 1 and "sample-ratio mismatch" in out and "[srm]" in out


def test_check_stays_quiet_on_a_split_within_chance(base: Path) -> None:
    # 50,150 / 49,850 on a planned 50 / 50: chi-square 0.9, p = erfc(sqrt(0.45)) = 0.343.
    _edit(
        base,
        "{name: control, sample_size: 2360000, conversions: 75520}",
        "{name: control, sample_size: 50150, conversions: 1605}",
    )
    _edit(
        base,
        "{name: threshold-banner, sample_size: 2360000, conversions: 74689}",
        "{name: threshold-banner, sample_size: 49850, conversions: 1578}",
    )
    _, out = _check(base)
    assert "traffic split: chi-square p = 0.343: split as planned" in out
    assert "[srm]" not in out and "mismatch" not in out


def test_check_refuses_what_is_not_an_experiment(base: Path) -> None:
    result = cx("-C", base, "stats", "check", "INS-0001")
    assert result.exit_code == 2 and "stats check reads experiments" in result.stderr
    assert cx("-C", base, "stats", "check", "EXP-9999").exit_code == 2


def test_new_experiment_offers_the_sample_size_of_its_design(kb: Path) -> None:
    made = cx(
        "-C",
        kb,
        "new",
        "experiment",
        "Badge",
        "--no-input",
        "--set",
        "baseline=0.032",
        "--set",
        "mde=5",
        "--format",
        "json",
    )
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["id"] == "EXP-0001"  # stdout stays clean JSON
    assert "this design needs 194,530 visitors per variant" in made.stderr
    assert "cxlib set EXP-0001 planned_sample_size=194530" in made.stderr
    plain = cx("-C", kb, "new", "experiment", "Other", "--no-input", "--set", "baseline=0.032")
    assert plain.exit_code == 0 and "visitors per variant" not in plain.stderr
