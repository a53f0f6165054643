"""Transcripts of the real ``cxlib`` in a pseudo-terminal 80 and 120 columns wide: tables fit
the terminal, an id, a date or a number is never cut or split over two lines, ``show`` prints no
Python repr, and ``--wide`` or a pipe shows every column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy
from tests.terminal import run_tty

from cxlib.reports.registry import SPECS

TODAY = "2026-11-01"
ID = re.compile(r"\b(?:INS|OPP|EXP)-\d{4}\b")
DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
# An id, a date or a number cut by an ellipsis; an id or a date cut by the end of a line.
CUT = re.compile(
    r"(?:\b(?:INS|OPP|EXP)-\d{0,3}|\b\d{4}-\d{2}-\d?|\d[.,]?)…"
    r"|(?:\b(?:INS|OPP|EXP)-\d{0,3}|\b\d{4}-(?:\d{2}-\d?)?)\s*[│┃]?\s*$"
)
COMMANDS = [
    ["list"],
    ["list", "insight"],
    ["list", "opportunity"],
    ["list", "experiment"],
    ["show", "INS-0010"],
    ["show", "OPP-0001"],
    ["show", "EXP-0003"],
    *(["report", name] for name in SPECS),
]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("width") / "northwind"
    example_copy(path)
    return path


def _screen(example: Path, args: list[str], columns: int) -> str:
    code, text = run_tty(["-C", example, "--today", TODAY, *args], columns)
    assert code == 0, text
    return text


def _cut_lines(text: str) -> list[str]:
    """Lines holding a cut id, date or number. A web address longer than the line is folded
    as any terminal folds it."""
    return [line for line in text.splitlines() if "://" not in line and CUT.search(line)]


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_output_fits_the_terminal_and_keeps_values_whole(
    example: Path, args: list[str], columns: int
) -> None:
    screen = _screen(example, args, columns)
    piped = cx("-C", example, "--today", TODAY, *args).stdout
    too_wide = [line for line in screen.splitlines() if len(line) > columns]
    assert not too_wide, too_wide
    assert not _cut_lines(screen), _cut_lines(screen)
    # Whatever id or date the terminal shows is one the complete output holds, whole.
    assert set(ID.findall(screen)) <= set(ID.findall(piped))
    assert set(DATE.findall(screen)) <= set(DATE.findall(piped))
    if args[0] == "list":
        assert set(ID.findall(screen)) == set(ID.findall(piped))
    if args[0] == "show":
        head = screen.split("Links", 1)[0]
        for repr_mark in ("['", "{'", "None", "datetime.date(", "': "):
            assert repr_mark not in head, (repr_mark, head)
        assert "<!--" not in screen


def test_a_narrow_table_says_what_it_leaves_out_and_wide_shows_it(example: Path) -> None:
    narrow = _screen(example, ["list", "experiment"], 80)
    assert "not shown at this width: owner, stage, created" in narrow
    assert "2025-03-12" not in narrow
    wide = _screen(example, ["list", "experiment", "--wide"], 80)
    assert "2025-03-12" in wide and "Jonas Berg" in wide
    assert "not shown" not in wide


def test_a_pipe_gets_every_column_whole(example: Path) -> None:
    piped = cx("-C", example, "list", "experiment").stdout
    header = piped.splitlines()[0].split()
    assert header == ["ID", "TITLE", "STATUS", "OUTCOME", "OWNER", "STAGE", "CREATED"]
    assert "Free shipping threshold banner in the cart" in piped
    assert "…" not in piped


def test_a_long_title_is_shortened_never_an_id(example: Path) -> None:
    screen = _screen(example, ["list", "experiment"], 80)
    row = next(line for line in screen.splitlines() if line.startswith("EXP-0003 "))
    assert "Free shipping threshold" in row and row.split("│")[1].strip().endswith("…")


def test_show_renders_the_document_for_a_reader(example: Path) -> None:
    screen = _screen(example, ["show", "EXP-0003"], 100)
    assert "lost: -1.1%, interval -2.1% to -0.1%, p = 0.03" in screen
    assert re.search(r"tests\s+│ OPP-0001", screen)
    assert re.search(r"followed up by\s+│ EXP-0019", screen)
    # Markdown rendered: the heading's hashes are gone, the text stays.
    assert "## Learnings" not in screen and "Learnings" in screen
    opportunity = _screen(example, ["show", "OPP-0001"], 100)
    assert re.search(r"priority\s+4 \(value-over-effort\)", opportunity)


def test_show_raw_prints_the_file_as_it_is(example: Path) -> None:
    path = next((example / "experiments").glob("EXP-0003-*.md"))
    shown = cx("-C", example, "show", "EXP-0003", "--raw")
    assert shown.exit_code == 0
    assert shown.stdout == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("columns", [60, 80])
def test_search_hits_wrap_under_themselves(example: Path, columns: int) -> None:
    # The first search of a base builds its index and says so on the same screen.
    _screen(example, ["index"], columns)
    screen = _screen(example, ["search", "free shipping", "--limit", "3"], columns)
    lines = [line.rstrip() for line in screen.splitlines() if line.strip()]
    heads = [line for line in lines if ID.match(line)]
    assert len(heads) == 3
    title_column = heads[0].index("Free shipping")
    for line in lines:
        if line in heads:
            continue
        # A title's next line starts under the title, a path's or snippet's under the path.
        indent = len(line) - len(line.lstrip())
        assert indent in (4, title_column), line
    assert max(len(line) for line in screen.splitlines()) <= columns
    assert any(len(line) - len(line.lstrip()) == title_column for line in lines)  # one wrapped
