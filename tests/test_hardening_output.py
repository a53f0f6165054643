"""The hardening issue's output items: user text never drives a terminal or a CI log, a CSV cell
never runs as a formula, and markdown for a pull request links, mentions and references nothing.
Each on a committed copy of the example, through the real CLI."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path

import pytest
from tests.conftest import cx
from tests.gitrepo import commit, committed_example, replace_once

PAY_LATER = "experiments/EXP-0002-pay-later-at-checkout.md"
SHIPPING = "opportunities/OPP-0001-make-shipping-costs-predictable-before-checkout.md"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return committed_example(tmp_path / "northwind")


_edit = replace_once


def _hidden(text: str) -> set[str]:
    """The characters of ``text`` a terminal would not simply show: controls, bidirectional
    overrides, zero-width characters..."""
    return {
        ch
        for ch in text
        if not (ch.isprintable() or ch in "\n\t" or unicodedata.category(ch) == "Zs")
    }


# -- 8. every string printed for a person is escaped ---------------------------------------------

# A right-to-left override makes "Pay later gnp.exe" read "Pay later exe.png"; the reader lets it
# through (it is no control character), so every output must show it.
RLO_TITLE = "Pay later \u202egnp.exe"


def _plant_invisible_text(base: Path) -> str:
    """A title with a bidirectional override, an unknown key with a zero-width space, a file
    named with an escape sequence and one named with a workflow command, a commit message with
    an escape sequence; returns the escape-named file's path."""
    _edit(base, PAY_LATER, "title: Pay-later payment method at checkout", f"title: {RLO_TITLE}")
    _edit(base, PAY_LATER, "owner: Jonas Berg", "owner: Jonas Berg\ncolo\u200bur: red")
    text = (base / PAY_LATER).read_text(encoding="utf-8")
    escaped = "experiments/EXP-0023-\x1b[2J\x1b]0;pwned\x07.md"
    (base / escaped).write_text(text.replace("EXP-0002", "EXP-0023"), encoding="utf-8")
    # A finding names this file (no title): its name must not start a line of its own.
    command = "experiments/EXP-0024-x\n::error file=README.md::pwned.md"
    (base / command).write_text(
        text.replace("EXP-0002", "EXP-0024").replace(f"title: {RLO_TITLE}\n", ""),
        encoding="utf-8",
    )
    commit(base, "planted \x1b[31mred\x1b[0m text")
    _edit(base, SHIPPING, "title: Make shipping", "title: \u202eMake shipping")
    return escaped


def test_no_output_for_people_holds_an_invisible_character(example: Path) -> None:
    _plant_invisible_text(example)
    runs = [
        ["validate"],
        ["validate", "--format", "github"],
        ["list"],
        ["show", "EXP-0002"],
        ["show", "EXP-0023"],
        ["graph"],
        ["graph", "EXP-0002", "--format", "dot"],
        ["search", "pay later"],
        ["log"],
        ["log", "EXP-0023"],
        ["review", "--base", "main", "--format", "text"],
        ["review", "--base", "main", "--format", "markdown"],
        *(["report", name] for name in ("roadmap", "experiments", "journey", "metrics", "health")),
        ["report", "roadmap", "--format", "markdown"],
        ["report", "html", "-o", "-"],
        ["renumber", "EXP-0002", "EXP-0030", "--dry-run"],
        ["set", "EXP-0002", "owner=Ana", "--dry-run"],
    ]
    for args in runs:
        result = cx("-C", example, *args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert _hidden(result.output) == set(), (args, _hidden(result.output))
    shown = cx("-C", example, "show", "EXP-0002").stdout
    assert "Pay later \\u202egnp.exe" in shown


def test_a_file_name_cannot_write_a_workflow_command(example: Path) -> None:
    _plant_invisible_text(example)
    for fmt in ("text", "github"):
        result = cx("-C", example, "validate", "--format", fmt)
        assert result.exit_code == 1, result.output
        lines = result.output.splitlines()
        commands = [line for line in lines if line.lstrip().startswith("::")]
        assert all(not line.startswith("::error file=README.md") for line in commands), fmt
        if fmt == "text":
            assert commands == []
            assert any("EXP-0024-x\\n::error file=README.md::pwned.md" in line for line in lines)


# -- 15. a CSV cell never runs as a formula --------------------------------------------------------


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A2)"]
)
def test_a_text_cell_that_starts_a_formula_is_quoted(example: Path, title: str) -> None:
    _edit(example, PAY_LATER, "title: Pay-later payment method at checkout", f"title: '{title}'")
    _edit(example, PAY_LATER, "owner: Jonas Berg", "owner: '@Jonas'")
    listed = cx("-C", example, "list", "experiments", "--format", "csv")
    assert listed.exit_code == 0, listed.output
    row = next(r for r in _rows(listed.stdout) if r["id"] == "EXP-0002")
    assert (row["title"], row["owner"]) == (f"'{title}", "'@Jonas")
    assert row["created"] == "2025-01-20"  # a date is written as it is
    report = cx("-C", example, "report", "experiments", "--format", "csv")
    assert report.exit_code == 0, report.output
    row = next(r for r in _rows(report.stdout) if r["id"] == "EXP-0002")
    assert (row["title"], row["owner"]) == (f"'{title}", "'@Jonas")
    for row in _rows(listed.stdout) + _rows(report.stdout):
        for cell in row.values():
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # only a number may start so


def test_numbers_are_written_as_values(example: Path) -> None:
    _edit(example, PAY_LATER, "owner: Jonas Berg", "owner: '-Jonas'")
    metrics = cx("-C", example, "report", "metrics", "--format", "csv")
    assert metrics.exit_code == 0, metrics.output
    effects = [r["average_effect"] for r in _rows(metrics.stdout) if r["average_effect"]]
    assert any(e.startswith("-") for e in effects)  # a loss: negative, and not quoted
    assert all(float(e) == float(e) for e in effects)
    listed = cx("-C", example, "list", "experiments", "--format", "csv")
    assert next(r for r in _rows(listed.stdout) if r["id"] == "EXP-0002")["owner"] == "'-Jonas"


# -- 16. markdown for a pull request links, mentions and references nothing ----------------------

LOUD_TITLE = (
    "Ping @octocat: fixes #123 and GH-7, see https://evil.example/x and www.evil.example, "
    "&#x202e; ![img](https://evil.example/i.png)"
)


def _assert_inert(markdown: str) -> None:
    assert "@octocat" not in markdown and "@&#8203;octocat" in markdown
    assert not re.search(r"(?<!&)#[0-9]", markdown)  # only the zero-width space's entity
    assert "GH-7" not in markdown
    assert "https://" not in markdown and "www.evil" not in markdown
    assert "&#x202e;" not in markdown and "&amp;\\#x202e;" in markdown
    assert "![" not in markdown


QUOTED = "'" + LOUD_TITLE.replace("'", "''") + "'"


def test_review_markdown_breaks_mentions_references_and_links(example: Path) -> None:
    _edit(example, PAY_LATER, "title: Pay-later payment method at checkout", f"title: {QUOTED}")
    result = cx("-C", example, "review", "--base", "main")
    assert result.exit_code == 0, result.output
    assert "EXP-0002" in result.stdout
    _assert_inert(result.stdout)


def test_report_markdown_breaks_mentions_references_and_links(example: Path) -> None:
    old = "title: Make shipping costs predictable before checkout"
    _edit(example, SHIPPING, old, f"title: {QUOTED}")
    result = cx("-C", example, "report", "roadmap", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "OPP-0001" in result.stdout
    _assert_inert(result.stdout)


def test_review_and_reports_escape_markdown_alike() -> None:
    from cxlib.cli import review_view
    from cxlib.reports import blocks

    assert review_view.md is blocks.md_escape
