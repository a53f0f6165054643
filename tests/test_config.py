"""cxlib.toml: a bad config is one clear error naming the key and line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx

from cxlib.model.scoring import compile_formula, priority


def _replace(kb: Path, old: str, new: str) -> None:
    path = kb / "cxlib.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    "old, new, expected",
    [
        (
            'north_star = "repeat-purchase-rate"',
            'north_star = "happiness"',
            "program.north_star: 'happiness' is not a metric",
        ),
        ('kind = "experience"', 'kind = "vibes"', "cxlib.toml:"),
        ('kind = "experience"', 'kind = "vibes"', "metrics.7.kind: Input should be 'business'"),
        (
            "stale_after_days = 30",
            'stale_after_days = "soon"',
            "cxlib.toml:8: program.stale_after_days",
        ),
        (
            'formula = "value-over-effort"',
            "formula = \"__import__('os')\"",
            "cxlib.toml:13: scoring.formula: only + - * / ** and numbers are allowed",
        ),
        ("[program]", "[program\n", "invalid TOML"),
        (
            'name = "Customer experience program"',
            'name = "x"\ncolour = "blue"',
            "program.colour: Extra inputs are not permitted",
        ),
    ],
)
def test_bad_config_is_one_located_error(kb: Path, old: str, new: str, expected: str) -> None:
    _replace(kb, old, new)
    result = cx("-C", kb, "validate")
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert "Traceback" not in result.output
    assert result.stderr.count("error:") == 1


def test_line_of_the_nth_array_table_entry(kb: Path) -> None:
    _replace(kb, 'kind = "experience"', 'kind = "vibes"')
    text = (kb / "cxlib.toml").read_text().splitlines()
    result = cx("-C", kb, "validate")
    line = int(result.stderr.split("cxlib.toml:")[1].split(":")[0])
    assert text[line - 1] == 'kind = "vibes"'


def test_no_knowledge_base(tmp_path: Path) -> None:
    result = cx("-C", tmp_path, "validate")
    assert result.exit_code == 2
    assert "no knowledge base here" in result.stderr
    assert "cxlib init" in result.stderr


def test_root_is_found_from_a_subfolder(kb: Path) -> None:
    result = cx("validate", cwd=kb / "experiments")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "formula, expected",
    [
        ("value-over-effort", (4 + 2) / 3),
        ("ice", (4 + 2) / 2 * 1.0 * (6 - 3)),
        ("rice", 100 * (4 + 2) / 2 * 1.0 / 3),
        ("customer_value * 2 - effort", 5.0),
    ],
)
def test_scoring_formulas(formula: str, expected: float) -> None:
    score = priority(compile_formula(formula), 4, 2, 3, reach=100, confidence="high")
    assert score == pytest.approx(expected, abs=1e-3)


def test_missing_scores_give_no_priority() -> None:
    assert priority(compile_formula("value-over-effort"), 4, None, 3) is None


@pytest.mark.parametrize("formula", ["effort.__class__", "open('x')", "1 if 2 else 3", "[1]"])
def test_formulas_cannot_run_code(formula: str) -> None:
    with pytest.raises(ValueError, match=r"only|unknown name|not a valid"):
        compile_formula(formula)
