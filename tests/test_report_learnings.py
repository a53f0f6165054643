"""``report learnings`` and ``report digest``: what was learned and what changed, on crafted
bases and on the example (whose goldens are in test_reports_golden.py), and on the HTML page."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, example_copy
from tests.gitrepo import commit, run_git
from tests.reportkit import TODAY, base, experiment, insight, report, text

LOST = "Shoppers ignored the banner: a gap of EUR 35 feels out of reach."


@pytest.fixture
def lost(tmp_path: Path) -> Path:
    """A lost experiment with learnings, an insight citing it, and a won one before it."""
    return base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": insight("INS-0001", counter_evidence="[EXP-0002]"),
            "experiments/EXP-0001-won.md": experiment(
                "EXP-0001", "implemented", outcome="won", decision="ship", end="2026-01-20"
            ),
            "experiments/EXP-0002-lost.md": experiment(
                "EXP-0002",
                outcome="lost",
                decision="iterate",
                end="2026-03-01",
                learnings=f"- {LOST}\n- Carts near the\n  threshold converted better.\n",
            ),
        },
    )


# -- the bug: the learnings of a concluded, lost experiment appeared in no report -----------------
def test_the_learnings_of_a_lost_experiment_are_in_a_report(lost: Path) -> None:
    data = report(lost, "learnings")
    rows = [x for g in data["groups"] for x in g["experiments"]]
    # Newest first: EXP-0002 ended 2026-03-01, EXP-0001 on 2026-01-20.
    assert [x["id"] for x in rows] == ["EXP-0002", "EXP-0001"]
    loss = rows[0]
    assert (loss["outcome"], loss["decision"]) == ("lost", "iterate")
    # A wrapped bullet is one item.
    assert loss["points"] == [LOST, "Carts near the threshold converted better."]
    # INS-0001 names it in counter_evidence: an insight it changed.
    assert [(i["id"], i["how"]) for i in loss["insights"]] == [("INS-0001", "counter-evidence")]
    assert LOST in text(lost, "learnings", "--format", "markdown")


def test_the_learnings_of_a_lost_experiment_are_on_the_html_page(lost: Path) -> None:
    page = text(lost, "html", "-o", "-")
    section = page[page.index('<section id="learnings">') :]
    section = section[: section.index("</section>")]
    assert '<article class="result" id="result-EXP-0002">' in section
    assert "Shoppers ignored the banner: a gap of EUR 35 feels out of reach." in section
    # Its result with the interval drawn, and its decision.
    assert "lost, -1.5% (interval -2.5% to -0.5%)" in section
    assert 'class="interval"' in section and "below zero" in section
    assert "<dt>Decision</dt><dd>iterate</dd>" in section


def test_grouped_by_metric_and_filtered(lost: Path) -> None:
    data = report(lost, "learnings", "--by", "metric")
    assert [(g["key"], len(g["experiments"])) for g in data["groups"]] == [("conversion-rate", 2)]
    assert report(lost, "learnings", "--metric", "nps")["total"] == 0
    # --since keeps what ended on or after it.
    since = report(lost, "learnings", "--since", "2026-02-01")
    assert [x["id"] for g in since["groups"] for x in g["experiments"]] == ["EXP-0002"]
    assert since["filters"]["since"] == "2026-02-01"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by", "team"], "--by 'team': group by stage or metric"),
        (["--metric", "nope"], "unknown metric 'nope'"),
        (["--stage", "moon"], "unknown stage 'moon'"),
    ],
)
def test_bad_options_are_usage_errors(lost: Path, args: list[str], message: str) -> None:
    result = cx("-C", lost, "report", "learnings", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_mentioned_insight_and_a_comment_only_section(tmp_path: Path) -> None:
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": insight("INS-0001"),
            "insights/INS-0002-b.md": insight("INS-0002", status="draft"),
            "experiments/EXP-0001-x.md": experiment(
                "EXP-0001",
                outcome="inconclusive",
                decision="abandon",
                body="This became [[INS-0002|the second insight]].",
                learnings="<!-- to do -->",
            ),
        },
    )
    data = report(root, "learnings")
    x = data["groups"][0]["experiments"][0]
    assert x["points"] == [] and data["without_learnings"] == 1
    assert [(i["id"], i["how"], i["status"]) for i in x["insights"]] == [
        ("INS-0002", "mentioned", "draft")
    ]
    assert "no learnings written" in text(root, "learnings", "-f", "markdown")


# -- the digest ------------------------------------------------------------------------------------
def test_digest_of_a_week(tmp_path: Path) -> None:
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": insight("INS-0001", created="2026-10-28"),
            "insights/INS-0002-b.md": insight("INS-0002", updated="2026-10-30"),
            "insights/INS-0003-c.md": insight("INS-0003", updated="2026-10-01"),
            "experiments/EXP-0001-done.md": experiment(
                "EXP-0001", outcome="lost", end="2026-10-29", learnings="- Nobody scrolled.\n"
            ),
            "experiments/EXP-0002-new.md": experiment(
                "EXP-0002", "running", start="2026-10-27", end=None, planned_end="2026-11-05"
            ),
            "experiments/EXP-0003-late.md": experiment(
                "EXP-0003", "running", start="2026-08-03", end=None, planned_days="30"
            ),
            "experiments/EXP-0004-old.md": experiment(
                "EXP-0004", outcome="won", end="2026-05-01", owner="Bo"
            ),
        },
    )
    d = report(root, "digest")
    # The default window: the seven days before 2026-11-01.
    assert (d["since"], d["today"]) == ("2026-10-25", "2026-11-01")
    assert [(x["id"], x["what"], x["learning"]) for x in d["concluded"]] == [
        ("EXP-0001", "lost; decision pending", "Nobody scrolled.")
    ]
    assert [x["id"] for x in d["started"]] == ["EXP-0002"]
    # EXP-0002 ends 2026-11-05: this week; EXP-0003 planned 30 days from 2026-08-03 (to
    # 2026-09-02), past the 3 grace days.
    assert [x["id"] for x in d["ending"]] == ["EXP-0002"]
    assert [(x["id"], x["date"]) for x in d["overdue"]] == [("EXP-0003", "2026-09-02")]
    # INS-0001 is new, INS-0002 validated and updated in the week; INS-0003 was updated before.
    assert [(x["id"], x["what"]) for x in d["insights"]] == [
        ("INS-0002", "validated; re-validated or edited"),
        ("INS-0001", "new, validated"),
    ]
    # Every pending decision, by owner, however old: Ana owes EXP-0001, Bo EXP-0004.
    assert {k: [x["id"] for x in v] for k, v in d["pending"].items()} == {
        "Ana": ["EXP-0001"],
        "Bo": ["EXP-0004"],
    }
    markdown = text(root, "digest", "--format", "markdown")
    assert "## Decisions pending, and on whom" in markdown
    assert "- **EXP-0001 Experiment EXP-0001:** lost; decision pending (Ana)" in markdown
    # A later start of the window leaves EXP-0001 out; the pending decisions stay.
    later = report(root, "digest", "--since", "2026-10-30")
    assert later["concluded"] == [] and set(later["pending"]) == {"Ana", "Bo"}


def test_digest_with_git_lists_what_was_committed_since(tmp_path: Path) -> None:
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": insight("INS-0001"),
            "experiments/EXP-0001-x.md": experiment("EXP-0001", outcome="won", end="2026-01-20"),
        },
    )
    run_git(root, "init", "-q", "-b", "main")
    commit(root, "start", date="2026-01-21T10:00:00+00:00")
    path = root / "insights" / "INS-0001-a.md"
    # An edit that bumps no front-matter date: only git sees it.
    path.write_text(path.read_text().replace("learn it late", "learn it far too late"))
    commit(root, "reword", author="Bea Costa", date="2026-10-30T09:00:00+00:00")
    (root / "insights" / "INS-0002-b.md").write_text(insight("INS-0002"))
    commit(root, "add", author="Bea Costa", date="2026-10-31T09:00:00+00:00")
    d = report(root, "digest", "--git")
    assert d["insights"] == []  # front-matter dates say nothing changed this week
    assert [(t["id"], t["change"], t["date"], t["author"]) for t in d["git"]["touched"]] == [
        ("INS-0001", "changed", "2026-10-30", "Bea Costa"),
        ("INS-0002", "added", "2026-10-31", "Bea Costa"),
    ]
    markdown = text(root, "digest", "--git", "-f", "markdown")
    assert "(from git history)" in markdown and "changed (git)" in markdown
    assert report(root, "digest")["git"] is None  # without --git, no history is read


def test_digest_with_git_outside_a_repository_says_why(lost: Path) -> None:
    d = report(lost, "digest", "--git")
    assert d["git"]["touched"] == [] and "not" in d["git"]["unavailable"]


def test_the_page_and_the_site_show_the_learnings_and_the_digest(tmp_path: Path) -> None:
    copy = example_copy(tmp_path / "nw")
    page = text(copy, "html", "-o", "-")
    for name in ("learnings", "digest"):
        assert f'<section id="{name}">' in page and f'href="#{name}"' in page
    # EXP-0003 (lost) with its first learning, on the page.
    assert "A free shipping threshold banner in the cart reminds low-basket shoppers" in page
    out = tmp_path / "site"
    result = cx("-C", copy, "--today", TODAY, "site", "-o", out, "--no-search")
    assert result.exit_code == 0, result.output
    digest = (out / "reports" / "digest.html").read_text()
    assert "Decisions pending, and on whom" in digest
    learned = (out / "reports" / "learnings.html").read_text()
    assert "A free shipping threshold banner in the cart reminds low-basket shoppers" in learned


# -- goldens of the options on the example, checked by hand ----------------------------------------
OPTION_GOLDENS = {
    "learnings-by-metric": ("learnings", "--by", "metric"),
    "digest-since": ("digest", "--since", "2026-06-01"),
    "health-team": ("health", "--team", "checkout"),
}


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("learnings") / "northwind")


@pytest.mark.parametrize("fmt", ["markdown", "json"])
@pytest.mark.parametrize("name", OPTION_GOLDENS)
def test_golden_options(northwind: Path, name: str, fmt: str) -> None:
    from tests.conftest import golden

    args = OPTION_GOLDENS[name]
    result = cx("-C", northwind, "--today", TODAY, "report", *args, "--format", fmt)
    assert result.exit_code == 0, result.output
    golden(f"report-{name}.{'md' if fmt == 'markdown' else 'json'}", result.stdout)


def test_learnings_figures_by_hand(northwind: Path) -> None:
    """tests/golden/report-learnings.* (the default: by stage)."""
    data = report(northwind, "learnings")
    # The 17 concluded or implemented experiments (test_reports_golden.py counts them); each
    # has learnings (validate requires them of losses; the example has them for all).
    assert (data["total"], data["without_learnings"]) == (17, 0)
    groups = {g["key"]: [x["id"] for x in g["experiments"]] for g in data["groups"]}
    # Journey order, newest end first in each: discover EXP-0016 (2025-12-21); consider
    # EXP-0020 (2026-07-19), 15 (2025-11-24), 13 (10-26), 12 (09-28), 10 (08-24), 9 (07-27),
    # 8 (07-13), 4 (05-11); purchase 19 (2026-06-28), 11 (2025-09-07), 5 (05-12), 3 (04-29),
    # 2 (03-02); deliver 18 (2026-03-22), 6 (2025-06-15); loyalty 14 (2025-12-14).
    assert groups == {
        "discover": ["EXP-0016"],
        "consider": [f"EXP-00{n:02d}" for n in (20, 15, 13, 12, 10, 9, 8, 4)],
        "purchase": ["EXP-0019", "EXP-0011", "EXP-0005", "EXP-0003", "EXP-0002"],
        "deliver": ["EXP-0018", "EXP-0006"],
        "loyalty": ["EXP-0014"],
    }
    rows = {x["id"]: x for g in data["groups"] for x in g["experiments"]}
    loss = rows["EXP-0003"]
    # EXP-0003 lost (-1.1%, interval [-2.1, -0.1]), decided iterate; four learnings bullets;
    # INS-0007 lists it in evidence, its hypothesis mentions [[INS-0002]].
    assert (loss["outcome"], loss["effect"], loss["interval"], loss["decision"]) == (
        "lost",
        -1.1,
        [-2.1, -0.1],
        "iterate",
    )
    assert len(loss["points"]) == 4
    assert [(i["id"], i["how"]) for i in loss["insights"]] == [
        ("INS-0002", "mentioned"),
        ("INS-0007", "evidence"),
    ]
    # EXP-0014 lost; INS-0010 lists it in counter_evidence (and is rejected, contested).
    assert [
        (i["id"], i["how"], i["status"], i["standing"]) for i in rows["EXP-0014"]["insights"]
    ] == [("INS-0010", "counter-evidence", "rejected", "contested")]
    # --by metric: catalog order (repeat-purchase-rate, conversion-rate, ..., checkout-completion,
    # return-rate, contact-rate). conversion-rate holds EXP-0020, 19, 16, 15, 12, 9, 8, 3 (8);
    # repeat-purchase-rate EXP-0014; checkout-completion EXP-0011, 5, 2.
    by_metric = report(northwind, "learnings", "--by", "metric")
    metric_groups = {g["key"]: [x["id"] for x in g["experiments"]] for g in by_metric["groups"]}
    assert next(iter(metric_groups)) == "repeat-purchase-rate"
    assert metric_groups["repeat-purchase-rate"] == ["EXP-0014"]
    assert metric_groups["conversion-rate"] == [
        f"EXP-00{n:02d}" for n in (20, 19, 16, 15, 12, 9, 8, 3)
    ]
    assert metric_groups["checkout-completion"] == ["EXP-0011", "EXP-0005", "EXP-0002"]


def test_digest_figures_by_hand(northwind: Path) -> None:
    """tests/golden/report-digest.* (the last seven days) and report-digest-since.*."""
    week = report(northwind, "digest")
    # 2026-10-25 to 2026-11-01: the newest end is EXP-0020's 2026-07-19, so nothing concluded;
    # EXP-0021 started 2026-10-27 and is planned to end 2026-11-06 (this week); EXP-0007
    # started 2025-06-02 for 42 days: planned end 2025-07-14, 475 days ago (2025-07-14 to
    # 2026-07-14 is 365, + 17 + 31 + 30 + 31 + 1). No insight created or validated and updated
    # in the week (INS-0016 is a draft, updated 2026-10-19). OPP-0004 was updated 2026-10-27.
    # No concluded experiment lacks its decision.
    assert week["concluded"] == []
    assert [x["id"] for x in week["started"]] == ["EXP-0021"]
    assert [(x["id"], x["date"]) for x in week["ending"]] == [("EXP-0021", "2026-11-06")]
    assert [(x["id"], x["what"]) for x in week["overdue"]] == [
        ("EXP-0007", "planned end 2025-07-14, 475 days ago")
    ]
    assert week["insights"] == [] and week["pending"] == {}
    assert [(x["id"], x["what"]) for x in week["opportunities"]] == [
        ("OPP-0004", "now in-progress")
    ]
    # From 2026-06-01: concluded EXP-0020 (won, ship, 07-19) and EXP-0019 (inconclusive, iterate,
    # 06-28); started EXP-0021 (10-27) and EXP-0020 (06-15); new
    # insights INS-0016 (09-21) and INS-0015 (07-13), validated and updated INS-0006 (08-03) and
    # INS-0007 (07-06); opportunities new OPP-0009 (09-28), OPP-0008 (07-20), updated OPP-0004
    # (10-27), OPP-0007 (09-14), OPP-0001 (07-06).
    since = report(northwind, "digest", "--since", "2026-06-01")
    assert [(x["id"], x["what"]) for x in since["concluded"]] == [
        ("EXP-0020", "won; decision ship"),
        ("EXP-0019", "inconclusive; decision iterate"),
    ]
    assert [x["id"] for x in since["started"]] == ["EXP-0021", "EXP-0020"]
    assert [x["id"] for x in since["insights"]] == ["INS-0016", "INS-0006", "INS-0015", "INS-0007"]
    assert [x["id"] for x in since["opportunities"]] == [
        "OPP-0004",
        "OPP-0009",
        "OPP-0007",
        "OPP-0008",
        "OPP-0001",
    ]


def test_health_of_one_team_by_hand(northwind: Path) -> None:
    """tests/golden/report-health-team.*: the checkout team's documents are EXP-0002/3/5/11/19,
    INS-0001 (archived), INS-0002, INS-0004, OPP-0001 and OPP-0003."""
    data = report(northwind, "health", "--team", "checkout")
    scores = {a["area"]: (a["ok"], a["in_scope"], a["score"]) for a in data["areas"]}
    assert scores == {
        # INS-0002 and INS-0004 are validated and used (by OPP-0001, OPP-0003).
        "insights": (2, 2, 100),
        "evidence": (2, 2, 100),
        # OPP-0001 (in progress) has EXP-0003 and EXP-0019; OPP-0003 (delivered) EXP-0005.
        "opportunities": (2, 2, 100),
        # EXP-0011 (inconclusive, abandon): nothing follows it, no insight cites it;
        # EXP-0019 (iterate): no experiment follows it. EXP-0002/5 won and shipped; EXP-0003
        # (iterate) is followed by EXP-0019.
        "learning": (3, 5, 60),
        "ownership": (10, 10, 100),
        "pace": (0, 0, None),  # no draft, nothing running
        # INS-0002 and INS-0004 due (2026-05-06, 2026-05-26); OPP-0001 (updated 2026-07-06)
        # not yet; OPP-0003 is delivered, out of scope.
        "review": (1, 3, 33),
    }
    assert data["overall"] == 82  # (100 + 100 + 100 + 60 + 100 + 33) / 6 = 82.2
    # One decided test of the team in the 12 months (EXP-0019, inconclusive): too few.
    assert (data["band"]["decided"], data["band"]["verdict"]) == (1, "too few tests")
