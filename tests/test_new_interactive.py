"""The interactive ``cxlib new``, in a real pseudo-terminal (pexpect): what it asks, what it
refuses and asks again, the similar-documents notice before the file exists, Ctrl-C."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from tests.conftest import ROOT, cx, example_copy

CXLIB = ROOT / ".venv" / "bin" / "cxlib"
TODAY = "2026-03-01"
CLEAR = "\x15"  # Ctrl-U: erase the line typed so far (and a pre-filled default)

pytestmark = pytest.mark.skipif(not CXLIB.exists(), reason="needs the project's virtualenv")


def spawn(root: Path, *args: str) -> pexpect.spawn:
    """``cxlib new`` in a terminal of 24 x 100, with a fixed date."""
    # A terminal answers prompt_toolkit's cursor-position request at once; pexpect's does not,
    # and prompt_toolkit would wait a second for the answer at every prompt.
    env = {**os.environ, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    return pexpect.spawn(
        str(CXLIB),
        ["-C", str(root), "--today", TODAY, "new", *args],
        env=env,
        dimensions=(24, 100),
        encoding="utf-8",
        timeout=30,
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus is not None, child.signalstatus
    return int(child.exitstatus)


def answer(child: pexpect.spawn, prompt: str, text: str) -> None:
    child.expect_exact(prompt)
    child.send(CLEAR + text + "\r")


def test_a_wrong_stage_is_asked_again_and_the_insight_validates(kb: Path) -> None:
    child = spawn(kb, "insight", "Parcels arrive without a delivery window")
    answer(child, "Journey stage", "delivr")
    child.expect_exact("'delivr' is not a stage: did you mean deliver?")
    child.send(CLEAR + "deliver\r")  # the same prompt, still waiting
    answer(child, "Touchpoint", "parcel")
    answer(child, "Type of insight", "pain-pont")
    child.expect_exact("did you mean pain-point?")
    child.send(CLEAR + "pain-point\r")
    answer(child, "Research source", "survey")
    answer(child, "Confidence", "HIGH")  # any case; written as the enum spells it
    answer(child, "Owner", "Ana Lima")
    answer(child, "Team", "")
    assert finish(child) == 0
    [path] = (kb / "insights").glob("INS-0001-*.md")
    text = path.read_text()
    for line in (
        "stage: deliver",
        "touchpoint: parcel",
        "type: pain-point",
        "source: survey",
        "confidence: high",
        "owner: Ana Lima",
        f"created: {TODAY}",
    ):
        assert f"\n{line}\n" in text, (line, text)
    assert "\nteam:" not in text
    check = cx("-C", kb, "validate")
    assert check.exit_code == 0, check.output


def test_an_empty_owner_and_a_score_in_words_are_refused(kb: Path) -> None:
    child = spawn(
        kb, "opportunity", "Show the delivery date on the product page", "--stage", "consider"
    )
    answer(child, "Touchpoint", "product-page")
    child.expect_exact("Owner")
    child.send(CLEAR + "\r")  # the default (git's user.name) erased: nobody
    child.expect_exact("an owner is needed")
    child.send(CLEAR + "Jonas Berg\r")
    answer(child, "Team", "checkout")
    answer(child, "Customer value", "two")
    child.expect_exact("a score is a whole number from 1 to 5 (got 'two')")
    child.send(CLEAR + "4\r")
    answer(child, "Business value", "3")
    answer(child, "Effort", "")  # not sized yet: left empty
    assert finish(child) == 0
    [path] = (kb / "opportunities").glob("OPP-0001-*.md")
    text = path.read_text()
    assert "\nstage: consider\n" in text and "\ntouchpoint: product-page\n" in text
    assert "\nowner: Jonas Berg\n" in text and "\nteam: checkout\n" in text
    assert "\ncustomer_value: 4\n" in text and "\nbusiness_value: 3\n" in text
    assert "effort:" not in text
    check = cx("-C", kb, "validate")
    assert check.exit_code == 0, check.output


def test_the_similar_notice_is_shown_before_the_file_exists(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    folder = base / "experiments"
    before = sorted(p.name for p in folder.iterdir())
    child = spawn(base, "experiment", "Free shipping progress bar on product pages")
    child.expect_exact("similar documents already in the library (have we done this before?)")
    child.expect_exact("EXP-0019")
    assert sorted(p.name for p in folder.iterdir()) == before  # nothing written yet
    answer(
        child,
        "Hypothesis",
        "We believe that a progress bar for free shipping for all shoppers will raise the "
        "order value: measured by average order value",
    )
    answer(child, "Primary metric", "average-order")
    child.expect_exact("did you mean average-order-value?")
    child.send(CLEAR + "average-order-value\r")
    answer(child, "Journey stage", "consider")
    answer(child, "Touchpoint", "product-page")
    answer(child, "Owner", "Priya Raman")
    answer(child, "Team", "growth")
    assert finish(child) == 0
    [path] = folder.glob("EXP-0023-*.md")
    text = path.read_text()
    assert "\nprimary_metric: average-order-value\n" in text
    assert 'hypothesis: "We believe that a progress bar' in text  # quoted: it holds ': '
    check = cx("-C", base, "validate", str(path))
    assert check.exit_code == 0, check.output


@pytest.mark.parametrize("key", ["\x03", "\x04"], ids=["ctrl-c", "ctrl-d"])
def test_leaving_at_a_prompt_writes_nothing_and_reserves_no_id(kb: Path, key: str) -> None:
    child = spawn(kb, "insight", "Left halfway")
    answer(child, "Journey stage", "purchase")
    child.expect_exact("Touchpoint")
    child.send(key)
    assert finish(child) == 130
    assert list((kb / "insights").glob("*.md")) == []
    made = cx("-C", kb, "new", "insight", "The next one", "--no-input", "-f", "json")
    assert made.exit_code == 0, made.output
    assert made.json()["id"] == "INS-0001"


def test_no_input_never_asks_even_in_a_terminal(kb: Path) -> None:
    child = spawn(kb, "insight", "Scripted", "--no-input")
    assert finish(child) == 0
    assert "Journey stage" not in (child.before or "")
    assert list((kb / "insights").glob("INS-0001-scripted.md"))


def test_without_a_terminal_nothing_is_asked_and_no_prompt_library_is_loaded(kb: Path) -> None:
    """stdin from /dev/null: no question; neither questionary nor prompt_toolkit is imported
    (they cost ~220 ms), nor by ``cxlib --help``."""
    probe = (
        "import sys\n"
        "from cxlib.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "loaded = [m for m in ('questionary', 'prompt_toolkit') if m in sys.modules]\n"
        "print('LOADED', loaded, code, file=sys.stderr)\n"
    )
    for args in (
        ["--help"],
        ["-C", str(kb), "new", "insight", "From a script"],
        ["-C", str(kb), "new", "insight", "From a script too", "--no-input"],
    ):
        done = subprocess.run(
            [sys.executable, "-c", probe, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert "LOADED [] 0" in done.stderr, (args, done.stderr)
        assert "Journey stage" not in done.stdout + done.stderr
    assert len(list((kb / "insights").glob("INS-*.md"))) == 2
