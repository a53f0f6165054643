"""Every report takes --team, --stage, --owner, --tag and --since: the snapshot is narrowed
once, before the report runs; and the velocity trend is not fooled by --since."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, example_copy
from tests.reportkit import TODAY, base, experiment, insight, report, text

from cxlib.reports.registry import SPECS

FILTERS = {
    "team": "checkout",
    "stage": "purchase",
    "owner": "jonas berg",
    "tag": "shipping",
    "since": "2026-01-01",
}


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("filters") / "northwind")


@pytest.mark.parametrize("name", list(SPECS))
@pytest.mark.parametrize("option", list(FILTERS))
def test_every_report_takes_every_filter(northwind: Path, name: str, option: str) -> None:
    data = report(northwind, name, f"--{option}", FILTERS[option])
    assert data["filters"][option] == FILTERS[option]
    markdown = text(northwind, name, f"--{option}", FILTERS[option], "-f", "markdown")
    subtitle = markdown.splitlines()[2]
    if name == "digest" and option == "since":  # where the digest starts, not a filter
        assert subtitle == "_what changed from 2026-01-01 to 2026-11-01_"
    else:
        assert f"{option} {FILTERS[option]}" in subtitle  # named in the subtitle


def test_the_filters_narrow_the_documents(northwind: Path) -> None:
    # The checkout team's experiments: EXP-0002/3/5/11/19 (Jonas Berg, all of them).
    ids = {r["id"] for r in report(northwind, "experiments", "--team", "checkout")["experiments"]}
    assert ids == {"EXP-0002", "EXP-0003", "EXP-0005", "EXP-0011", "EXP-0019"}
    by_owner = report(northwind, "experiments", "--owner", "JONAS BERG")["experiments"]
    assert {r["id"] for r in by_owner} == ids  # owner in any case
    # Tagged 'shipping': EXP-0003, 6, 9, 12, 19 and the running EXP-0021 (EXP-0018 is tagged
    # delivery, email, service).
    tagged = report(northwind, "experiments", "--tag", "shipping")["experiments"]
    shipping = {"EXP-0003", "EXP-0006", "EXP-0009", "EXP-0012", "EXP-0019", "EXP-0021"}
    assert {r["id"] for r in tagged} == shipping
    # Two filters at once: checkout and shipping.
    both = report(northwind, "experiments", "--team", "checkout", "--tag", "shipping")
    assert {r["id"] for r in both["experiments"]} == {"EXP-0003", "EXP-0019"}
    # Health of the purchase stage judges only its documents: INS-0002, INS-0004 and INS-0007
    # are the validated insights at purchase (INS-0001 is archived).
    health = report(northwind, "health", "--stage", "purchase")
    insights = next(a for a in health["areas"] if a["area"] == "insights")
    assert insights["in_scope"] == 3


def test_the_journey_with_a_stage_shows_that_stage_and_its_touchpoints(northwind: Path) -> None:
    data = report(northwind, "journey", "--stage", "support")
    assert [s["stage"] for s in data["stages"] if s["stage"]] == ["support"]
    touchpoints = [t["touchpoint"] for t in data["stages"][0]["touchpoints"]]
    assert touchpoints[:3] == ["help-centre", "chat", "returns-portal"]


def test_links_stay_the_whole_librarys(northwind: Path) -> None:
    """INS-0005 (fulfilment) is used by EXP-0006 and OPP-0004: filtered to the fulfilment team's
    insights it is still used, by documents the filter may or may not keep."""
    health = report(northwind, "health", "--tag", "delivery")
    assert ("insight-unused", "INS-0005") not in {
        (p["problem"], p["id"]) for p in health["problems"]
    }


@pytest.mark.parametrize(
    "args, message",
    [
        (["--team", "nobody"], "unknown team 'nobody'"),
        (["--stage", "moon"], "unknown stage 'moon'"),
        (["--since", "2026-02-30"], "--since: 2026-02-30 is not a date"),
    ],
)
def test_bad_filters_are_refused_by_every_report(
    northwind: Path, args: list[str], message: str
) -> None:
    for name in SPECS:
        result = cx("-C", northwind, "report", name, *args)
        assert result.exit_code == 2, (name, result.output)
        assert message in result.stderr
        assert "Traceback" not in result.output


def test_the_page_is_never_filtered(northwind: Path) -> None:
    result = cx("-C", northwind, "report", "html", "-o", "-", "--team", "checkout")
    assert result.exit_code == 2  # the page shows the whole library: no such option


# -- the bug: --since emptied the comparison window and reported a false "trend up" ---------------
def test_since_does_not_make_a_false_trend(tmp_path: Path) -> None:
    """Four experiments ended in 2025-11..2026-04 and one in 2026-05..2026-10: the trend is
    down. --since 2026-05-01 filters out the four: the earlier window is then unknown, not
    empty, and the report must not call the trend up."""
    files = {"insights/INS-0001-a.md": insight("INS-0001")}
    for n, end in enumerate(["2025-11-20", "2025-12-20", "2026-01-20", "2026-02-20", "2026-06-20"]):
        doc = f"EXP-{n + 1:04d}"
        files[f"experiments/{doc}-x.md"] = experiment(
            doc, outcome="won", decision="ship", start="2025-10-01", end=end
        )
    root = base(tmp_path / "kb", files)
    whole = report(root, "experiments")["velocity"]
    assert (whole["last_months"], whole["previous_months"], whole["trend"]) == (1, 4, "down")
    cut = report(root, "experiments", "--since", "2026-05-01")["velocity"]
    assert cut["trend"] is None and cut["cut"] is True
    markdown = text(root, "experiments", "--since", "2026-05-01", "-f", "markdown")
    assert "no trend: --since 2026-05-01 cuts the 12 months compared" in markdown
    assert "trend up" not in markdown
    # A date before both windows filters nothing out of them: the trend stands.
    assert report(root, "experiments", "--since", "2025-11-01")["velocity"]["trend"] == "down"


def test_since_keeps_documents_in_play(tmp_path: Path) -> None:
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": insight("INS-0001"),
            "insights/INS-0002-b.md": insight("INS-0002", status="rejected", updated="2025-03-01"),
            "experiments/EXP-0001-old.md": experiment("EXP-0001", outcome="won", end="2025-02-01"),
            "experiments/EXP-0002-run.md": experiment(
                "EXP-0002", "running", start="2026-10-20", end=None
            ),
        },
    )
    data = report(root, "journey", "--since", "2026-01-01")
    purchase = next(s for s in data["stages"] if s["stage"] == "purchase")
    # The validated INS-0001 is in play; the rejected INS-0002 is history either way; the old
    # EXP-0001 closed before 2026 and is left out, the running EXP-0002 is kept.
    assert purchase["counts"]["insights"] == 1
    assert (purchase["counts"]["running"], purchase["counts"]["concluded"]) == (1, 0)
    assert TODAY  # the reports are dated by --today
