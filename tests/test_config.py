"""cxlib.toml: a bad config is one clear error naming the key and line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import ROOT, cx, example_copy, snapshot, write

from cxlib import __version__
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
            "cxlib.toml:10: program.stale_after_days",
        ),
        (
            'formula = "value-over-effort"',
            "formula = \"__import__('os')\"",
            "cxlib.toml:15: scoring.formula: only + - * / ** and numbers are allowed",
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


def test_init_writes_the_newest_format(kb: Path) -> None:
    from cxlib.model.config import LIBRARY_FORMAT

    lines = (kb / "cxlib.toml").read_text().splitlines()
    assert f"format = {LIBRARY_FORMAT}" in lines
    assert lines.index(f"format = {LIBRARY_FORMAT}") < lines.index("[program]")
    assert all(line.startswith("#") or not line for line in lines[: lines.index("format = 2")])


def test_init_adds_the_format_to_a_template_without_it(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    packaged = (ROOT / "templates" / "cxlib.toml").read_text().splitlines(keepends=True)
    write(root, "templates/cxlib.toml", "".join(x for x in packaged if not x.startswith("format")))
    assert cx("init", root).exit_code == 0
    assert (root / "cxlib.toml").read_text().count("\nformat = 2\n") == 1
    assert cx("-C", root, "validate").exit_code == 0


@pytest.mark.parametrize(
    "before, after",
    [
        ("# a\n# b\n\n[program]\n", "# a\n# b\n\nformat = 2\n\n[program]\n"),
        ("# a\n[program]\n", "# a\nformat = 2\n\n[program]\n"),
        ("[program]\n", "format = 2\n\n[program]\n"),
        ("format = 1  # old\n[program]\n", "format = 2  # old\n[program]\n"),
        ("\ufeff# a\r\n\r\n[program]\r\n", "\ufeff# a\r\n\r\nformat = 2\r\n\r\n[program]\r\n"),
        ("# only a comment", "# only a comment\nformat = 2\n\n"),
    ],
)
def test_with_format_changes_lines_only(before: str, after: str) -> None:
    from cxlib.kb.config_file import with_format

    assert with_format(before, 2) == after


def test_with_format_refuses_what_it_cannot_write_by_lines() -> None:
    from cxlib.errors import ConfigError
    from cxlib.kb.config_file import with_format

    with pytest.raises(ConfigError, match="cannot set 'format = 2' by lines safely"):
        with_format('title = """\nformat = 1\n"""\n[program]\n', 2)


def test_a_number_too_long_to_read_is_a_config_error(kb: Path) -> None:
    _replace(kb, "stale_after_days = 30", "stale_after_days = " + "9" * 5000)
    result = cx("-C", kb, "validate")
    assert result.exit_code == 2, result.output
    assert "cxlib.toml: invalid TOML: a number too long to read" in result.stderr


# -- the library's format ---------------------------------------------------------------------


def _in_format(root: Path, value: str) -> int:
    config = root / "cxlib.toml"
    config.write_bytes(config.read_bytes().replace(b"format = 2", f"format = {value}".encode(), 1))
    return config.read_text().splitlines().index(f"format = {value}") + 1


@pytest.mark.parametrize(
    "args",
    [
        ("validate",),
        ("list",),
        ("validate", "experiments/EXP-0001-layering-guide-in-the-welcome-series.md"),  # the hook
        ("show", "EXP-0001"),
        ("report", "experiments"),
    ],
)
def test_a_newer_format_is_refused_by_every_command(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = example_copy(tmp_path / "northwind")
    line = _in_format(root, "3")
    before = snapshot(root)
    result = cx(*args, cwd=root)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        f"error: cxlib.toml:{line}: this library is in format 3, which needs cxlib >= 0.3.0 "
        f"(this is cxlib {__version__}); upgrade cxlib\n"
    )
    assert "Traceback" not in result.output
    assert snapshot(root) == before


def test_a_newer_format_is_refused_before_keys_this_version_does_not_know(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "northwind")
    _in_format(root, "4")
    config = root / "cxlib.toml"
    config.write_text(config.read_text() + '\n[dashboards]\ntheme = "dark"\n')
    result = cx("-C", root, "validate")
    assert result.exit_code == 2, result.output
    assert "format 4, which needs cxlib >= 0.4.0" in result.stderr
    assert "Extra inputs" not in result.stderr


@pytest.mark.parametrize(
    "value, message",
    [
        ("0", "format: Input should be greater than or equal to 1"),
        ('"two"', "format: Input should be a valid integer"),
        ('"2"', "format: Input should be a valid integer"),
        ("2.0", "format: Input should be a valid integer"),
        ("true", "format: Input should be a valid integer"),
        ("1000", "format: Input should be less than or equal to 2"),
    ],
)
def test_a_format_that_is_no_positive_integer_is_a_located_error(
    tmp_path: Path, value: str, message: str
) -> None:
    root = example_copy(tmp_path / "northwind")
    line = _in_format(root, value)
    result = cx("-C", root, "validate")
    assert result.exit_code == 2, result.output
    assert f"error: cxlib.toml:{line}: {message}" in result.stderr
    assert result.stderr.count("error:") == 1
