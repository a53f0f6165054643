"""What the interactive new asks for each kind, and how it checks an answer (no terminal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxlib.kb.store import KnowledgeBase
from cxlib.model.documents import MODELS
from cxlib.model.kinds import Kind
from cxlib.model.vocabulary import requirements
from cxlib.ops.new_questions import FIELDS, fields_to_ask, question


@pytest.fixture
def config(kb: Path) -> object:
    return KnowledgeBase.open(kb).config


def test_every_question_is_a_field_of_its_kind() -> None:
    for kind, fields in FIELDS.items():
        assert set(fields) <= set(MODELS[kind].model_fields), kind


def test_the_fields_the_next_statuses_require_are_asked() -> None:
    """Past an opportunity's idea: owner and scores; a running experiment: hypothesis and
    metric (links and evidence come with --link, sections with the editor)."""
    asked = {
        Kind.OPPORTUNITY: requirements(Kind.OPPORTUNITY, "prioritized"),
        Kind.EXPERIMENT: requirements(Kind.EXPERIMENT, "running"),
        Kind.INSIGHT: requirements(Kind.INSIGHT, "validated"),
    }
    for kind, reqs in asked.items():
        needed = {f for r in reqs for f in r.fields if "." not in f}
        assert needed - {"insights", "evidence", "start"} <= set(FIELDS[kind]), kind


def test_a_typo_gets_did_you_mean_and_any_case_is_the_canonical_name(config: object) -> None:
    q = question(Kind.INSIGHT, "stage", config, {})  # type: ignore[arg-type]
    assert q is not None
    assert q.check("delivr") == "'delivr' is not a stage: did you mean deliver?"
    assert q.check("zzz") is not None and "known: discover, consider" in str(q.check("zzz"))
    assert q.check("") is None and q.value("") is None
    assert q.value(" DELIVER ") == "deliver"


def test_the_touchpoints_are_those_of_the_stage_answered(config: object) -> None:
    q = question(Kind.INSIGHT, "touchpoint", config, {"stage": "purchase"})  # type: ignore[arg-type]
    assert q is not None and q.choices == ("cart", "checkout", "payment")
    assert question(Kind.INSIGHT, "touchpoint", config, {"stage": None}) is None  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["", "   ", "\t"])
def test_an_empty_owner_is_refused(config: object, text: str) -> None:
    q = question(Kind.OPPORTUNITY, "owner", config, {})  # type: ignore[arg-type]
    assert q is not None and q.required
    assert q.check(text) == "an owner is needed: the one person accountable for it"
    with pytest.raises(ValueError):
        q.value(text)
    assert q.value("  Ana   Lima ") == "Ana Lima"


@pytest.mark.parametrize("text", ["two", "0", "6", "3.5", "-1", "³"])
def test_a_score_is_a_whole_number_from_1_to_5(config: object, text: str) -> None:
    q = question(Kind.OPPORTUNITY, "effort", config, {})  # type: ignore[arg-type]
    assert q is not None
    assert q.check(text) == f"a score is a whole number from 1 to 5 (got '{text}')"
    assert q.value("4") == 4 and q.value("") is None


def test_the_research_facts_of_an_insight_must_be_chosen(config: object) -> None:
    for field in ("type", "source", "confidence"):
        q = question(Kind.INSIGHT, field, config, {})  # type: ignore[arg-type]
        assert q is not None and q.required
        assert q.check("") is not None and q.check("").startswith("choose a ")  # type: ignore[union-attr]


def test_what_the_command_line_gives_is_not_asked() -> None:
    asked = fields_to_ask(Kind.EXPERIMENT, {"owner": "Ana", "stage": None, "hypothesis": "x"})
    assert asked == ["primary_metric", "stage", "touchpoint", "team"]
