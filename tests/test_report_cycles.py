"""Planning cycles: an opportunity's ``cycle`` and ``target``, ``report roadmap --by cycle`` and
the *target passed* flag, on the example library (today 2026-11-01)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import cx, example_copy, golden

TODAY = "2026-11-01"


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("cycles") / "northwind")


def roadmap(root: Path, *options: str) -> Any:
    result = cx("-C", root, "--today", TODAY, "report", "roadmap", *options, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.json()


def test_pipeline_per_cycle_by_hand(northwind: Path) -> None:
    data = roadmap(northwind, "--by", "cycle")
    cycles = {g["cycle"]: g for g in data["cycles"]}
    # Cycles in order, "(no cycle)" last: OPP-0003 delivered in 2025-Q3, OPP-0002 delivered in
    # 2025-Q4; OPP-0004 in progress in 2026-Q3; OPP-0001 in progress in 2026-Q4; OPP-0009 (idea)
    # and OPP-0007 (prioritized) in 2027-Q1; OPP-0008, an idea, has none. The parked OPP-0005
    # and rejected OPP-0006 are in no pipeline.
    assert list(cycles) == ["2025-Q3", "2025-Q4", "2026-Q3", "2026-Q4", "2027-Q1", "(no cycle)"]
    assert {c: [i["id"] for i in g["items"]] for c, g in cycles.items()} == {
        "2025-Q3": ["OPP-0003"],
        "2025-Q4": ["OPP-0002"],
        "2026-Q3": ["OPP-0004"],
        "2026-Q4": ["OPP-0001"],
        "2027-Q1": ["OPP-0009", "OPP-0007"],  # rank 2 (priority 3.5), rank 4 (2.667)
        "(no cycle)": ["OPP-0008"],
    }
    q1 = cycles["2027-Q1"]
    assert q1["counts"] == {"idea": 1, "prioritized": 1, "in-progress": 0, "delivered": 0}
    assert q1["owners"] == ["Priya Raman", "Tomás Ferreira"]
    # OPP-0004's target 2026-09-30 is 32 days before today: the one target passed. OPP-0001's
    # 2026-12-18 and OPP-0007's 2027-03-31 are ahead; OPP-0002's 2025-10-31 is past, but it
    # was delivered.
    assert cycles["2026-Q3"]["overdue"] == 1
    assert cycles["2026-Q3"]["items"][0]["flags"] == ["target passed"]
    assert sum(g["overdue"] for g in data["cycles"]) == 1
    assert cycles["2025-Q4"]["items"][0]["rank"] is None


def test_target_passed_is_flagged_without_by(northwind: Path) -> None:
    data = roadmap(northwind)
    items = {i["id"]: i for g in data["groups"] for i in g["items"]}
    assert "target passed" in items["OPP-0004"]["flags"]
    assert "target passed" not in items["OPP-0001"]["flags"]
    assert (items["OPP-0004"]["cycle"], items["OPP-0004"]["target"]) == ("2026-Q3", "2026-09-30")
    assert data["cycles"] == []  # only with --by cycle
    # The day after the target is the first day it is passed, not the day itself.
    on_the_day = cx(
        "-C", northwind, "--today", "2026-09-30", "report", "roadmap", "--format", "json"
    ).json()
    items = {i["id"]: i for g in on_the_day["groups"] for i in g["items"]}
    assert "target passed" not in items["OPP-0004"]["flags"]


@pytest.mark.parametrize(
    "line, message",
    [
        ("cycle: 2027-Q5", "a quarter (2027-Q1)"),
        ("cycle: Q1-2027", "a quarter (2027-Q1)"),
        ("cycle: '2027'", "a quarter (2027-Q1)"),
        ("target: 2027-02-30", "target"),
        ("target: 2027-03-31 10:00:00", "target"),
    ],
)
def test_a_bad_cycle_or_target_is_a_located_finding(
    tmp_path: Path, line: str, message: str
) -> None:
    root = example_copy(tmp_path / "northwind")
    path = next((root / "opportunities").glob("OPP-0007-*.md"))
    good = {"cycle": "cycle: 2027-Q1", "target": "target: 2027-03-31"}[line.split(":")[0]]
    text = path.read_text()
    assert text.count(good) == 1
    path.write_text(text.replace(good, line))
    written = path.read_bytes()
    result = cx("-C", root, "validate")
    assert result.exit_code == 1, result.output
    rel = path.relative_to(root).as_posix()
    line_no = text.split("\n").index(good) + 1
    assert f"{rel}:{line_no}:" in result.output and message in result.output
    assert path.read_bytes() == written


def test_the_schema_names_cycle_and_target(northwind: Path) -> None:
    result = cx("-C", northwind, "schema", "opportunity")
    assert result.exit_code == 0, result.output
    props = result.json()["properties"]
    assert props["cycle"]["anyOf"][0]["pattern"] == "^[0-9]{4}-(Q[1-4]|H[12]|0[1-9]|1[0-2])$"
    assert props["target"]["anyOf"][0]["format"] == "date"


@pytest.mark.parametrize("fmt, ext", [("markdown", "md"), ("json", "json")])
def test_golden_by_cycle(northwind: Path, fmt: str, ext: str) -> None:
    result = cx(
        "-C", northwind, "--today", TODAY, "report", "roadmap", "--by", "cycle", "--format", fmt
    )
    assert result.exit_code == 0, result.output
    golden(f"report-roadmap-by-cycle.{ext}", result.stdout)
