"""The hardening issue's reader items: ids are ASCII, numbers are bounded and finite, tabs inside
block scalars are YAML, syntax errors point where the trouble starts, and escapes that decode to
control characters are refused. Each on a committed copy of the example, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import cx, snapshot
from tests.gitrepo import committed_example, replace_once

PAY_LATER = "experiments/EXP-0002-pay-later-at-checkout.md"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return committed_example(tmp_path / "northwind")


_edit = replace_once


def _line_of(path: Path, text: str) -> int:
    """The 1-based line of ``path`` that is ``text`` (indentation aside)."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return lines.index(text.strip()) + 1


def _findings(base: Path, *paths: str) -> list[dict[str, object]]:
    result = cx("-C", base, "validate", "--format", "json", *(str(base / p) for p in paths))
    assert result.exit_code in (0, 1), result.output
    assert result.json()["skipped"] == []
    findings: list[dict[str, object]] = result.json()["findings"]
    return findings


# -- 21. ids are ASCII digits ---------------------------------------------------------------------


def test_an_id_of_arabic_indic_digits_is_no_id(example: Path) -> None:
    original = (example / PAY_LATER).read_text(encoding="utf-8")
    copy = "experiments/EXP-\u0660\u0660\u0660\u0662-pay-later-again.md"
    (example / copy).write_text(
        original.replace("id: EXP-0002", "id: EXP-\u0660\u0660\u0660\u0662"), encoding="utf-8"
    )
    result = cx("-C", example, "validate", "--format", "json")
    assert result.exit_code == 1, result.output
    codes = {(f["path"], f["code"]) for f in result.json()["findings"]}
    assert (copy, "invalid-value") in codes  # the id field
    assert (copy, "file-name") in codes  # the name starts with no id
    assert cx("-C", example, "show", "EXP-\u0660\u0660\u0660\u0662").exit_code == 2


def test_a_wiki_link_of_unicode_digits_is_no_link() -> None:
    from cxlib.kb.parse import parse_bytes

    parsed = parse_bytes(b"---\nid: X\n---\nSee [[EXP-\xd9\xa0\xd9\xa2]] and [[EXP-0002]].\n")
    assert [target for target, _ in parsed.wiki_links] == ["EXP-0002"]


def _strict_json(text: str) -> object:
    """JSON as the standard defines it: ``NaN`` and ``Infinity`` are no values."""

    def refuse(name: str) -> object:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


def _every_reading_command_works(base: Path, doc_id: str) -> None:
    """The commands that crashed on an unprintable number: each answers, with valid JSON."""
    for args in (
        ["list", "--format", "json"],
        ["show", doc_id, "--format", "json"],
        ["graph", "--format", "json"],
        *(["report", name, "--format", "json"] for name in ("roadmap", "experiments", "metrics")),
        ["report", "health", "--format", "json"],
        ["report", "journey", "--format", "json"],
    ):
        result = cx("-C", base, *args)
        assert result.exit_code in (0, 2), (args, result.output)
        if result.exit_code == 0:
            _strict_json(result.stdout)
    for args in (["list"], ["show", doc_id], ["graph"], ["report", "metrics"]):
        result = cx("-C", base, *args)
        assert result.exit_code in (0, 2), (args, result.output)


# -- 9. integers too long to print --------------------------------------------------------------

OPP = "opportunities/OPP-0001-make-shipping-costs-predictable-before-checkout.md"


@pytest.mark.parametrize(
    ("rel", "old", "new", "doc_id"),
    [
        (OPP, "effort: 2", "effort: 2\nreach: 0x" + "f" * 4000, "OPP-0001"),
        (PAY_LATER, "sample_size: 72900", "sample_size: 1" + ":59" * 3000, "EXP-0002"),
        (PAY_LATER, "sample_size: 72900", "sample_size: 0b" + "1" * 60, "EXP-0002"),
    ],
    ids=["hex", "sexagesimal", "binary"],
)
def test_an_integer_too_long_to_print_is_a_finding(
    example: Path, rel: str, old: str, new: str, doc_id: str
) -> None:
    path = _edit(example, rel, old, new)
    line = _line_of(path, new.splitlines()[-1])
    found = _findings(example)
    assert [(f["path"], f["code"], f["line"]) for f in found] == [(rel, "yaml-number", line)]
    assert "numbers stay below 1e15" in str(found[0]["message"])
    _every_reading_command_works(example, doc_id)
    before = snapshot(example)
    result = cx("-C", example, "set", doc_id, "owner=Someone Else")
    assert result.exit_code == 2, result.output
    assert snapshot(example) == before


def test_a_long_integer_given_as_text_is_out_of_range(example: Path) -> None:
    _edit(example, PAY_LATER, "sample_size: 72900", 'sample_size: "123456789012345678"')
    assert [f["code"] for f in _findings(example, PAY_LATER)] == ["out-of-range"]


# -- 20. numbers are finite -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (".nan", "yaml-number"),
        ("-.inf", "yaml-number"),
        (".Inf", "yaml-number"),
        ("1.0e+308", "yaml-number"),
        ("1e308", "out-of-range"),  # YAML 1.1 reads it as text; the schema as a number
        ('"nan"', "invalid-value"),
        ('"-Infinity"', "invalid-value"),
    ],
)
def test_an_effect_that_is_no_finite_number_is_a_finding(
    example: Path, value: str, code: str
) -> None:
    path = _edit(example, PAY_LATER, "effect: 1.6", f"effect: {value}")
    line = _line_of(path, f"effect: {value}")
    found = _findings(example)
    assert [(f["path"], f["code"], f["line"]) for f in found] == [(PAY_LATER, code, line)]
    _every_reading_command_works(example, "EXP-0002")


def test_an_interval_bound_of_infinity_is_a_finding(example: Path) -> None:
    _edit(example, PAY_LATER, "interval: [0.4, 2.8]", "interval: [-.inf, 2.8]")
    assert [f["code"] for f in _findings(example, PAY_LATER)] == ["yaml-number"]


def test_a_priority_formula_that_overflows_gives_no_priority(example: Path) -> None:
    _edit(
        example,
        "cxlib.toml",
        'formula = "value-over-effort"',
        'formula = "customer_value * 1e308 * 10"',
    )
    result = cx("-C", example, "list", "opportunities", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = _strict_json(result.stdout)
    assert isinstance(rows, list) and {row["priority"] for row in rows} == {None}
    result = cx("-C", example, "report", "roadmap", "--format", "json")
    assert result.exit_code == 0, result.output
    _strict_json(result.stdout)


# -- 8. escapes that decode to control characters -------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("title: Pay-later payment method at checkout", 'title: "\\e]0;pwned\\a\\e[2JPay later"'),
        ("title: Pay-later payment method at checkout", 'title: "Pay later \\x1b[31m"'),
        ("title: Pay-later payment method at checkout", 'title: "Pay later \\u009b2J"'),
        ("owner: Jonas Berg", 'owner: "Jonas\\rBerg"'),
        ("tags: [payment, checkout]", 'tags: [payment, "check\\x07out"]'),
        ("owner: Jonas Berg", 'owner: Jonas Berg\n"colour\\e[2J": red'),
        ("result:\n  outcome: won", 'result:\n  "\\N": 1\n  outcome: won'),
    ],
    ids=["osc-title", "x1b", "csi-c1", "cr", "bell-in-list", "key", "nested-key"],
)
def test_an_escape_that_decodes_to_a_control_character_is_a_finding(
    example: Path, old: str, new: str
) -> None:
    path = _edit(example, PAY_LATER, old, new)
    bad = next(line for line in new.splitlines() if "\\" in line)
    line = _line_of(path, bad)
    result = cx("-C", example, "validate")
    assert result.exit_code == 1
    assert f"{PAY_LATER}:{line}:" in result.stdout
    assert "[yaml-control]" in result.stdout
    controls = {"\x1b", "\x9b", "\x07", "\r", "\x85"}
    assert not controls & set(result.output)
    for args in (["list"], ["show", "EXP-0002"], ["graph"], ["report", "experiments"]):
        shown = cx("-C", example, *args)
        assert not controls & set(shown.output), args
    # the fix: the line back; tabs and line breaks from escapes are text
    _edit(example, PAY_LATER, new, old)
    # (in a field the pre-registration lock does not freeze: EXP-0002 is implemented)
    _edit(
        example,
        PAY_LATER,
        "decision: ship",
        'decision: ship\ndecision_rationale: "Step one:\\tpay\\nStep two: ship"',
    )
    assert _findings(example, PAY_LATER) == []


def test_a_raw_c1_control_character_is_refused(example: Path) -> None:
    path = _edit(example, PAY_LATER, "## Design", "## Design \u009b2J")
    line = _line_of(path, "## Design \u009b2J")
    found = _findings(example, PAY_LATER)
    assert [(f["code"], f["line"]) for f in found] == [("control-character", line)]


# -- 23. tabs inside block scalars; where a syntax error is reported -----------------------------


def test_a_tab_inside_a_block_scalar_is_text(example: Path) -> None:
    # (a prose field the pre-registration lock does not freeze: EXP-0002 is implemented)
    rationale = (
        "decision_rationale: |\n"
        "  We shipped pay-later because completion rose.\n"
        "  \tmeasured by: checkout-completion\n"
        "  \tguarded by: return-rate\n"
    )
    _edit(example, PAY_LATER, "decision: ship\n", "decision: ship\n" + rationale)
    assert _findings(example, PAY_LATER) == []
    shown = cx("-C", example, "show", "EXP-0002", "--format", "json").json()
    front = shown["front_matter"]
    assert "\n\tmeasured by: checkout-completion\n" in front["decision_rationale"]
    # a tab that indents is still refused, at its line
    for indented in ("\toutcome: won", "  \toutcome: won"):
        path = _edit(example, PAY_LATER, "  outcome: won", indented)
        found = _findings(example, PAY_LATER)
        assert [(f["code"], f["line"]) for f in found] == [("yaml-tab", _line_of(path, indented))]
        _edit(example, PAY_LATER, indented, "  outcome: won")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("decision: ship", 'decision: "ship'),
        ("decision: ship", "decision: 'ship"),
        ("decision: ship", "decision: [ship"),
        ("decision: ship", "decision: {what: ship"),
        ("title: Pay-later payment method at checkout", 'title: "Pay-later payment method'),
    ],
    ids=["double-quote", "single-quote", "bracket", "brace", "quote-early"],
)
def test_an_unclosed_quote_or_bracket_is_reported_where_it_opens(
    example: Path, old: str, new: str
) -> None:
    path = _edit(example, PAY_LATER, old, new)
    found = _findings(example, PAY_LATER)
    assert [f["code"] for f in found] == ["yaml-syntax"]
    assert found[0]["line"] == _line_of(path, new), found[0]
    assert found[0]["column"] == new.index(":") + 3  # the quote or bracket itself
    assert "not closed" in str(found[0]["message"])


def test_every_control_character_is_refused_wherever_it_stands() -> None:
    """The byte checks that let most files skip the control-character pattern never let one
    through: every C0 and C1 control but tab, LF and CR, alone in an ASCII file or beside other
    characters of every UTF-8 length."""
    from cxlib.kb.parse import parse_bytes

    head = "---\nid: INS-0001\ntitle: T\n---\n\nBody "
    controls = [c for c in range(0xA0) if c < 0x20 or c >= 0x7F]
    for code in controls:
        for around in ("", "é", "—", "😀", "\u00a0"):
            text = head + around + chr(code) + around + "\n"
            problems = parse_bytes(text.encode()).problems
            if chr(code) in "\t\n\r":
                assert all(p.code != "control-character" for p in problems), hex(code)
            else:
                assert [p.code for p in problems] == ["control-character"], (hex(code), around)
                assert problems[0].line == 6
    for neighbour in ("é", "—", "😀", "\u00a0", "\u0100", "\u07ff", "\uffff"):
        assert parse_bytes((head + neighbour + "\n").encode()).problems == []
