"""Results that cannot be true and decisions that contradict them, through the real CLI: the
cases an experimentation analyst tried, each now a located finding, and the lifecycle commands
refuse to write one."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import cx, snapshot

LOST = "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"


def _edit(base: Path, old: str, new: str) -> None:
    path = base / LOST
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _line(base: Path, start: str) -> int:
    """The 1-based line of the document that starts with ``start``."""
    lines = (base / LOST).read_text().splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(start))


def _findings(base: Path) -> dict[str, tuple[str, int]]:
    result = cx("validate", LOST, "--format", "json", cwd=base)
    return {f["code"]: (f["severity"], f["line"]) for f in result.json()["findings"]}


def test_a_won_test_whose_numbers_say_otherwise(base: Path) -> None:
    """won, effect -1.1 on an 'up' metric, p = 0.64, interval [3, 5]: everything wrong is said."""
    _edit(base, "  outcome: lost", "  outcome: won")
    _edit(base, "  p_value: 0.03", "  p_value: 0.64")
    _edit(base, "  interval: [-2.1, -0.1]", "  interval: [3, 5]")
    found = _findings(base)
    assert found["outcome-effect"] == ("error", _line(base, "  effect:"))
    assert found["interval-effect"] == ("error", _line(base, "  interval:"))
    assert found["p-value-interval"] == ("error", _line(base, "  p_value:"))


def test_a_loss_shipped_without_a_reason_is_an_error_until_one_is_given(base: Path) -> None:
    _edit(base, "decision: iterate", "decision: ship")
    assert _findings(base)["decision-outcome"] == ("error", _line(base, "decision:"))
    _edit(base, "decision: ship", "decision: ship\ndecision_rationale: legal requires the banner")
    assert "decision-outcome" not in _findings(base)


def test_status_refuses_to_make_a_loss_implemented(base: Path) -> None:
    before = snapshot(base)
    result = cx("-C", base, "status", "EXP-0003", "implemented")
    assert result.exit_code != 0, result.output
    assert "implemented-not-shipped" in result.output or "decision is iterate" in result.output
    assert snapshot(base) == before


def test_a_concluded_experiment_without_a_decision_is_pending(base: Path) -> None:
    _edit(base, "decision: iterate\n", "")
    assert _findings(base)["decision-pending"] == ("warning", _line(base, "status:"))


def test_a_split_that_is_not_the_planned_one_is_a_sample_ratio_mismatch(base: Path) -> None:
    assert "srm" not in _findings(base)  # 2,360,000 each on a planned 50 / 50
    _edit(base, "{name: control, sample_size: 2360000,", "{name: control, sample_size: 2350000,")
    assert _findings(base)["srm"] == ("error", _line(base, "  variants:"))
    result = cx("validate", LOST, cwd=base)
    assert "sample-ratio mismatch: 2,350,000 / 2,360,000 visitors against a planned 50% / 50%" in (
        result.stdout
    )


def test_set_refuses_records_that_break_the_result_rules(base: Path) -> None:
    before = snapshot(base)
    result = cx("-C", base, "set", "EXP-0003", "variants=[{name: control, allocation: 50}]")
    assert result.exit_code == 2
    assert "result variant 'threshold-banner' is not one of the variants (control)" in (
        result.stderr
    )
    assert snapshot(base) == before
