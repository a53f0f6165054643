"""``report metrics``: the average effect of a test in place of summed effects, experiments on a
KPI through another metric, ``--by stage|tag``, checked by hand on the example library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.conftest import cx, example_copy, golden

from cxlib.model.config import Direction
from cxlib.model.documents import Experiment
from cxlib.reports.drivers import LEVERS, rank_levers

TODAY = "2026-11-01"


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("metrics") / "northwind")


def report(root: Path, *options: str, fmt: str = "json") -> Any:
    result = cx("-C", root, "--today", TODAY, "report", "metrics", *options, "--format", fmt)
    assert result.exit_code == 0, result.output
    return result.json() if fmt == "json" else result.stdout


def _rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in data["metrics"]}


# -- the two bugs of issue 18 --------------------------------------------------------------------


def test_effects_of_different_tests_are_not_added_up(northwind: Path) -> None:
    """The report summed the relative effects of conversion-rate's tests, significant or not
    (-1.1 + 0.6 + 1.9 - 0.9 + 0.2 + 0.5 + 1.3 = +2.5%), as if eight tests had compounded."""
    data = report(northwind)
    conv = _rows(data)["conversion-rate"]
    assert "effect_sum" not in conv and "effect_won" not in conv
    assert conv["average"]["estimate"] == 0.17  # the average effect of a test, below
    text = report(northwind, fmt="markdown")
    assert "effect sum" not in text and "+2.5%" not in text
    assert "| conversion-rate | up | 8 | 0 | +0.17% | [-0.58, +0.93] |" in text.replace("\\", "")


def test_experiments_on_a_kpi_through_another_metric_are_not_off_the_business(
    northwind: Path,
) -> None:
    """The headline said "11 experiments whose primary metric is not a business KPI", read as
    a violation, although each of the 11 maps to a KPI through the catalog's kpi."""
    data = report(northwind)
    assert data["off_kpi"] == []
    # checkout-completion (EXP-0002/5/11) -> conversion-rate; return-rate (EXP-0004/10/13) and
    # contact-rate (EXP-0006/18/21) -> cost-to-serve; nps (EXP-0007/22) -> repeat-purchase-rate.
    through = {p["id"]: p["maps_to"] for p in data["through_kpi"]}
    assert len(through) == 11
    assert through["EXP-0002"] == "conversion-rate"
    assert through["EXP-0007"] == "repeat-purchase-rate"
    text = report(northwind, fmt="markdown")
    assert "- **Experiments on no business KPI:** 0" in text
    assert "- **Experiments on a KPI through another metric:** 11" in text
    assert "not a business KPI" not in text


def test_a_metric_tied_to_no_kpi_is_off_the_business(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "northwind")
    path = next((root / "experiments").glob("EXP-0020-*.md"))
    path.write_text(
        path.read_text().replace(
            "primary_metric: conversion-rate", "primary_metric: page-load-time"
        )
    )
    data = report(root)
    assert [(p["id"], p["metric"], p["metric_kind"]) for p in data["off_kpi"]] == [
        ("EXP-0020", "page-load-time", "guardrail")
    ]
    assert len(data["through_kpi"]) == 11
    assert "- **Experiments on no business KPI:** 1" in report(root, fmt="markdown")


# -- the average effect of a test, by hand ------------------------------------------------------


def test_average_effect_by_hand(northwind: Path) -> None:
    rows = _rows(report(northwind))
    # contact-rate (down): EXP-0006 -11.6 [-18.4, -4.8] and EXP-0018 -7.9 [-13.6, -2.2], both
    # at 95% (no interval_level, no alpha: 1 - 0.05). se = width / (2 x 1.959964):
    # 6.8 x 2 / 3.919928 = 3.4695 and 5.7 x 2 / 3.919928 = 2.9082; w = 1/se^2 = 0.083073 and
    # 0.118238, sum 0.201311. Fixed mean = (0.083073 x -11.6 + 0.118238 x -7.9) / 0.201311
    # = -9.4269. Q = 0.083073 x 2.1731^2 + 0.118238 x 1.5269^2 = 0.3923 + 0.2757 = 0.668 < df 1,
    # so tau2 = 0 and I2 = 0: the average is the fixed mean, se 1 / sqrt(0.201311) = 2.2288,
    # interval -9.43 -+ 1.959964 x 2.2288 = [-13.80, -5.06]: a fall, better for a down metric.
    contact = rows["contact-rate"]["average"]
    assert (contact["tests"], contact["estimate"], contact["low"], contact["high"]) == (
        2,
        -9.43,
        -13.8,
        -5.06,
    )
    assert (contact["tau2"], contact["i2"], contact["reads"]) == (0.0, 0.0, "better")
    # conversion-rate (up): eight concluded tests, not EXP-0001 (a draft); EXP-0015, stopped
    # early, is pooled (only invalid results are left out). se and w = 1/se^2:
    #   EXP-0003 -1.1 [-2.1, -0.1]   0.5102  3.8415    EXP-0015 -0.7 [-1.7, 0.3]   0.5102  3.8415
    #   EXP-0008  0.6 [-0.7, 1.9]    0.6633  2.2731    EXP-0016  0.2 [-1.4, 1.8]   0.8163  1.5006
    #   EXP-0009  1.9 [0.6, 3.2]     0.6633  2.2731    EXP-0019  0.5 [-0.5, 1.5]   0.5102  3.8415
    #   EXP-0012 -0.9 [-1.8, -0.01]  0.4566  4.7957    EXP-0020  1.3 [0.2, 2.4]    0.5612  3.1748
    # sum w = 25.5415; fixed mean = 0.0313; Q = 25.7997 on df 7; C = sum w - sum w^2 / sum w
    # = 22.0204; tau2 = (25.7997 - 7) / 22.0204 = 0.8537; I2 = 18.7997 / 25.7997 = 72.9%.
    # w* = 1 / (se^2 + tau2): 0.8976, 0.7730, 0.7730, 0.9414, 0.8976, 0.6578, 0.8976, 0.8556,
    # sum 6.6937; average = sum w* y / 6.6937 = 0.1736, se 1 / sqrt(6.6937) = 0.3865,
    # interval 0.1736 -+ 0.7576 = [-0.58, 0.93]: holds 0, no clear change.
    conv = rows["conversion-rate"]["average"]
    assert (conv["tests"], conv["without_interval"], conv["estimate"]) == (8, 0, 0.17)
    assert (conv["low"], conv["high"], conv["tau2"], conv["i2"]) == (-0.58, 0.93, 0.854, 0.7287)
    assert conv["reads"] == "no clear change"
    assert conv["experiments"] == [
        "EXP-0003",
        "EXP-0008",
        "EXP-0009",
        "EXP-0012",
        "EXP-0015",
        "EXP-0016",
        "EXP-0019",
        "EXP-0020",
    ]
    # return-rate: EXP-0010 is invalid, so not pooled and not counted; EXP-0004 and EXP-0013.
    ret = rows["return-rate"]["average"]
    assert (ret["tests"], ret["without_interval"], ret["experiments"]) == (
        2,
        0,
        ["EXP-0004", "EXP-0013"],
    )
    # repeat-purchase-rate: EXP-0014 alone, -2.1 [-4.0, -0.2]: its own effect; no tau2, no I2.
    north = rows["repeat-purchase-rate"]["average"]
    assert (north["estimate"], north["low"], north["high"]) == (-2.1, -4.0, -0.2)
    assert (north["tau2"], north["i2"], north["reads"]) == (None, None, "worse")


def test_shipped_effects_are_listed_apart(northwind: Path) -> None:
    data = report(northwind)
    # Concluded or implemented with decision ship: EXP-0002/4/5/6/9/13/20 and EXP-0016 (an
    # inconclusive test shipped with a rationale).
    assert [s["id"] for s in data["shipped"]] == [
        "EXP-0002",
        "EXP-0004",
        "EXP-0005",
        "EXP-0006",
        "EXP-0009",
        "EXP-0013",
        "EXP-0016",
        "EXP-0020",
    ]
    assert data["shipped"][1] == {
        "id": "EXP-0004",
        "title": "Fit finder on product pages",
        "metric": "return-rate",
        "direction": "down",
        "outcome": "won",
        "effect": -6.8,
        "interval": [-11.2, -2.4],
    }


def _with_result(root: Path, exp: str, old: str, new: str) -> None:
    path = next((root / "experiments").glob(f"{exp}-*.md"))
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_test_without_an_interval_is_counted_and_left_out(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "northwind")
    _with_result(root, "EXP-0018", "  interval: [-13.6, -2.2]\n", "")
    contact = _rows(report(root))["contact-rate"]["average"]
    # EXP-0006 alone: its own effect and interval.
    assert (contact["tests"], contact["without_interval"]) == (1, 1)
    assert (contact["estimate"], contact["low"], contact["high"]) == (-11.6, -18.4, -4.8)


def test_the_recorded_level_sets_the_standard_error(tmp_path: Path) -> None:
    root = example_copy(tmp_path / "northwind")
    # EXP-0014's [-4.0, -0.2] read as a 90% interval: se = 3.8 / (2 x 1.644854) = 1.1551, so
    # the 95% interval of the average is -2.1 -+ 1.959964 x 1.1551 = [-4.36, 0.16]: holds 0.
    _with_result(
        root,
        "EXP-0014",
        "  interval: [-4.0, -0.2]\n",
        "  interval: [-4.0, -0.2]\n  interval_level: 0.9\n",
    )
    north = _rows(report(root))["repeat-purchase-rate"]["average"]
    assert (north["low"], north["high"], north["reads"]) == (-4.36, 0.16, "no clear change")


def test_average_by_stage_and_tag(northwind: Path) -> None:
    data = report(northwind, "--by", "stage")
    assert data["by"] == "stage"
    conv = {a["group"]: a for a in _rows(data)["conversion-rate"]["by"]}
    # conversion-rate's tests by stage: consider EXP-0008/9/12/15/20, discover EXP-0016,
    # purchase EXP-0003/19.
    assert {g: a["experiments"] for g, a in conv.items()} == {
        "consider": ["EXP-0008", "EXP-0009", "EXP-0012", "EXP-0015", "EXP-0020"],
        "discover": ["EXP-0016"],
        "purchase": ["EXP-0003", "EXP-0019"],
    }
    data = report(northwind, "--by", "tag")
    contact = {a["group"]: a["experiments"] for a in _rows(data)["contact-rate"]["by"]}
    # EXP-0006 [delivery, service, shipping], EXP-0018 [delivery, email, service]: a test
    # with several tags is in each.
    assert contact == {
        "delivery": ["EXP-0006", "EXP-0018"],
        "email": ["EXP-0018"],
        "service": ["EXP-0006", "EXP-0018"],
        "shipping": ["EXP-0006"],
    }


def test_an_unknown_grouping_is_refused(northwind: Path) -> None:
    result = cx("-C", northwind, "report", "metrics", "--by", "colour")
    assert result.exit_code == 2
    assert "colour" in result.output and "stage" in result.output


@pytest.mark.parametrize("fmt, ext", [("markdown", "md"), ("json", "json")])
@pytest.mark.parametrize("by", ["stage", "tag"])
def test_golden_by(northwind: Path, by: str, fmt: str, ext: str) -> None:
    result = cx("-C", northwind, "--today", TODAY, "report", "metrics", "--by", by, "--format", fmt)
    assert result.exit_code == 0, result.output
    golden(f"report-metrics-by-{by}.{ext}", result.stdout)


# -- drivers --------------------------------------------------------------------------------------


def _drivers(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["metric"]: d for d in data["drivers"]}


def test_drivers_by_hand(northwind: Path) -> None:
    data = report(northwind, "--drivers")
    drivers = _drivers(data)
    # The north star, then the KPIs (business metrics), then the metrics mapping to one, each
    # with concluded tests: cost-to-serve and the others have none of their own; nps none
    # concluded. Never one figure across metrics.
    assert list(drivers) == [
        "repeat-purchase-rate",
        "conversion-rate",
        "checkout-completion",
        "contact-rate",
        "return-rate",
    ]
    conv = drivers["conversion-rate"]
    assert conv["tests"] == 8
    stages = {d["name"]: d for d in conv["drivers"] if d["lever"] == "stage"}
    # consider: EXP-0008 0.6, EXP-0009 1.9, EXP-0012 -0.9, EXP-0015 -0.7, EXP-0020 1.3, with
    # w = 2.2731, 2.2731, 4.7957, 3.8415, 3.1748 (se from the 95% intervals); Q = 19.675 on
    # df 4, tau2 = 1.2244, I2 = 15.675 / 19.675 = 79.7%; average +0.39 [-0.70, +1.48].
    # Ranked: 5 tests. discover (1 test) and purchase (2) are listed unranked.
    consider = stages["consider"]
    assert (consider["rank"], consider["average"]["tests"]) == (1, 5)
    assert (consider["average"]["estimate"], consider["average"]["i2"]) == (0.39, 0.7967)
    assert (stages["discover"]["rank"], stages["purchase"]["rank"]) == (None, None)
    # Tags with 3 tests or more, best first: product-page (EXP-0008/9/12/15/20) +0.39, reviews
    # (EXP-0008/15/20) +0.38, shipping (EXP-0003/9/12/19) +0.04.
    tags = [(d["name"], d["rank"]) for d in conv["drivers"] if d["lever"] == "tag" and d["rank"]]
    assert tags == [("product-page", 1), ("reviews", 2), ("shipping", 3)]
    # A single test is its own average, listed without a rank.
    north = drivers["repeat-purchase-rate"]["drivers"]
    assert {(d["lever"], d["name"], d["rank"]) for d in north} == {
        ("stage", "loyalty", None),
        ("touchpoint", "loyalty/reorder-email", None),
        ("tag", "email", None),
        ("tag", "loyalty", None),
        ("opportunity", "OPP-0005", None),
    }
    assert data["drivers"] is not None and report(northwind)["drivers"] is None


def test_drivers_say_they_are_not_causal(northwind: Path) -> None:
    text = report(northwind, "--drivers", fmt="markdown")
    assert "## Drivers: what moved each metric" in text
    assert "Observational, not causal" in text


def _test(doc_id: str, tag: str, effect: float) -> Experiment:
    return Experiment.model_validate(
        {
            "id": doc_id,
            "title": doc_id,
            "status": "concluded",
            "created": "2026-01-01",
            "tags": [tag],
            "primary_metric": "contact-rate",
            "result": {
                "outcome": "won" if effect < 0 else "lost",
                "effect": effect,
                "interval": [effect - 1.96, effect + 1.96],  # se 1
            },
        }
    )


def test_a_down_metric_ranks_a_fall_first() -> None:
    tests = [_test(f"EXP-000{i}", "alerts", -5.0) for i in range(1, 4)]
    tests += [_test(f"EXP-001{i}", "banners", 2.0) for i in range(1, 4)]
    tests += [_test("EXP-0021", "email", -9.0)]
    ranked = rank_levers("tag", LEVERS["tag"], tests, Direction.DOWN)
    # alerts: three tests of -5 (se 1 each): -5, reads better for a down metric, first;
    # banners +2, worse, second; email has one test: unranked, even with the largest fall.
    assert [(d.name, d.rank, d.average.estimate, d.average.reads) for d in ranked] == [
        ("alerts", 1, -5.0, "better"),
        ("banners", 2, 2.0, "worse"),
        ("email", None, -9.0, "better"),
    ]


@pytest.mark.parametrize("fmt, ext", [("markdown", "md"), ("json", "json")])
def test_golden_drivers(northwind: Path, fmt: str, ext: str) -> None:
    result = cx(
        "-C", northwind, "--today", TODAY, "report", "metrics", "--drivers", "--format", fmt
    )
    assert result.exit_code == 0, result.output
    golden(f"report-metrics-drivers.{ext}", result.stdout)
