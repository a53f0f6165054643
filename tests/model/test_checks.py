"""``check_document``, the one entry point of the single-file checks: a document the schema
refuses still gets its lifecycle findings in the same pass."""

from __future__ import annotations

import pytest
from tests.conftest import EXAMPLE

from cxlib.kb.config_file import load_config
from cxlib.kb.parse import parse_bytes
from cxlib.model.checks import check_document
from cxlib.model.codes import Code
from cxlib.model.kinds import Kind

CONFIG = load_config(EXAMPLE)

# A validated insight with neither evidence nor confidence (two lifecycle errors) and an
# invalid type (a schema error): one pass reports all three.
REFUSED = b"""---
id: INS-0001
title: Shoppers miss the size guide
status: validated
owner: Ana Lima
created: 2025-01-10
stage: purchase
touchpoint: cart
type: not-a-type
source: interview
---

## Summary

They do.
"""


def _codes(
    text: bytes, kind: Kind = Kind.INSIGHT, path: str = "insights/INS-0001-a.md"
) -> set[str]:
    checked = check_document(path, kind, parse_bytes(text), CONFIG)
    return {f.code for f in checked.findings}


def test_schema_and_lifecycle_findings_come_in_one_pass() -> None:
    codes = _codes(REFUSED)
    assert Code.INVALID_VALUE in codes
    assert {Code.INSIGHT_EVIDENCE, Code.INSIGHT_CONFIDENCE} <= codes


def test_a_refused_document_that_meets_its_status_has_no_lifecycle_finding() -> None:
    fixed = REFUSED.replace(
        b"source: interview", b"source: interview\nevidence: [EXP-0001]\nconfidence: high"
    )
    assert _codes(fixed) == {Code.INVALID_VALUE}


def test_an_unknown_status_has_no_requirements_to_check() -> None:
    codes = _codes(REFUSED.replace(b"status: validated", b"status: bogus"))
    assert Code.INSIGHT_EVIDENCE not in codes and Code.INVALID_VALUE in codes


EXPERIMENT = b"""---
id: EXP-0001
title: Cart banner
status: concluded
owner: Ana Lima
created: 2025-01-10
stage: purchase
touchpoint: cart
opportunity: OPP-0001
hypothesis: If we show it, more buy.
primary_metric: conversion-rate
start: 2025-01-12
end: 2025-02-12
result:
  outcome: won
decision: ship
---

## Learnings

LEARNINGS
"""


def test_a_losing_experiment_refused_by_the_schema_still_needs_its_learnings() -> None:
    experiment = EXPERIMENT.replace(
        b"  outcome: won", b"  outcome: lost\n  effect: not-a-number"
    ).replace(b"LEARNINGS", b"")
    checked = check_document(
        "experiments/EXP-0001-a.md", Kind.EXPERIMENT, parse_bytes(experiment), CONFIG
    )
    assert Code.INVALID_VALUE in {f.code for f in checked.findings}  # the schema refused it
    learnings = [f for f in checked.findings if f.code == Code.EXPERIMENT_LEARNINGS]
    assert learnings and "a loss or an inconclusive result" in learnings[0].message


@pytest.mark.parametrize("text", ["TBD", "- TODO", "**TBD**", "n/a.", "...", "TBD\n\n- later"])
def test_a_learnings_section_of_placeholders_is_empty(text: str) -> None:
    doc = EXPERIMENT.replace(b"LEARNINGS", text.encode())
    assert Code.EXPERIMENT_LEARNINGS in _codes(doc, Kind.EXPERIMENT, "experiments/EXP-0001-a.md")


@pytest.mark.parametrize("text", ["Shoppers read it.", "- 2% more orders", "TBD: the cause"])
def test_a_learnings_section_that_says_something_is_written(text: str) -> None:
    doc = EXPERIMENT.replace(b"LEARNINGS", text.encode())
    codes = _codes(doc, Kind.EXPERIMENT, "experiments/EXP-0001-a.md")
    assert Code.EXPERIMENT_LEARNINGS not in codes


def test_placeholder_fields_are_not_given() -> None:
    fixed = REFUSED.replace(b"type: not-a-type", b"type: pain-point").replace(
        b"source: interview", b"source: interview\nevidence: [TBD, '-']\nconfidence: high"
    )
    assert _codes(fixed) == {Code.INSIGHT_EVIDENCE}
    assert _codes(fixed.replace(b"owner: Ana Lima", b"owner: n/a")) == {
        Code.INSIGHT_EVIDENCE,
        Code.INSIGHT_OWNER,
    }


def _result(result: str, design: str = "") -> set[str]:
    doc = EXPERIMENT.replace(b"result:\n  outcome: won", f"result:\n{result}".encode())
    doc = doc.replace(b"decision: ship", f"decision: ship\n{design}".encode())
    return _codes(
        doc.replace(b"LEARNINGS", b"Shoppers read it."),
        Kind.EXPERIMENT,
        "experiments/EXP-0001-a.md",
    )


SIGNIFICANT_AT_10 = "  outcome: won\n  effect: 2\n  p_value: 0.07\n  interval: [0.3, 3.7]"


def test_significance_is_judged_at_the_experiments_alpha() -> None:
    assert Code.P_VALUE_INTERVAL in _result(SIGNIFICANT_AT_10)  # at the default 0.05
    assert _result(SIGNIFICANT_AT_10, "alpha: 0.1") == set()


def test_an_interval_at_another_level_is_not_compared_with_the_p_value() -> None:
    # the 90% interval is set aside; the p-value alone says "not significant at 0.05"
    assert _result(SIGNIFICANT_AT_10 + "\n  interval_level: 0.9") == {Code.NOT_SIGNIFICANT}


def test_a_bayesian_result_has_no_p_value_rules() -> None:
    won = "  outcome: won\n  effect: 2\n  p_value: 0.64\n  interval: [-1, 5]"
    assert Code.NOT_SIGNIFICANT in _result(won)
    assert _result(won + "\n  chance_to_win: 0.97") == set()


@pytest.mark.parametrize(
    "design", ["alpha: 1.5", "power: 0", "alpha: .nan", "mde: .inf", "planned_sample_size: -3"]
)
def test_a_design_value_out_of_range_is_a_finding(design: str) -> None:
    codes = _result("  outcome: won", design)
    assert codes & {Code.OUT_OF_RANGE, Code.INVALID_VALUE, Code.YAML_NUMBER}, codes
