"""The vocabulary as data: groups, requirements, and fields a program declares itself."""

from __future__ import annotations

from tests.conftest import EXAMPLE

from cxlib.kb.config_file import load_config
from cxlib.kb.parse import parse_bytes
from cxlib.model.checks import check_document
from cxlib.model.kinds import Kind
from cxlib.model.rules import field_value
from cxlib.model.vocabulary import (
    CONCLUDED,
    GROUPS,
    REQUIREMENTS,
    TRANSITIONS,
    Requirement,
    requirements,
    statuses,
)

DOC = b"""---
id: EXP-0001
title: Cart banner
status: draft
created: 2025-01-10
market: de
---
"""


def test_every_group_names_real_statuses() -> None:
    for name, group in GROUPS.items():
        known = {*statuses(group.kind), "won", "lost", "inconclusive", "invalid", "stopped-early"}
        assert set(group.members) <= known, name


def test_every_requirement_names_statuses_of_its_kind() -> None:
    for req in REQUIREMENTS:
        assert set(req.statuses) <= set(TRANSITIONS[req.kind]), req
        assert bool(req.fields) + bool(req.any_of) + bool(req.section) == 1, req


def test_groups_compare_with_plain_strings() -> None:
    assert "concluded" in CONCLUDED and "running" not in CONCLUDED


def test_a_declared_requirement_may_name_a_field_the_models_lack() -> None:
    declared = Requirement(None, Kind.EXPERIMENT, ("draft",), "needs a market", fields=("market",))
    found = requirements(Kind.EXPERIMENT, "draft", (declared,))
    assert found[-1] is declared
    parsed = parse_bytes(DOC)
    doc = check_document(
        "experiments/EXP-0001-cart.md", Kind.EXPERIMENT, parsed, load_config(EXAMPLE)
    ).doc
    assert doc is not None  # the unknown key is a warning, not a failure of the model
    assert field_value(doc, "market", parsed.data) == "de"
    assert field_value(doc, "title", parsed.data) == "Cart banner"
    assert field_value(doc, "result.outcome", parsed.data) is None


def test_a_finding_knows_what_it_depends_on() -> None:
    from cxlib.model.codes import Scope
    from cxlib.model.findings import error

    assert error("broken-link", "a.md", "x").scope == Scope.LIBRARY
    assert error("insight-evidence", "a.md", "x").scope == Scope.FILE
    assert error("created-vs-git", "a.md", "x").scope == Scope.HISTORY
