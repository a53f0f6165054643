"""``report health``: follow-ups judged by the decision taken, contested insights, the weights of
the overall score; the win-rate band in the experiments and health reports; and the quarterly
win-rate chart, which draws a quarter with too few tests as such."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import cx
from tests.reportkit import base, experiment, insight, report, text

from cxlib.reports.charts import RatePoint, win_rate_trend


def problems(root: Path) -> set[tuple[str, str]]:
    return {(p["problem"], p["id"]) for p in report(root, "health")["problems"]}


# -- the bugs of the learning area -----------------------------------------------------------------
def test_a_won_shipped_experiment_needs_no_follow_up(tmp_path: Path) -> None:
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": insight("INS-0001"),
            "experiments/EXP-0001-won.md": experiment(
                "EXP-0001", outcome="won", decision="ship", end="2026-02-01"
            ),
            "experiments/EXP-0002-won.md": experiment(
                "EXP-0002", "implemented", outcome="won", decision="ship", end="2026-02-01"
            ),
            # Won but not shipped (abandoned anyway): its loop is still open.
            "experiments/EXP-0003-won.md": experiment(
                "EXP-0003", outcome="won", decision="abandon", end="2026-02-01"
            ),
        },
    )
    found = problems(root)
    assert ("no-follow-up", "EXP-0001") not in found
    assert ("no-follow-up", "EXP-0002") not in found
    assert ("no-follow-up", "EXP-0003") in found


def test_iterate_or_rerun_without_a_follow_up_experiment_is_a_broken_loop(tmp_path: Path) -> None:
    root = base(
        tmp_path / "kb",
        {
            # INS-0001 cites both: an insight does not keep a decision to iterate or rerun.
            "insights/INS-0001-a.md": insight(
                "INS-0001", evidence="[https://example.com/s, EXP-0001, EXP-0002]"
            ),
            "experiments/EXP-0001-it.md": experiment(
                "EXP-0001", outcome="lost", decision="iterate", end="2026-02-01"
            ),
            "experiments/EXP-0002-re.md": experiment(
                "EXP-0002", outcome="invalid", decision="rerun", end="2026-02-01"
            ),
            "experiments/EXP-0003-it.md": experiment(
                "EXP-0003", outcome="inconclusive", decision="iterate", end="2026-02-01"
            ),
            "experiments/EXP-0004-next.md": experiment(
                "EXP-0004", "running", start="2026-10-01", end=None, follows="[EXP-0003]"
            ),
        },
    )
    found = problems(root)
    assert ("no-follow-up-experiment", "EXP-0001") in found
    assert ("no-follow-up-experiment", "EXP-0002") in found
    assert ("no-follow-up-experiment", "EXP-0003") not in found  # EXP-0004 follows it
    detail = next(p["detail"] for p in report(root, "health")["problems"] if p["id"] == "EXP-0001")
    assert detail == "lost, decided iterate; no experiment follows it"


def test_a_contested_draft_insight_is_a_problem(tmp_path: Path) -> None:
    """A draft insight that a significant loss contradicts (and research alone supports):
    contested. It was counted in the standings but listed as no problem."""
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": insight("INS-0001"),
            "insights/INS-0002-b.md": insight(
                "INS-0002", status="draft", counter_evidence="[EXP-0001]"
            ),
            "experiments/EXP-0001-lost.md": experiment(
                "EXP-0001", outcome="lost", decision="abandon", end="2026-02-01"
            ).replace("  interval: [-2.5, -0.5]", "  interval: [-2.5, -0.5]\n  p_value: 0.01"),
        },
    )
    data = report(root, "health")
    assert data["standings"]["contested"] == 1
    contested = [p for p in data["problems"] if p["problem"] == "insight-contested"]
    assert [(p["area"], p["id"]) for p in contested] == [("evidence", "INS-0002")]
    assert contested[0]["detail"].startswith("draft, contested")
    evidence = next(a for a in data["areas"] if a["area"] == "evidence")
    assert (evidence["ok"], evidence["in_scope"]) == (1, 2)


# -- the weights of the overall score --------------------------------------------------------------
def test_the_overall_score_says_how_it_weighs_the_areas(tmp_path: Path) -> None:
    files = {
        "insights/INS-0001-a.md": insight("INS-0001"),  # unused: insights 0%
        "experiments/EXP-0001-x.md": experiment(
            "EXP-0001", outcome="won", decision="ship", end="2026-02-01", insights="[]"
        ),
    }
    root = base(tmp_path / "kb", files)
    data = report(root, "health")
    scores = {a["area"]: a["score"] for a in data["areas"] if a["score"] is not None}
    # insights 0 (INS-0001 unused), evidence 100, learning 100, ownership 100 (2 of 2);
    # opportunities, pace and review: INS-0001 is due for review (created 2025-01-02 + 12
    # months), so review 0.
    assert scores == {
        "insights": 0,
        "evidence": 100,
        "learning": 100,
        "ownership": 100,
        "review": 0,
    }
    assert data["overall"] == 60  # (0 + 100 + 100 + 100 + 0) / 5, all weighing 1
    assert "the mean of the area scores, all weighing alike" in text(root, "health")
    weighted = base(
        tmp_path / "kb2", files, config_extra="[health.weights]\ninsights = 0\nreview = 2\n"
    )
    data = report(weighted, "health")
    # (0 x 0 + 100 + 100 + 100 + 0 x 2) / (0 + 1 + 1 + 1 + 2) = 300 / 5 = 60; review weighs 2.
    assert data["weights"]["review"] == 2.0 and data["weights"]["insights"] == 0.0
    assert data["overall"] == 60
    shown = text(weighted, "health")
    assert "the weighted mean of the area scores (weights insights 0, evidence 1," in shown
    row = next(line for line in shown.splitlines() if line.lstrip().startswith("review"))
    assert row.rstrip().endswith("2")


@pytest.mark.parametrize(
    "table, message",
    [
        ("[health.weights]\npace = -1\n", "health.weights.pace"),
        ("[health.weights]\nspeed = 1\n", "health.weights.speed"),
        ("[experiments]\nwin_rate_low = 0.5\nwin_rate_high = 0.3\n", "win_rate_low (0.5) is above"),
        ("[experiments]\nmin_tests = 0\n", "experiments.min_tests"),
    ],
)
def test_bad_settings_are_config_errors(tmp_path: Path, table: str, message: str) -> None:
    root = base(tmp_path / "kb", {}, config_extra=table)
    result = cx("-C", root, "report", "health")
    assert result.exit_code == 2
    assert message in result.stderr and "cxlib.toml" in result.stderr
    assert "Traceback" not in result.output


# -- the win-rate band -----------------------------------------------------------------------------
def _tests(outcomes: list[str]) -> dict[str, str]:
    files = {"insights/INS-0001-a.md": insight("INS-0001")}
    for n, outcome in enumerate(outcomes):
        doc = f"EXP-{n + 1:04d}"
        files[f"experiments/{doc}-x.md"] = experiment(
            doc, outcome=outcome, decision="ship", end=f"2026-0{n % 9 + 1}-15"
        )
    return files


def test_a_win_rate_above_the_band_warns_playing_safe(tmp_path: Path) -> None:
    # 4 won of 5 in the 12 months to 2026-11-01: 80%, above 20-40%.
    root = base(tmp_path / "kb", _tests(["won", "won", "won", "won", "lost"]))
    band = report(root, "experiments")["band"]
    assert (band["won"], band["decided"], band["win_rate"], band["verdict"]) == (4, 5, 0.8, "above")
    assert band["window"] == "2025-11-02..2026-11-01"
    for name in ("experiments", "health"):
        shown = text(root, name, "-f", "markdown")
        assert "above the healthy band 20% to 40%: playing safe?" in shown


def test_a_win_rate_below_the_band_warns_too_and_the_band_is_configurable(tmp_path: Path) -> None:
    outcomes = ["lost", "lost", "inconclusive", "lost", "won", "lost"]  # 1 of 6: 16.7%
    root = base(tmp_path / "kb", _tests(outcomes))
    assert report(root, "experiments")["band"]["verdict"] == "below"
    assert "below the healthy band" in text(root, "health", "-f", "markdown")
    lower = base(
        tmp_path / "kb2", _tests(outcomes), config_extra="[experiments]\nwin_rate_low = 0.1\n"
    )
    assert report(lower, "experiments")["band"]["verdict"] == "within"
    assert "healthy band" not in text(lower, "experiments", "-f", "markdown").split("Rolling")[0]


def test_too_few_tests_are_no_rate_and_no_warning(tmp_path: Path) -> None:
    root = base(tmp_path / "kb", _tests(["won", "won"]))
    band = report(root, "experiments")["band"]
    assert (band["win_rate"], band["verdict"]) == (None, "too few tests")
    assert "playing safe" not in text(root, "experiments", "-f", "markdown")


# -- the bug: a quarter with one test was plotted as 100% or 0% ------------------------------------
def test_a_quarter_with_fewer_tests_than_the_minimum_has_no_rate(tmp_path: Path) -> None:
    # One test a month from January, EXP-0002 (February) left out. 2026-Q1: EXP-0001 won and
    # EXP-0003 lost, 2 decided, fewer than 3; 2026-Q2: EXP-0004 won, EXP-0005 lost, EXP-0006
    # won: 2 of 3.
    files = _tests(["won", "lost", "lost", "won", "lost", "won"])
    root = base(tmp_path / "kb", {k: v for k, v in files.items() if "EXP-0002" not in k})
    quarters = {q["quarter"]: q for q in report(root, "experiments")["quarters"]}
    assert (quarters["2026-Q1"]["decided"], quarters["2026-Q1"]["win_rate"]) == (2, None)
    assert (quarters["2026-Q2"]["decided"], quarters["2026-Q2"]["win_rate"]) == (3, 0.6667)
    page = text(root, "html", "-o", "-")
    chart = page[page.index('data-chart="win-rate"') :]
    chart = chart[: chart.index("</svg>")]
    assert "n &lt; 3" in chart and 'class="few-tests"' in chart
    assert "2026-Q1: 2 decided, fewer than 3" in chart
    assert "2026-Q1: 50%" not in chart  # no point, no rate for the sparse quarter
    assert "2026-Q2: 67% won of 3" in chart


def test_the_chart_draws_a_sparse_quarter_hatched_and_never_as_a_rate() -> None:
    svg = win_rate_trend(
        [RatePoint("2026-Q1", None, 1, 3), RatePoint("2026-Q2", 0.5, 4, 3)], overall=0.6
    )
    assert svg.count('class="few-tests"') == 1 and "n &lt; 3" in svg
    assert len(re.findall(r"<circle ", svg)) == 1  # only Q2 has a point
    assert "url(" not in svg  # hatched by lines, referencing nothing
    # Only quarters with too few tests: still drawn, not "No data yet".
    sparse = win_rate_trend([RatePoint("2026-Q1", None, 2, 3)], overall=None)
    assert "No data yet" not in sparse and "n &lt; 3" in sparse
