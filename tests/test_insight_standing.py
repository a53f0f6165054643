"""An insight's standing end to end: show prints it, validate warns when the declared status
disagrees (cold, and warm from the facts cache's skeletons), the roadmap flags what rests on a
contested insight."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import HOUR_AGO, cx, settled_copy

INS_0010 = "insights/INS-0010-points-reminders-bring-lapsed-members-back.md"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The example, every document last modified an hour ago (outside the racy window)."""
    return settled_copy(tmp_path / "northwind")


def _validated(base: Path) -> None:
    """INS-0010 declared validated again, although EXP-0014 contradicts it."""
    path = base / INS_0010
    path.write_text(path.read_text().replace("status: rejected", "status: validated"))
    os.utime(path, (HOUR_AGO, HOUR_AGO))


def _findings(base: Path, *args: str) -> list[tuple[str, str, int]]:
    result = cx("-C", base, "validate", *args, "--format", "json")
    return [(f["code"], f["path"], f["line"]) for f in result.json()["findings"]]


def test_show_prints_the_standing_and_its_terms(base: Path) -> None:
    result = cx("-C", base, "show", "INS-0010")
    assert result.exit_code == 0, result.output
    assert "standing: contested (support 1, contradiction 2; research references: 1)" in (
        result.stdout
    )
    assert "contradicts       EXP-0014   weight 2: lost, significant at alpha 0.05" in result.stdout
    data = cx("-C", base, "show", "INS-0009", "--format", "json").json()
    assert data["standing"]["standing"] == "confirmed"
    assert [t["id"] for t in data["standing"]["experiments"]] == ["EXP-0009", "EXP-0012"]
    assert cx("-C", base, "show", "EXP-0014", "--format", "json").json()["standing"] is None


def test_validate_warns_when_a_validated_insight_is_contested(base: Path) -> None:
    assert _findings(base) == []
    _validated(base)
    expected = [("insight-standing", INS_0010, 4)]
    assert _findings(base, "--no-cache") == expected
    assert _findings(base) == expected  # cold: facts cache written
    assert _findings(base) == expected  # warm: the run cache
    # Another file changes: the run cache cannot answer, the rule reads the skeletons.
    other = base / "insights/INS-0002-shipping-costs-surface-too-late.md"
    other.write_text(other.read_text() + "\n")
    os.utime(other, (HOUR_AGO, HOUR_AGO))
    assert _findings(base) == expected
    result = cx("-C", base, "validate")
    assert "a validated insight whose standing is contested: support weighs 1, " in result.stdout
    # The hook knows EXP-0014 by its name only: it leaves the rule to the whole run.
    assert _findings(base, str(base / INS_0010)) == []


def test_roadmap_and_health_show_a_contested_insight(base: Path) -> None:
    _validated(base)
    path = base / "opportunities/OPP-0005-bring-lapsed-members-back-with-points-reminders.md"
    path.write_text(path.read_text().replace("status: parked", "status: idea"))
    roadmap = cx("-C", base, "--today", "2026-11-01", "report", "roadmap", "--format", "json")
    [item] = [i for g in roadmap.json()["groups"] for i in g["items"] if i["id"] == "OPP-0005"]
    assert item["standings"] == [{"id": "INS-0010", "status": "validated", "standing": "contested"}]
    assert "insight contested" in item["flags"]
    health = cx("-C", base, "--today", "2026-11-01", "report", "health", "--format", "json")
    problems = {(p["problem"], p["id"]): p["detail"] for p in health.json()["problems"]}
    # The evidence area names the insight's status too: a contested draft and a contested
    # validated insight call for different work.
    assert problems[("insight-contested", "INS-0010")] == (
        "validated, contested: contradiction 2 against support 1"
    )
