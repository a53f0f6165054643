"""The scoring formula: what cxlib.toml may say, and what never becomes a priority."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, example_copy

from cxlib.model.scoring import compile_formula, priority


@pytest.mark.parametrize(
    "formula",
    [
        "-" * 5000 + "effort",  # would exhaust the recursion of a recursive evaluator
        " + ".join(["effort"] * 5000),
        "'text' * effort",
        "None + effort",
        "1j * effort",
        "True + effort",
        "-" * 100 + "effort",  # short, but deeper than any real formula
    ],
)
def test_a_formula_that_could_crash_later_is_refused_now(formula: str) -> None:
    with pytest.raises(ValueError):
        compile_formula(formula)


@pytest.mark.parametrize(
    "formula", ["(0 - effort) ** 0.5", "effort * 1e308 * 10", "9 ** 9 ** 9 * effort"]
)
def test_no_number_is_no_priority(formula: str) -> None:
    assert priority(compile_formula(formula), 3, 3, 2) is None


def test_the_named_formulas_still_score() -> None:
    assert priority(compile_formula("value-over-effort"), 4, 2, 2) == 3.0


def _base_with_formula(tmp_path: Path, formula: str) -> Path:

    base = tmp_path / "northwind"
    example_copy(base)
    config = base / "cxlib.toml"
    config.write_text(config.read_text().replace('formula = "value-over-effort"', formula))
    return base


def test_a_hostile_formula_is_a_config_error_for_every_command(tmp_path: Path) -> None:
    base = _base_with_formula(tmp_path, 'formula = "' + "-" * 5000 + 'effort"')
    for args in (["validate"], ["list"], ["report", "roadmap"]):
        result = cx("-C", base, *args)
        assert result.exit_code == 2, (args, result.output)
        assert "cxlib.toml" in result.stderr and "internal error" not in result.stderr


def test_a_deeply_nested_config_is_a_config_error(tmp_path: Path) -> None:
    base = _base_with_formula(tmp_path, 'formula = "value-over-effort"\ndeep = ' + "[" * 5000)
    result = cx("-C", base, "validate")
    assert result.exit_code == 2, result.output
    assert "invalid TOML" in result.stderr and "internal error" not in result.stderr
