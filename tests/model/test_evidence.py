"""The evidence factor (:mod:`cxlib.model.evidence`): the README's worked figures, the bounds,
and the formula shown with the scores in it."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest
from tests.conftest import EXAMPLE

from cxlib.model.config import EvidenceWeights
from cxlib.model.config_check import ConfigProblem, check_config
from cxlib.model.evidence import (
    ExperimentOutcome,
    InsightFacts,
    evidence_score,
    explain_priority,
)

W = EvidenceWeights()


def _insight(
    i: int, standing: str, status: str = "validated", source: str = "survey", due: str | None = None
) -> InsightFacts:
    return InsightFacts(f"INS-{i:04d}", status, standing, source, due)


def _test(i: int, outcome: str) -> ExperimentOutcome:
    return ExperimentOutcome(f"EXP-{i:04d}", outcome, "conversion-rate")


@pytest.mark.parametrize(
    ("insights", "experiments", "factor"),
    [
        ([], [], 1.0),
        # The README's three examples.
        ([_insight(1, "emerging")], [], 1.05),
        (
            [_insight(1, "confirmed"), _insight(2, "confirmed", source="analytics")],
            [_test(1, "won"), _test(2, "won")],
            1.45,
        ),
        ([_insight(1, "refuted")], [_test(1, "lost")], 0.70),
        # A draft counts half, research due for review half, both a quarter.
        ([_insight(1, "supported", status="draft")], [], 1.05),
        ([_insight(1, "supported", due="updated + 12 months = 2026-01-01")], [], 1.05),
        ([_insight(1, "confirmed", status="draft", due="review_by 2026-01-01")], [], 1.0375),
        # Rejected and archived insights add nothing, and no source.
        ([_insight(1, "confirmed", status="rejected")], [], 1.0),
        # Sources beyond the first, at most two.
        (
            [_insight(i, "emerging", source=s) for i, s in enumerate(["a", "b", "c", "d"], 1)],
            [],
            1.0 + 4 * 0.05 + 2 * 0.05,
        ),
        # Four wins are held to +0.15; an inconclusive one adds nothing.
        ([], [_test(i, "won") for i in range(1, 5)] + [_test(9, "inconclusive")], 1.15),
        # The factor stays within [0.5, 1.5].
        ([_insight(i, "refuted", source=str(i)) for i in range(1, 4)], [], 0.5),
        ([_insight(i, "confirmed", source=str(i)) for i in range(1, 6)], [], 1.5),
    ],
)
def test_factor(
    insights: list[InsightFacts], experiments: list[ExperimentOutcome], factor: float
) -> None:
    assert evidence_score(insights, experiments, W).factor == pytest.approx(factor)


def test_every_term_names_its_documents_and_weights() -> None:
    score = evidence_score(
        [_insight(1, "supported", status="draft"), _insight(2, "emerging", source="analytics")],
        [_test(3, "lost")] + [_test(i, "won") for i in range(4, 9)],
        W,
    )
    rows = [(t.label, round(t.value, 4), t.documents, t.weights) for t in score.terms]
    assert rows[:3] == [
        (
            "insight INS-0001",
            0.05,
            ("INS-0001",),
            ("scoring.evidence.supported", "scoring.evidence.draft"),
        ),
        ("insight INS-0002", 0.05, ("INS-0002",), ("scoring.evidence.emerging",)),
        (
            "sources",
            0.05,
            ("INS-0001", "INS-0002"),
            ("scoring.evidence.per_source", "scoring.evidence.max_sources"),
        ),
    ]
    assert rows[3] == ("experiment EXP-0003", -0.05, ("EXP-0003",), ("scoring.evidence.lost",))
    # 5 wins and a loss add +0.20, held to +0.15 by a line of its own.
    assert rows[-1] == ("experiments held", -0.05, (), ("scoring.evidence.max_experiments",))
    assert score.factor == pytest.approx(1.30) and score.clamped is None
    held = evidence_score([_insight(1, "refuted")] * 3, [], W)
    assert (held.factor, held.clamped) == (0.5, "floor")


def test_weights_come_from_the_config() -> None:
    mine = EvidenceWeights(emerging=0.2, ceiling=1.1)
    assert evidence_score([_insight(1, "emerging")], [], mine).factor == pytest.approx(1.1)


def test_the_formula_with_the_scores_in_it() -> None:
    values = {
        "customer_value": 4.0,
        "business_value": 3.0,
        "effort": 2.0,
        "reach": 1.0,
        "confidence": 0.8,
    }
    assert explain_priority("value-over-effort", values, []) == (
        "(customer_value 4 + business_value 3) / effort 2"
    )
    assert explain_priority("rice", values, ["reach", "confidence"]) == (
        "reach 1 (assumed) * (customer_value 4 + business_value 3) / 2 * "
        "confidence 0.8 (assumed) / effort 2"
    )
    assert explain_priority("2 * effort", values, []) == "2 * effort 2"


@pytest.mark.parametrize(
    ("table", "where"),
    [
        ({"scoring": {"evidence": {"floor": 2}}}, ("scoring", "evidence", "floor")),
        ({"scoring": {"evidence": {"confirmed": 3}}}, ("scoring", "evidence", "confirmed")),
        ({"scoring": {"evidence": {"wins": 0.1}}}, ("scoring", "evidence", "wins")),
        ({"scoring": {"evidence_weighting": "maybe"}}, ("scoring", "evidence_weighting")),
        ({"review": {"insight_months": 0}}, ("review", "insight_months")),
    ],
)
def test_bad_weights_are_config_errors(table: dict[str, Any], where: tuple[str, ...]) -> None:
    data = {**tomllib.loads((EXAMPLE / "cxlib.toml").read_text())}
    for key, value in table.items():
        data[key] = {**data.get(key, {}), **value}
    with pytest.raises(ConfigProblem) as caught:
        check_config(data)
    assert caught.value.loc == where


def test_the_weights_from_cxlib_toml() -> None:
    data = tomllib.loads((EXAMPLE / "cxlib.toml").read_text())
    data["scoring"] = {**data["scoring"], "evidence_weighting": True, "evidence": {"won": 0.1}}
    config = check_config(data)
    assert config.scoring.evidence_weighting
    assert (config.scoring.evidence.won, config.scoring.evidence.lost) == (0.1, -0.05)
