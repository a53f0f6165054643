"""KPIs per stage and touchpoint (``[[journey]] metrics``, touchpoint tables in cxlib.toml),
``report journey --kpis`` and ``--teams``, checked by hand on the example library."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import cx, example_copy, golden

from cxlib.kb.config_file import read_config

TODAY = "2026-11-01"


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("journey") / "northwind")


def journey(root: Path, *options: str) -> Any:
    result = cx("-C", root, "--today", TODAY, "report", "journey", *options, "--format", "json")
    assert result.exit_code == 0, result.output
    return result.json()


def _places(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for s in data["kpis"]:
        out[(s["stage"]["stage"], "")] = s["stage"]
        out.update({(t["stage"], t["touchpoint"]): t for t in s["touchpoints"]})
    return out


def test_kpis_by_hand(northwind: Path) -> None:
    places = _places(journey(northwind, "--kpis"))
    # deliver names cost-to-serve; contact-rate maps to it, so EXP-0006 and EXP-0018 (won) and
    # EXP-0021 (running), all on contact-rate at deliver, move it.
    deliver = places[("deliver", "")]
    assert [k["metric"] for k in deliver["kpis"]] == ["cost-to-serve"]
    assert [(m["id"], m["kpi"]) for m in deliver["experiments"]] == [
        ("EXP-0006", "cost-to-serve"),
        ("EXP-0018", "cost-to-serve"),
        ("EXP-0021", "cost-to-serve"),
    ]
    # shipping-updates: contact-rate with target 9 (contacts per 100 orders, down); EXP-0018 is
    # at order-confirmation, so only EXP-0006 and EXP-0021; INS-0005 is its pain point, OPP-0004
    # its open opportunity.
    ship = places[("deliver", "shipping-updates")]
    assert ship["kpis"] == [
        {"metric": "contact-rate", "target": 9.0, "unit": "contacts", "direction": "down"}
    ]
    assert [m["id"] for m in ship["experiments"]] == ["EXP-0006", "EXP-0021"]
    assert (ship["pain_points"], ship["opportunities"], ship["flag"]) == (1, 1, "")
    # size-guide: return-rate; EXP-0004 won, EXP-0010 invalid, EXP-0013 won are there.
    size = places[("consider", "size-guide")]
    assert [(m["id"], m["outcome"]) for m in size["experiments"]] == [
        ("EXP-0004", "won"),
        ("EXP-0010", "invalid"),
        ("EXP-0013", "won"),
    ]
    # search-ads has the draft pain point INS-0016 and no KPI: flagged. cart has INS-0002 and
    # a KPI (average-order-value): not flagged; no experiment there has it as primary metric.
    assert places[("discover", "search-ads")]["flag"] == "pain points, no KPI"
    cart = places[("purchase", "cart")]
    assert (cart["pain_points"], cart["flag"], cart["experiments"]) == (1, "", [])
    flagged = [k for k, p in places.items() if p.get("flag")]
    assert flagged == [("discover", "search-ads")]
    # a plain touchpoint has no KPI and its id for a name
    assert places[("purchase", "payment")]["kpis"] == []


def test_kpis_in_markdown_show_targets_with_the_direction(northwind: Path) -> None:
    result = cx(
        "-C", northwind, "--today", TODAY, "report", "journey", "--kpis", "--format", "markdown"
    )
    text = result.stdout
    assert "| · shipping-updates | contact-rate ≤ 9 contacts | 1 | 1 |" in text
    assert "| · cart | average-order-value ≥ 92 EUR | 1 | 1 |" in text
    assert "| · product-page | conversion-rate ≥ 3.4% |" in text


def test_teams_by_hand(northwind: Path) -> None:
    stages = {s["stage"]: s for s in journey(northwind, "--teams")["teams"]}
    # support: OPP-0007 (fulfilment, prioritized) and EXP-0007 (running), EXP-0022 (planned)
    # of the service team, neither naming OPP-0007: two teams, nothing shared.
    support = stages["support"]
    assert [(t["team"], t["opportunities"], t["experiments"]) for t in support["teams"]] == [
        ("fulfilment", ["OPP-0007"], []),
        ("service", [], ["EXP-0007", "EXP-0022"]),
    ]
    assert (support["shared"], support["flag"]) == ([], "teams work apart")
    # deliver: OPP-0004 and EXP-0021, both fulfilment's: one team.
    assert [t["team"] for t in stages["deliver"]["teams"]] == ["fulfilment"]
    assert stages["deliver"]["flag"] == ""
    # consider and use: no open work at all (EXP-0001, a draft, is at discover).
    assert stages["consider"]["teams"] == [] and stages["use"]["teams"] == []
    assert [s for s, v in stages.items() if v["flag"]] == ["support"]


def test_a_shared_opportunity_clears_the_flag(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "northwind")
    path = next((root / "experiments").glob("EXP-0022-*.md"))
    text = path.read_text()
    path.write_text(text.replace("stage: support\n", "opportunity: OPP-0007\nstage: support\n", 1))
    support = next(s for s in journey(root, "--teams")["teams"] if s["stage"] == "support")
    # OPP-0007 is fulfilment's, and the service team's EXP-0022 now names it: shared.
    assert (support["shared"], support["flag"]) == (["OPP-0007"], "")


def test_touchpoint_tables_round_trip_through_the_config_cache(northwind: Path) -> None:
    first, _ = read_config(northwind)  # validated, then written to .cxlib/config.json
    cached = json.loads((northwind / ".cxlib" / "config.json").read_text())
    consider = next(s for s in cached["config"]["journey"] if s["id"] == "consider")
    assert consider["touchpoints"] == ["category-page", "product-page", "size-guide", "reviews"]
    assert consider["touchpoint_tables"]["2"]["targets"] == {"return-rate": 22}
    second, _ = read_config(northwind)  # read back from the cache
    assert second == first
    consider_stage, purchase = second.stage("consider"), second.stage("purchase")
    assert consider_stage is not None and purchase is not None
    size_guide = consider_stage.touchpoint("size-guide")
    assert size_guide is not None and size_guide.targets == {"return-rate": 22.0}
    assert purchase.metrics == ["conversion-rate", "average-order-value"]


def _bad_config(root: Path, old: str, new: str) -> Any:
    path = root / "cxlib.toml"
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    result = cx("-C", root, "validate")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            'metrics = ["cost-to-serve", "nps"]',
            'metrics = ["cost-to-serv", "nps"]',
            "journey.5.metrics.0: 'cost-to-serv' is not a metric in [[metrics]]",
        ),
        (
            "targets = { contact-rate = 9 }",
            "targets = { contact-rte = 9 }",
            "journey.3.touchpoints.1.targets.contact-rte: 'contact-rte' is not one of its metrics",
        ),
        (
            '{ id = "cart", name = "Cart",',
            '{ name = "Cart",',
            "journey.2.touchpoints.0.id: Field required",
        ),
        (
            "targets = { nps = 45 }",
            'targets = { nps = "high" }',
            "journey.5.touchpoints.1.targets.nps: Input should be a valid number",
        ),
        (
            '{ id = "chat", name = "Chat",',
            '{ id = "chat", colour = "red", name = "Chat",',
            "journey.5.touchpoints.1.colour: Extra inputs are not permitted",
        ),
        (
            'id = "loyalty"\n',
            'id = "loyalty"\ntouchpoint_tables = {}\n',
            "journey.6: unknown key 'touchpoint_tables'",
        ),
        (
            '  "help-centre",\n',
            '  "help-centre",\n  "returns-portal",\n',
            "journey.5.touchpoints.3: 'returns-portal' is named twice",
        ),
    ],
)
def test_a_bad_touchpoint_table_is_a_config_error(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    root = example_copy(tmp_path / "northwind")
    assert message in _bad_config(root, old, new)


def test_rename_reaches_stage_kpis_and_touchpoint_tables(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "northwind")
    result = cx("-C", root, "rename", "metric", "contact-rate", "contacts-per-order")
    assert result.exit_code == 0, result.output
    config = tomllib.loads((root / "cxlib.toml").read_text())
    deliver = next(s for s in config["journey"] if s["id"] == "deliver")
    assert deliver["touchpoints"][1] == {
        "id": "shipping-updates",
        "name": "Shipping updates",
        "metrics": ["contacts-per-order"],
        "targets": {"contacts-per-order": 9},
    }
    result = cx("-C", root, "rename", "touchpoint", "chat", "live-chat")
    assert result.exit_code == 0, result.output
    config = tomllib.loads((root / "cxlib.toml").read_text())
    support = next(s for s in config["journey"] if s["id"] == "support")
    assert support["touchpoints"][1]["id"] == "live-chat"
    assert support["touchpoints"][1]["metrics"] == ["nps", "contacts-per-order"]
    assert cx("-C", root, "validate").exit_code == 0


@pytest.mark.parametrize("fmt, ext", [("markdown", "md"), ("json", "json")])
@pytest.mark.parametrize("option", ["kpis", "teams"])
def test_golden(northwind: Path, option: str, fmt: str, ext: str) -> None:
    result = cx(
        "-C", northwind, "--today", TODAY, "report", "journey", f"--{option}", "--format", fmt
    )
    assert result.exit_code == 0, result.output
    golden(f"report-journey-{option}.{ext}", result.stdout)
