"""``cxlib set`` writes lists of records (``variants``, ``result.variants``,
``result.guardrails``): only the lines of that key's block change, in the example's block style,
checked by re-reading and by the rules; other structured values are refused plainly."""

from __future__ import annotations

import difflib
import re
import stat
from pathlib import Path

import pytest
from tests.conftest import cx, snapshot

EXP3 = "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"
EXP7 = "experiments/EXP-0007-chat-callback-when-queue-is-long.md"

VARIANTS3 = (
    "variants:\n  - {name: control, allocation: 50}\n  - {name: threshold-banner, allocation: 50}\n"
)
RESULT_VARIANTS3 = (
    "  variants:\n"
    "    - {name: control, sample_size: 2360000, conversions: 75520}\n"
    "    - {name: threshold-banner, sample_size: 2360000, conversions: 74689}\n"
)
RESULT3 = (
    "result:\n  outcome: lost\n  effect: -1.1\n  p_value: 0.03\n  interval: [-2.1, -0.1]\n"
    "  sample_size: 4720000\n" + RESULT_VARIANTS3
)
RECORDS7 = "variants=[{name: control, allocation: 50}, {name: callback-offer, allocation: 50}]"
BLOCK7 = (
    "variants:\n  - {name: control, allocation: 50}\n  - {name: callback-offer, allocation: 50}\n"
)
COUNTS3 = (
    "result.variants=[{conversions: 30, name: control, sample_size: 1000}, "
    "{name: threshold-banner, sample_size: 1000, conversions: 35}]"
)
NEW_RESULT_VARIANTS3 = (
    "  variants:\n"
    "    - {name: control, sample_size: 1000, conversions: 30}\n"
    "    - {name: threshold-banner, sample_size: 1000, conversions: 35}\n"
)


def _block(text: str, key: str) -> str:
    """The lines of the top-level ``key`` and its value."""
    m = re.search(rf"(?m)^{key}:.*\n(?:(?![A-Za-z_][\w-]*:|---).*\n)*", text)
    assert m is not None, key
    return m.group(0)


@pytest.fixture
def base(base: Path) -> Path:
    """The example, with the blocks these tests start from in known layouts: EXP-0003's
    variants and result as records (flow mappings in a block list), EXP-0007's variants as a
    flow list of names."""
    for rel, blocks in (
        (EXP3, {"variants": VARIANTS3, "result": RESULT3}),
        (EXP7, {"variants": "variants: [control, callback-offer]\n"}),
    ):
        path = base / rel
        text = path.read_text(encoding="utf-8")
        for key, block in blocks.items():
            text = text.replace(_block(text, key), block)
        path.write_bytes(text.encode())
    result = cx("-C", base, "validate")
    assert result.exit_code == 0, result.output
    return base


def _set(base: Path, *assignments: str, doc: str = "EXP-0003") -> str:
    result = cx("-C", base, "set", "--no-touch", doc, *assignments)
    assert result.exit_code == 0, result.output
    return result.stdout


def _refused(base: Path, *assignments: str, doc: str = "EXP-0003") -> str:
    before = snapshot(base)
    result = cx("-C", base, "set", doc, *assignments)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert snapshot(base) == before
    return result.stderr


def _changed(before: str, after: str) -> list[str]:
    """The lines an edit removed (-) and added (+)."""
    return [
        line
        for line in difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True), n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def _rewrite(base: Path, rel: str, old: str, new: str) -> str:
    path = base / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_bytes(text.replace(old, new).encode())
    return path.read_text(encoding="utf-8")


def _valid(base: Path) -> None:
    result = cx("-C", base, "validate")
    assert result.exit_code == 0, result.output


def test_a_flow_list_of_names_becomes_records(base: Path) -> None:
    before = (base / EXP7).read_text()
    _set(base, RECORDS7, doc="EXP-0007")
    after = (base / EXP7).read_text()
    assert after == before.replace("variants: [control, callback-offer]\n", BLOCK7)
    _valid(base)


def test_records_replace_records_and_nested_records_keep_the_other_result_lines(
    base: Path,
) -> None:
    before = (base / EXP3).read_text()
    _set(
        base,
        "variants=[{allocation: 50, name: control}, {name: banner, allocation: 50}]",
        "result.variants=[{name: control, sample_size: 2360000, conversions: 75520}, "
        "{name: banner, sample_size: 2360000, conversions: 74689}]",
    )
    after = (base / EXP3).read_text()
    assert _changed(before, after) == [
        "-  - {name: threshold-banner, allocation: 50}\n",
        "+  - {name: banner, allocation: 50}\n",
        "-    - {name: threshold-banner, sample_size: 2360000, conversions: 74689}\n",
        "+    - {name: banner, sample_size: 2360000, conversions: 74689}\n",
    ]
    _valid(base)


def test_nested_records_are_replaced_inside_result_only(base: Path) -> None:
    before = (base / EXP3).read_text()
    _set(base, COUNTS3)
    after = (base / EXP3).read_text()
    assert after == before.replace(RESULT_VARIANTS3, NEW_RESULT_VARIANTS3)
    _valid(base)


@pytest.mark.parametrize(
    "layout",
    [
        "variants:\n  - control\n  - threshold-banner\n",
        "variants:\n- name: control\n  allocation: 50\n"
        "- name: threshold-banner\n  allocation: 50\n",
        "variants:\n  - name: control\n    allocation: 50\n\n  - name: threshold-banner\n"
        "    allocation: 50\n",
        "variants: [\n    control,\n    threshold-banner]\n",
    ],
    ids=["block-names", "block-mappings", "indented-block-mappings", "multi-line-flow"],
)
def test_any_layout_is_replaced_wholly(base: Path, layout: str) -> None:
    before = _rewrite(base, EXP3, VARIANTS3, layout)
    _set(
        base, "variants=[{name: control, allocation: 50}, {name: threshold-banner, allocation: 50}]"
    )
    assert (base / EXP3).read_text() == before.replace(layout, VARIANTS3)


def test_a_result_indented_by_four_keeps_its_indentation(base: Path) -> None:
    text = (base / EXP3).read_text()
    block = text[text.index("result:\n") : text.index("decision: iterate")]
    # every indentation doubled: result's keys at four spaces, their items at eight
    wide = "".join(
        " " * (len(line) - len(line.lstrip(" "))) + line for line in block.splitlines(True)
    )
    assert "\n    variants:\n        - {name: control" in wide
    before = _rewrite(base, EXP3, block, wide)
    _set(base, COUNTS3)
    assert (base / EXP3).read_text() == before.replace(
        RESULT_VARIANTS3.replace("    - ", "        - ").replace("  variants", "    variants"),
        NEW_RESULT_VARIANTS3.replace("    - ", "        - ").replace("  variants", "    variants"),
    )


def test_an_absent_key_is_added_where_set_adds_keys(base: Path) -> None:
    before = _rewrite(base, EXP7, "variants: [control, callback-offer]\n", "")
    _set(base, RECORDS7, doc="EXP-0007")
    after = (base / EXP7).read_text()
    assert after == before.replace("planned_days: 42\n---\n", f"planned_days: 42\n{BLOCK7}---\n")
    _valid(base)


def test_an_absent_result_is_added_with_its_records(base: Path) -> None:
    before = (base / EXP7).read_text()
    _set(
        base,
        "result.variants=[{name: control, sample_size: 1000, conversions: 30}, "
        "{name: callback-offer, sample_size: 1000, conversions: 35}]",
        doc="EXP-0007",
    )
    added = (
        "result:\n  variants:\n"
        "    - {name: control, sample_size: 1000, conversions: 30}\n"
        "    - {name: callback-offer, sample_size: 1000, conversions: 35}\n"
    )
    after = (base / EXP7).read_text()
    assert after == before.replace("planned_days: 42\n---\n", f"planned_days: 42\n{added}---\n")
    _valid(base)


def test_an_absent_child_of_result_is_added_at_the_end_of_result(base: Path) -> None:
    before = (base / EXP3).read_text()
    _set(
        base,
        "result.guardrails=[{status: ok, metric: average-order-value, effect: 0.3}, "
        "{metric: return-rate, status: ok}]",
    )
    added = (
        "  guardrails:\n"
        "    - {metric: average-order-value, status: ok, effect: 0.3}\n"
        "    - {metric: return-rate, status: ok}\n"
    )
    after = (base / EXP3).read_text()
    assert after == before.replace(RESULT_VARIANTS3, RESULT_VARIANTS3 + added)
    _valid(base)


def test_a_breached_guardrail_reads_back_and_an_unknown_status_is_refused(base: Path) -> None:
    _set(base, "result.guardrails=[{metric: return-rate, status: breached, effect: 2.5}]")
    assert "  guardrails:\n    - {metric: return-rate, status: breached, effect: 2.5}\n" in (
        (base / EXP3).read_text()
    )
    _valid(base)
    err = _refused(base, "result.guardrails=[{metric: return-rate, status: bad}]")
    assert "result.guardrails.0.status': must be one of ok, breached (got 'bad')" in err


def test_a_null_result_gets_the_records(base: Path) -> None:
    before = _rewrite(base, EXP7, "planned_days: 42\n", "planned_days: 42\nresult:  # later\n")
    _set(
        base,
        "result.variants=[{name: control, sample_size: 10, conversions: 1}]",
        doc="EXP-0007",
    )
    assert (base / EXP7).read_text() == before.replace(
        "result:  # later\n",
        "result:  # later\n  variants:\n    - {name: control, sample_size: 10, conversions: 1}\n",
    )


def test_a_crlf_file_keeps_crlf(base: Path) -> None:
    path = base / EXP3
    lf = path.read_bytes()
    path.write_bytes(lf.replace(b"\n", b"\r\n"))
    _set(base, COUNTS3)
    expected = lf.replace(RESULT_VARIANTS3.encode(), NEW_RESULT_VARIANTS3.encode())
    assert path.read_bytes() == expected.replace(b"\n", b"\r\n")


def test_an_empty_list_removes_the_records(base: Path) -> None:
    before = (base / EXP3).read_text()
    _set(base, "result.variants=[]")
    assert (base / EXP3).read_text() == before.replace(RESULT_VARIANTS3, "  variants: []\n")
    _set(base, "variants=[]")
    assert "\nvariants: []\nstart:" in (base / EXP3).read_text()


def test_a_comment_on_the_key_line_is_kept(base: Path) -> None:
    before = _rewrite(base, EXP7, "variants: [control, callback-offer]", "variants: [a, b]  # arms")
    _set(base, RECORDS7, doc="EXP-0007")
    assert (base / EXP7).read_text() == before.replace(
        "variants: [a, b]  # arms\n", BLOCK7.replace("variants:\n", "variants:  # arms\n")
    )


def test_a_hash_inside_quotes_is_no_comment(base: Path) -> None:
    layout = 'variants:\n  - {name: control, allocation: 50, screenshot: "a #1.png"}\n'
    before = _rewrite(base, EXP7, "variants: [control, callback-offer]\n", layout)
    _set(base, RECORDS7, doc="EXP-0007")
    assert (base / EXP7).read_text() == before.replace(layout, BLOCK7)


def test_records_in_model_order_with_quoted_text(base: Path) -> None:
    _set(
        base,
        "variants=[{screenshot: 'shots/a, b.png', allocation: 50.5, name: control}, "
        "{name: 'yes', allocation: 49.5}]",
        doc="EXP-0007",
    )
    assert (
        'variants:\n  - {name: control, allocation: 50.5, screenshot: "shots/a, b.png"}\n'
        '  - {name: "yes", allocation: 49.5}\n'
    ) in (base / EXP7).read_text()


def test_setting_the_same_records_changes_nothing(base: Path) -> None:
    before = snapshot(base)
    out = _set(
        base, "variants=[{allocation: 50, name: control}, {name: threshold-banner, allocation: 50}]"
    )
    assert "already has those values" in out
    assert snapshot(base) == before


@pytest.mark.parametrize(
    "layout, key",
    [
        ("variants:\n  # the control first\n  - control\n  - threshold-banner\n", "variants"),
        ("variants:\n  - control  # the old page\n  - threshold-banner\n", "variants"),
        ("variants: [control,  # old\n  threshold-banner]\n", "variants"),
    ],
    ids=["comment-line", "comment-after-item", "comment-in-flow"],
)
def test_a_comment_inside_the_block_is_refused_with_a_snippet(
    base: Path, layout: str, key: str
) -> None:
    _rewrite(base, EXP3, VARIANTS3, layout)
    err = _refused(
        base, "variants=[{name: control, allocation: 50}, {name: threshold-banner, allocation: 50}]"
    )
    assert f"'{key}' holds a comment that would be lost; nothing was written" in err
    assert "make the change by hand:\n" + VARIANTS3.rstrip("\n") in err


def test_a_list_of_names_over_a_commented_block_is_refused_too(base: Path) -> None:
    _rewrite(base, EXP3, VARIANTS3, "variants:\n  - {name: control}  # old page\n  - b\n")
    err = _refused(base, "variants=[control, threshold-banner]")
    assert "'variants' holds a comment that would be lost" in err
    assert "make the change by hand:\nvariants: [control, threshold-banner]" in err


def test_a_comment_inside_nested_records_is_refused(base: Path) -> None:
    _rewrite(
        base,
        EXP3,
        "  variants:\n    - {name: control",
        "  variants:\n    # counts\n    - {name: control",
    )
    err = _refused(base, COUNTS3)
    assert "'result.variants' holds a comment that would be lost" in err
    assert "make the change by hand:\nresult:\n  variants:\n    - {name: control" in err


def test_a_value_that_breaks_a_rule_is_refused_with_the_finding(base: Path) -> None:
    err = _refused(
        base, "variants=[{name: control, allocation: 40}, {name: threshold-banner, allocation: 50}]"
    )
    assert "variant allocations must be given for every variant and add up to 100" in err
    assert "nothing was written" in err


def test_an_unknown_record_field_is_refused_by_the_schema(base: Path) -> None:
    err = _refused(base, "result.variants=[{name: control, sample_size: 10, visits: 3}]")
    assert "visits" in err and "nothing was written" in err


def test_a_malformed_value_is_a_usage_error(base: Path) -> None:
    err = _refused(base, "variants=[{name: a")
    assert "variants: cannot read the value '[{name: a'" in err
    assert "not closed" in err


@pytest.mark.parametrize(
    "assignment, message",
    [
        ("tags=[{name: a}]", "'tags' takes no mappings or nested lists"),
        ("guardrail_metrics=[[a, b]]", "'guardrail_metrics' takes no mappings or nested lists"),
        ("variants=[[control], [b]]", "'variants' takes records, not nested lists"),
        ("variants=[{name: [a, b]}]", "the record field 'name' takes a single value"),
        ("result.outcome=[{a: 1}]", "'result.outcome' takes no mappings or nested lists"),
        ("title={a: 1}", "set nested fields one by one"),
    ],
)
def test_other_structured_values_are_refused_plainly(
    base: Path, assignment: str, message: str
) -> None:
    err = _refused(base, assignment)
    assert message in err


def test_the_hint_names_the_fields_that_hold_records(base: Path) -> None:
    err = _refused(base, "tags=[{name: a}]")
    assert "variants, amendments, result.variants, result.guardrails" in err


def test_a_read_only_file_is_refused(base: Path) -> None:
    path = base / EXP3
    path.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        err = _refused(base, COUNTS3)
    finally:
        path.chmod(0o644)
    assert "read-only" in err


def test_a_dry_run_shows_the_diff_and_writes_nothing(base: Path) -> None:
    before = snapshot(base)
    result = cx("-C", base, "set", "--dry-run", "--no-touch", "EXP-0007", RECORDS7)
    assert result.exit_code == 0, result.output
    assert snapshot(base) == before
    assert "-variants: [control, callback-offer]\n+variants:\n" in result.stdout
    assert "+  - {name: callback-offer, allocation: 50}\n" in result.stdout


def test_an_edit_touches_updated(base: Path) -> None:
    before = (base / EXP3).read_text()
    result = cx("--today", "2026-01-02", "-C", base, "set", "EXP-0003", COUNTS3)
    assert result.exit_code == 0, result.output
    after = (base / EXP3).read_text()
    assert after == before.replace(RESULT_VARIANTS3, NEW_RESULT_VARIANTS3).replace(
        "updated: 2025-05-06", "updated: 2026-01-02"
    )


def test_json_output_gives_the_records_as_written(base: Path) -> None:
    result = cx(
        "-C", base, "set", "--no-touch", "--format", "json", "EXP-0007",
        "variants=[{allocation: 50, name: control}, {name: callback-offer, allocation: 50}]",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.json()["values"]["variants"] == [
        {"name": "control", "allocation": 50},
        {"name": "callback-offer", "allocation": 50},
    ]
    assert list(result.json()["values"]["variants"][0]) == ["name", "allocation"]


def test_a_decision_rule_is_written_as_one_record(base: Path) -> None:
    """decision_rule takes words or one record: the record goes on the key's line, its keys in
    the model's order; a rule set cannot read is refused with nothing written."""
    before = (base / EXP3).read_text(encoding="utf-8")
    _set(base, "decision_rule={text: Ship a clear win, ship_if: significant-win and guardrails-ok}")
    after = (base / EXP3).read_text(encoding="utf-8")
    line = "decision_rule: {ship_if: significant-win and guardrails-ok, text: Ship a clear win}\n"
    assert _changed(before, after) == [f"+{line}"]
    _valid(base)
    _set(base, "decision_rule=ship if it wins")
    words = (base / EXP3).read_text(encoding="utf-8")
    assert _changed(after, words) == [f"-{line}", "+decision_rule: ship if it wins\n"]
    assert "unknown condition 'sig-win'" in _refused(base, "decision_rule={ship_if: sig-win}")
    assert "set nested fields one by one" in _refused(base, "result={outcome: won}")
