"""The standing rule (:mod:`cxlib.model.standing`): each standing, the weights, recency, and
the plain-value significance agreeing with the model's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.conftest import example_copy

from cxlib.kb.config_file import load_config
from cxlib.kb.store import KnowledgeBase
from cxlib.model.documents import Experiment
from cxlib.model.result_rules import significant
from cxlib.model.standing import (
    ExperimentFacts,
    Standing,
    facts_from_data,
    facts_from_model,
    significant_values,
    weigh,
)
from cxlib.ops.loading import load_models

URL = "https://research.example/survey"


def _test(
    outcome: str | None, sig: bool, end: str = "2025-06-01", status: str = "concluded"
) -> ExperimentFacts:
    return ExperimentFacts(status, outcome, sig, dt.date.fromisoformat(end), 0.05)


WON = _test("won", True)
LOST = _test("lost", True)
WEAK_WIN = _test("won", False)
FLAT = _test("inconclusive", False)
RUNNING = _test(None, False, status="running")
FACTS = {
    "EXP-0001": WON,
    "EXP-0002": LOST,
    "EXP-0003": WEAK_WIN,
    "EXP-0004": FLAT,
    "EXP-0005": RUNNING,
    "EXP-0006": _test("won", True, end="2025-09-01"),
    "EXP-0007": _test("lost", True, end="2022-01-01"),  # long before the others
    "EXP-0008": _test("invalid", True),
}


@pytest.mark.parametrize(
    ("evidence", "counter", "expected", "support", "contradiction"),
    [
        ([URL], [], Standing.EMERGING, 1, 0),  # research only
        ([URL, "EXP-0004", "EXP-0005"], [], Standing.EMERGING, 1, 0),  # nothing read yet
        ([URL, "EXP-0003"], [], Standing.SUPPORTED, 2, 0),
        (["EXP-0002"], [], Standing.SUPPORTED, 2, 0),  # a loss in evidence supports
        (["EXP-0001", "EXP-0006"], [], Standing.CONFIRMED, 4, 0),
        (["EXP-0001", "EXP-0003"], [], Standing.SUPPORTED, 3, 0),  # one significant only
        ([URL], ["EXP-0002"], Standing.CONTESTED, 1, 2),
        ([URL, "EXP-0003"], ["EXP-0002"], Standing.CONTESTED, 2, 2),  # a tie is contested
        ([URL, "EXP-0001"], ["EXP-0003"], Standing.SUPPORTED, 3, 1),
        ([], ["EXP-0002"], Standing.REFUTED, 0, 2),
        ([], ["EXP-0004"], Standing.EMERGING, 0, 0),  # an inconclusive test weighs nothing
        ([URL, URL, URL], ["EXP-0002"], Standing.CONTESTED, 1, 2),  # research counts once
        (["EXP-0008"], [], Standing.EMERGING, 0, 0),  # invalid weighs nothing
        # Recency: EXP-0007 ended over two years before EXP-0001: 1 instead of 2.
        ([URL, "EXP-0001"], ["EXP-0007"], Standing.SUPPORTED, 3, 1),
        (["EXP-0007"], ["EXP-0001"], Standing.CONTESTED, 1, 2),
        (["EXP-0404"], [], Standing.EMERGING, 0, 0),  # a broken link is no evidence
    ],
)
def test_the_rule(
    evidence: list[object],
    counter: list[object],
    expected: Standing,
    support: float,
    contradiction: float,
) -> None:
    judged = weigh(evidence, counter, FACTS)
    assert (judged.standing, judged.support, judged.contradiction) == (
        expected,
        support,
        contradiction,
    )


def test_each_experiment_says_why_it_weighs_what_it_weighs() -> None:
    judged = weigh([URL, "EXP-0001", "EXP-0004"], ["EXP-0007"], FACTS)
    assert [(t.id, t.side, t.weight, t.why) for t in judged.tests] == [
        ("EXP-0001", "supports", 2.0, "won, significant at alpha 0.05"),
        ("EXP-0004", "supports", 0.0, "inconclusive: weighs nothing"),
        (
            "EXP-0007",
            "contradicts",
            1.0,
            "lost, significant at alpha 0.05; over two years before 2025-06-01: half",
        ),
    ]


def test_facts_from_plain_values_are_defensive() -> None:
    facts = facts_from_data(
        {"status": "concluded", "alpha": "x", "result": {"outcome": "won", "p_value": "0.01"}}
    )
    assert (facts.alpha, facts.significant, facts.end) == (0.05, False, None)
    assert facts_from_data({"result": [1, 2]}).outcome is None
    assert significant_values({"p_value": 0.01, "interval": [1, 2]}, 0.05)
    assert not significant_values({"p_value": 0.01, "interval": [-1, 2]}, 0.05)  # disagree
    assert significant_values({"p_value": 0.2, "interval": [-1, 2], "interval_level": 0.9}, 0.3)
    assert significant_values({"chance_to_win": 0.97}, 0.05)
    assert not significant_values({"interval": [True, 2]}, 0.05)


def test_plain_values_and_models_agree_on_the_example(tmp_path: Path) -> None:
    """The validate rule reads plain values (skeletons), the reports models: same facts."""
    root = example_copy(tmp_path / "northwind")  # loading writes the parse cache
    library = load_models(KnowledgeBase(root, load_config(root)))
    experiments = [d for d in library.docs if isinstance(d.doc, Experiment)]
    assert len(experiments) == 22
    for d in experiments:
        assert isinstance(d.doc, Experiment)
        assert facts_from_data(d.parsed.data or {}) == facts_from_model(d.doc), d.id
        if d.doc.result is not None:
            alpha = d.doc.alpha or 0.05
            plain = significant_values(d.parsed.data["result"], alpha)  # type: ignore[index]
            assert plain == significant(d.doc.result, alpha), d.id
