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
