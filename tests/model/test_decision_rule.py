"""The structured decision rule: its grammar, what each condition asks of a result, and the
findings that compare the decision taken with the rule declared before the test."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from tests.conftest import EXAMPLE

from cxlib.kb.config_file import load_config
from cxlib.kb.parse import parse_bytes
from cxlib.model.checks import check_document
from cxlib.model.decision_rule import parse
from cxlib.model.documents import Experiment
from cxlib.model.kinds import Kind
from cxlib.model.result_rules import ship_rule_holds, significant

CONFIG = load_config(EXAMPLE)


def test_and_binds_tighter_than_or() -> None:
    assert parse("significant-win and guardrails-ok or not-lost") == [
        ["significant-win", "guardrails-ok"],
        ["not-lost"],
    ]


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ("", "the rule is empty"),
        ("win and", "ends without a condition"),
        ("sig-win", "unknown condition 'sig-win'"),
        ("win guardrails-ok", "expected 'and' or 'or' before 'guardrails-ok'"),
        ("win and or not-lost", "unknown condition 'or'"),
    ],
)
def test_a_rule_that_cannot_be_read_says_why(rule: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse(rule)


def _experiment(**fields: object) -> Experiment:
    base: dict[str, object] = {
        "id": "EXP-0001",
        "title": "T",
        "status": "concluded",
        "created": "2025-01-01",
        "guardrail_metrics": ["return-rate"],
        "decision_rule": {"ship_if": "significant-win and guardrails-ok"},
    }
    return Experiment.model_validate({**base, **fields})


OK = [{"metric": "return-rate", "status": "ok"}]


@pytest.mark.parametrize(
    ("result", "holds"),
    [
        ({"outcome": "won", "p_value": 0.01, "guardrails": OK}, True),
        ({"outcome": "won", "p_value": 0.2, "guardrails": OK}, False),  # not significant
        ({"outcome": "won", "interval": [0.5, 2.0], "guardrails": OK}, True),
        ({"outcome": "won", "p_value": 0.01}, False),  # no guardrail result: not known ok
        (
            {"outcome": "won", "p_value": 0.01, "guardrails": [{**OK[0], "status": "breached"}]},
            False,
        ),
        ({"outcome": "won", "chance_to_win": 0.97, "guardrails": OK}, True),  # Bayesian
        ({"outcome": "won", "chance_to_win": 0.9, "guardrails": OK}, False),
        ({"outcome": "lost", "p_value": 0.01, "guardrails": OK}, False),
    ],
)
def test_significant_win_and_guardrails_ok(result: dict[str, object], holds: bool) -> None:
    assert ship_rule_holds(_experiment(result=result)) is holds


def test_a_rule_in_words_is_not_evaluated() -> None:
    assert ship_rule_holds(_experiment(decision_rule="ship if it wins")) is None


def test_significance_at_the_experiments_alpha() -> None:
    exp = _experiment(alpha=0.01, result={"outcome": "won", "p_value": 0.03})
    assert exp.result is not None
    assert not significant(exp.result, 0.01) and significant(exp.result, 0.05)


def test_an_unreadable_ship_if_is_a_located_schema_finding() -> None:
    with pytest.raises(ValidationError):
        _experiment(decision_rule={"ship_if": "win and"})
    text = (
        "---\nid: EXP-0001\ntitle: T\nstatus: draft\ncreated: 2025-01-01\n"
        "decision_rule:\n  ship_if: sig-win\n---\n"
    )
    d = check_document(
        "experiments/EXP-0001-t.md", Kind.EXPERIMENT, parse_bytes(text.encode()), CONFIG
    )
    [finding] = d.findings
    assert (finding.code, finding.line) == ("invalid-value", 7)
    assert "unknown condition 'sig-win'" in finding.message


def test_keeping_to_the_rule_or_giving_a_reason_is_quiet() -> None:
    text = (
        "---\nid: EXP-0001\ntitle: T\nstatus: concluded\nowner: Ana\ncreated: 2025-01-01\n"
        "opportunity: OPP-0001\nhypothesis: H\nprimary_metric: conversion-rate\n"
        "guardrail_metrics: [return-rate]\nstart: 2025-01-02\nend: 2025-02-01\n"
        "decision_rule: {ship_if: significant-win and guardrails-ok}\n"
        "result:\n  outcome: won\n  p_value: 0.01\n"
        "  guardrails: [{metric: return-rate, status: ok}]\n"
        "decision: iterate\n---\n\n## Learnings\n\nIt works.\n"
    )
    path = "experiments/EXP-0001-t.md"

    def codes(raw: str) -> list[str]:
        d = check_document(path, Kind.EXPERIMENT, parse_bytes(raw.encode()), CONFIG)
        return [f.code for f in d.findings]

    assert codes(text) == ["decision-rule"]  # the rule says ship, the team iterated
    assert codes(text.replace("decision: iterate", "decision: ship")) == []
    reason = "decision: iterate\ndecision_rationale: the win came from one market only"
    assert codes(text.replace("decision: iterate", reason)) == []


def test_shipping_an_inconclusive_result_asks_for_a_reason() -> None:
    text = (
        "---\nid: EXP-0001\ntitle: T\nstatus: concluded\nowner: Ana\ncreated: 2025-01-01\n"
        "opportunity: OPP-0001\nhypothesis: H\nprimary_metric: conversion-rate\n"
        "start: 2025-01-02\nend: 2025-02-01\nresult: {outcome: inconclusive}\n"
        "decision: ship\n---\n\n## Learnings\n\nNo loss.\n"
    )
    path = "experiments/EXP-0001-t.md"
    d = check_document(path, Kind.EXPERIMENT, parse_bytes(text.encode()), CONFIG)
    assert [(f.code, f.severity.value, f.line) for f in d.findings] == [
        ("decision-outcome", "warning", 13)
    ]
    reason = "decision: ship\ndecision_rationale: inside the agreed 2% margin"
    fixed = text.replace("decision: ship", reason)
    assert check_document(path, Kind.EXPERIMENT, parse_bytes(fixed.encode()), CONFIG).findings == []
