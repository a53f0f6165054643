"""Reports on crafted knowledge bases: empty, with broken files, filters, escaping, CSV, the
HTML file's safety rules, and the purity of the report modules."""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from pathlib import Path

import pytest
from tests.conftest import ROOT, cx, example_copy
from tests.reportkit import base

from cxlib.cli.commands.report import app as report_app

TODAY = "2026-11-01"
HOSTILE = '<script>alert("x")</script> & R&D | *bold* [link](http://evil.example) `tick`'
CHARTS = ("value-effort", "outcomes", "win-rate", "journey")


def experiment(
    doc_id: str,
    status: str,
    *,
    team: str = "growth",
    outcome: str | None = None,
    start: str | None = None,
    end: str | None = None,
    learnings: str = "We learned something we will use.",
    title: str = "An experiment",
    created: str = "2025-01-06",
) -> str:
    lines = [
        "---",
        f"id: {doc_id}",
        f"title: {title!r}" if title != "An experiment" else f"title: {title}",
        f"status: {status}",
        "owner: Ana",
        f"team: {team}",
        f"created: {created}",
        "stage: purchase",
        "insights: [INS-0001]",
        "hypothesis: We believe that X for Y will cause Z, measured by conversion-rate.",
        "primary_metric: conversion-rate",
    ]
    if start:
        lines.append(f"start: {start}")
    if end:
        lines.append(f"end: {end}")
    if outcome:
        lines += ["result:", f"  outcome: {outcome}", "  effect: 1.0"]
    lines += ["---", "", "## Hypothesis", "", "X.", "", "## Learnings", "", learnings, ""]
    return "\n".join(lines)


INSIGHT = """\
---
id: INS-0001
title: {title}
status: validated
owner: Ana
created: 2025-01-02
stage: purchase
type: pain-point
evidence: [https://example.com/survey]
confidence: high
---

## Summary

Shoppers learn the shipping cost only at the last step.
"""


def run(root: Path, *args: str) -> str:
    result = cx("-C", root, "--today", TODAY, "report", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


# -- an empty knowledge base ----------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
@pytest.mark.parametrize(
    "name", ["roadmap", "experiments", "learnings", "digest", "journey", "metrics", "health"]
)
def test_empty_base_gives_empty_reports(kb: Path, name: str, fmt: str) -> None:
    result = cx("-C", kb, "--today", TODAY, "report", name, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_empty_base_figures_are_no_data_not_zero(kb: Path) -> None:
    exp = cx("-C", kb, "report", "experiments", "-f", "json").json()
    assert (exp["total"], exp["win_rate"], exp["months"], exp["quarters"]) == (0, None, [], [])
    assert exp["velocity"]["trend"] is None
    assert "Win rate:** n/a" in run(kb, "experiments", "-f", "markdown")
    health = cx("-C", kb, "report", "health", "-f", "json").json()
    assert health["overall"] is None
    assert {a["grade"] for a in health["areas"]} == {"n/a"}


def test_empty_base_html_has_every_chart(kb: Path) -> None:
    page = run(kb, "html", "-o", "-")
    for chart in CHARTS:
        assert f'data-chart="{chart}"' in page
    assert page.count("No data yet") == 3  # the journey grid still shows its stages


# -- documents that do not load are skipped and counted -------------------------------------------
def test_unreadable_documents_are_skipped_and_named(tmp_path: Path) -> None:
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": INSIGHT.format(title="Fine"),
            "experiments/EXP-0001-ok.md": experiment("EXP-0001", "running", start="2026-10-20"),
            "experiments/EXP-0002-broken-yaml.md": "---\nid: EXP-0002\ntitle: [unclosed\n---\n",
            "experiments/EXP-0003-no-title.md": "---\nid: EXP-0003\nstatus: draft\n"
            "created: 2025-01-01\n---\n",
        },
    )
    data = cx("-C", root, "--today", TODAY, "report", "experiments", "-f", "json").json()
    assert data["total"] == 1
    assert data["skipped"] == [
        "experiments/EXP-0002-broken-yaml.md",
        "experiments/EXP-0003-no-title.md",
    ]
    text = run(root, "experiments", "-f", "markdown")
    assert "Skipped 2 document(s) that could not be read or do not fit the schema" in text
    page = run(root, "html", "-o", "-")
    assert "Skipped 2 document(s)" in page


def test_documents_breaking_lifecycle_rules_are_reported_not_skipped(tmp_path: Path) -> None:
    """A loss without learnings fails validation, and is exactly what the reports must show."""
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": INSIGHT.format(title="Fine"),
            "experiments/EXP-0001-lost.md": experiment(
                "EXP-0001",
                "concluded",
                outcome="lost",
                start="2026-01-05",
                end="2026-02-01",
                learnings="<!-- to do -->",
            ),
            "experiments/EXP-0002-won.md": experiment(
                "EXP-0002", "concluded", outcome="won", start="2026-01-05", end="2026-02-01"
            ),
        },
    )
    assert cx("-C", root, "validate").exit_code == 1
    exp = cx("-C", root, "--today", TODAY, "report", "experiments", "-f", "json").json()
    assert exp["skipped"] == []
    assert [u["id"] for u in exp["unlearned"]] == ["EXP-0001"]
    assert exp["win_rate"] == 0.5
    health = cx("-C", root, "--today", TODAY, "report", "health", "-f", "json").json()
    assert ("loss-without-learnings", "EXP-0001") in {
        (p["problem"], p["id"]) for p in health["problems"]
    }


def test_documents_off_the_journey_get_their_own_row(tmp_path: Path) -> None:
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": INSIGHT.format(title="Fine"),
            "insights/INS-0002-b.md": INSIGHT.format(title="No stage")
            .replace("id: INS-0001", "id: INS-0002")
            .replace("stage: purchase\n", ""),
        },
    )
    data = cx("-C", root, "report", "journey", "--touchpoints", "-f", "json").json()
    rows = {s["stage"]: s for s in data["stages"]}
    assert rows["purchase"]["counts"]["pain_points"] == 1
    assert rows[""]["name"] == "(no stage or unknown stage)"
    assert rows[""]["counts"]["insights"] == 1
    # purchase has the insight but no touchpoint: a "(no touchpoint)" row holds it.
    assert rows["purchase"]["touchpoints"][-1]["touchpoint"] == ""
    assert rows["purchase"]["touchpoints"][-1]["counts"]["insights"] == 1


# -- filters --------------------------------------------------------------------------------------
@pytest.fixture
def teams(tmp_path: Path) -> Path:
    return base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": INSIGHT.format(title="Fine"),
            "experiments/EXP-0001-old.md": experiment(
                "EXP-0001", "concluded", outcome="won", start="2024-12-01", end="2025-01-10"
            ),
            "experiments/EXP-0002-new.md": experiment(
                "EXP-0002",
                "concluded",
                team="checkout",
                outcome="lost",
                start="2026-02-01",
                end="2026-03-01",
            ),
            "experiments/EXP-0003-running.md": experiment(
                "EXP-0003", "running", start="2026-09-01"
            ),
        },
    )


def test_since_keeps_open_experiments_and_those_closed_after(teams: Path) -> None:
    data = cx(
        "-C",
        teams,
        "--today",
        TODAY,
        "report",
        "experiments",
        "--since",
        "2026-01-01",
        "-f",
        "json",
    ).json()
    assert data["since"] == "2026-01-01"
    assert sorted(r["id"] for r in data["experiments"]) == ["EXP-0002", "EXP-0003"]
    assert data["by_outcome"]["won"] == 0
    # EXP-0003 has run since 2026-09-01: 61 days on 2026-11-01, over the example's 30.
    assert [s["id"] for s in data["stale"]] == ["EXP-0003"]


def test_team_filter(teams: Path) -> None:
    data = cx(
        "-C", teams, "--today", TODAY, "report", "experiments", "--team", "checkout", "-f", "json"
    ).json()
    assert [r["id"] for r in data["experiments"]] == ["EXP-0002"]
    assert data["win_rate"] == 0.0


@pytest.mark.parametrize(
    "args, message",
    [
        (["--team", "nobody"], "unknown team 'nobody'"),
        (["--since", "2026-13-01"], "--since: 2026-13-01 is not a date: month 13"),
    ],
)
def test_bad_filters_are_usage_errors(teams: Path, args: list[str], message: str) -> None:
    result = cx("-C", teams, "report", "experiments", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


# -- output formats -------------------------------------------------------------------------------
def test_csv_is_one_row_per_item(tmp_path: Path) -> None:
    copy = tmp_path / "nw"
    example_copy(copy)
    text = run(copy, "experiments", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 22
    stale = [r["id"] for r in rows if r["stale"] == "yes"]
    assert stale == ["EXP-0007"]
    roadmap = list(csv.DictReader(io.StringIO(run(copy, "roadmap", "-f", "csv"))))
    assert [r["id"] for r in roadmap][:2] == ["OPP-0001", "OPP-0009"]


def test_piped_table_is_plain_text(tmp_path: Path) -> None:
    copy = tmp_path / "nw"
    example_copy(copy)
    text = run(copy, "experiments")
    assert "Win rate:" in text and "53.3%" in text
    assert "\x1b[" not in text  # no colour codes when not a terminal
    assert "EXP-0007" in text


def test_hostile_titles_are_escaped_everywhere(tmp_path: Path) -> None:
    root = base(
        tmp_path / "kb",
        {
            "insights/INS-0001-a.md": INSIGHT.format(title="Fine"),
            "experiments/EXP-0001-x.md": experiment(
                "EXP-0001", "running", start="2026-01-05", title=HOSTILE
            ),
        },
    )
    data = cx("-C", root, "--today", TODAY, "report", "experiments", "-f", "json").json()
    assert data["experiments"][0]["title"] == HOSTILE  # JSON keeps the text as it is
    markdown = run(root, "experiments", "-f", "markdown")
    assert "<script>" not in markdown
    row = next(line for line in markdown.splitlines() if line.startswith("| EXP-0001"))
    assert row.count(" | ") == 4  # the title's '|' is escaped: still five cells
    assert "\\*bold\\*" in markdown and "\\[link\\]" in markdown and "R&amp;D" in markdown
    page = run(root, "html", "-o", "-")
    assert "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; R&amp;D" in page


# -- the HTML file --------------------------------------------------------------------------------
@pytest.fixture
def northwind(tmp_path: Path) -> Path:
    copy = tmp_path / "nw"
    example_copy(copy)
    return copy


def test_html_is_self_contained_and_deterministic(northwind: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = cx("-C", northwind, "--today", TODAY, "report", "html", "-o", out)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stderr and result.stdout == ""
    page = out.read_text(encoding="utf-8")
    first = out.read_bytes()
    for chart in CHARTS:
        assert page.count(f'data-chart="{chart}"') == 1
    # Nothing to fetch: no script, stylesheet link, image, font or remote URL but the SVG namespace.
    for banned in ("<script", "<link", "<img", "<iframe", "@import", "url(", "src="):
        assert banned not in page, banned
    assert page.replace('xmlns="http://www.w3.org/2000/svg"', "").count("http") == 0
    assert "@media print" in page
    # The five reports, with their ids as anchors, and points labelled by opportunity id.
    for name in ("roadmap", "experiments", "journey", "metrics", "health"):
        assert f'<section id="{name}">' in page
    assert ">OPP-0001</text>" in page
    again = cx("-C", northwind, "--today", TODAY, "report", "html", "-o", out)
    assert again.exit_code == 0, again.output
    assert out.read_bytes() == first  # replaced by the same bytes: an earlier report is replaced


def test_html_never_overwrites_a_file_it_did_not_write(northwind: Path) -> None:
    victim = northwind / "insights" / "INS-0001-shoppers-expect-pay-later-at-checkout.md"
    before = victim.read_bytes()
    result = cx("-C", northwind, "report", "html", "-o", victim)
    assert result.exit_code == 2
    assert "not a report cxlib wrote" in result.stderr
    assert victim.read_bytes() == before
    assert not list(victim.parent.glob(".*.tmp"))


def test_html_into_a_missing_folder_is_refused(northwind: Path) -> None:
    result = cx("-C", northwind, "report", "html", "-o", northwind / "nope" / "r.html")
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


# -- documentation and purity ---------------------------------------------------------------------
SUBCOMMANDS = [c.name for c in report_app.registered_commands]


def test_every_report_is_registered() -> None:
    assert SUBCOMMANDS == [
        "roadmap",
        "experiments",
        "learnings",
        "digest",
        "journey",
        "metrics",
        "health",
        "decisions",
        "html",
    ]


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_report_has_help_with_an_example_and_is_in_the_readme(name: str) -> None:
    result = cx("report", name, "--help")
    assert result.exit_code == 0, result.output
    assert "Example: cxlib report " + name in result.stdout
    assert f"`cxlib report {name}" in (ROOT / "README.md").read_text()


REPORT_MODULES = sorted((ROOT / "src" / "cxlib" / "reports").glob("*.py"))


@pytest.mark.parametrize("path", REPORT_MODULES, ids=lambda p: p.name)
def test_report_modules_are_pure(path: Path) -> None:
    """No I/O and no clock in reports/: they take data and ``today`` and return data."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            assert not {"os", "pathlib", "sys", "io", "subprocess", "shutil"} & set(names), names
        if isinstance(node, ast.Call) and isinstance(node.func, (ast.Name, ast.Attribute)):
            called = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            assert called not in {"open", "print", "today", "now", "write_text"}, called


def test_points_on_the_same_spot_stay_readable() -> None:
    from cxlib.reports.charts import Point, value_effort

    svg = value_effort(
        [
            Point("OPP-0002", "B", "idea", 4.0, 2, 4.0),
            Point("OPP-0001", "A <&>", "in-progress", 4.0, 2, 4.0),
        ]
    )
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert len(circles) == 2 and len({cy for _, cy in circles}) == 2  # stacked, not on top
    assert ">OPP-0001</text>" in svg and ">OPP-0002</text>" in svg
    assert "A &lt;&amp;&gt;" in svg and "A <&>" not in svg


def test_a_report_reads_only_the_kinds_it_uses(tmp_path: Path) -> None:
    """The experiments report loads experiments only: a broken insight is not its concern, while
    the health report, which reads every kind, names it as skipped."""
    copy = tmp_path / "northwind"
    example_copy(copy)
    (copy / "insights" / "INS-0099-broken.md").write_text("---\nid: [\n---\n")
    exp = cx("-C", copy, "report", "experiments", "--format", "json")
    assert exp.exit_code == 0, exp.output
    assert exp.json()["skipped"] == []
    health = cx("-C", copy, "report", "health", "--format", "json")
    assert health.json()["skipped"] == ["insights/INS-0099-broken.md"]


def test_concluded_experiments_whose_decision_is_pending_are_listed(base: Path) -> None:
    path = next((base / "experiments").glob("EXP-0003-*.md"))
    path.write_text(path.read_text().replace("decision: iterate\n", ""))
    data = json.loads(cx("-C", base, "report", "experiments", "--format", "json").stdout)
    assert [(p["id"], p["outcome"]) for p in data["decision_pending"]] == [("EXP-0003", "lost")]
    text = cx("-C", base, "report", "experiments").stdout
    assert "Concluded, decision pending:                       1" in text


def test_a_score_the_formula_reads_but_an_opportunity_lacks_is_flagged(base: Path) -> None:
    toml = base / "cxlib.toml"
    toml.write_text(toml.read_text().replace('formula = "value-over-effort"', 'formula = "rice"'))
    data = json.loads(cx("-C", base, "report", "roadmap", "--format", "json").stdout)
    items = {i["id"]: i for g in data["groups"] for i in g["items"]}
    assert "reach assumed 1" in items["OPP-0009"]["flags"]  # no reach: RICE took 1
    assert items["OPP-0009"]["priority"] is not None  # ranked all the same, and said so
    assert "reach assumed 1" not in items["OPP-0001"]["flags"]  # it has one
    toml.write_text(toml.read_text().replace('formula = "rice"', 'formula = "value-over-effort"'))
    data = json.loads(cx("-C", base, "report", "roadmap", "--format", "json").stdout)
    assert not any("assumed" in f for g in data["groups"] for i in g["items"] for f in i["flags"])


def _running_lists(base: Path, today: str) -> dict[str, list[str]]:
    args = ("--today", today, "-C", base, "report", "experiments", "--format", "json")
    data = json.loads(cx(*args).stdout)
    return {k: [x["id"] for x in data[k]] for k in ("overdue", "ending_this_week", "stale")}


def test_a_running_experiment_is_judged_by_its_planned_end(base: Path) -> None:
    """EXP-0007 planned 42 days from 2025-06-02; EXP-0021 planned to end on 2026-11-06."""
    assert _running_lists(base, "2026-11-01") == {
        "overdue": ["EXP-0007"],
        "ending_this_week": ["EXP-0021"],
        "stale": [],
    }
    # Within the grace days it is not overdue yet; past them it is.
    assert _running_lists(base, "2026-11-09")["overdue"] == ["EXP-0007"]
    assert _running_lists(base, "2026-11-10")["overdue"] == ["EXP-0007", "EXP-0021"]
    path = next((base / "experiments").glob("EXP-0021-*.md"))
    path.write_text(path.read_text().replace("planned_end: 2026-11-06\n", ""))
    # Without a plan, the fixed limit: 30 days after its start on 2026-10-27.
    assert _running_lists(base, "2026-11-26")["stale"] == []
    assert _running_lists(base, "2026-11-27")["stale"] == ["EXP-0021"]


def test_the_page_card_counts_every_experiment_running_late(base: Path, tmp_path: Path) -> None:
    """EXP-0007 is overdue on 2026-11-01; without its plan it is stale: late either way."""
    card = '<div class="value">{}</div><div class="label">Running late</div>'
    page = tmp_path / "page.html"
    args = ("--today", "2026-11-01", "-C", base, "report", "html", "-o", page)
    assert cx(*args).exit_code == 0
    assert card.format(1) in page.read_text()
    path = next((base / "experiments").glob("EXP-0007-*.md"))
    path.write_text(path.read_text().replace("planned_days: 42\n", ""))
    assert cx(*args).exit_code == 0
    assert card.format(1) in page.read_text()
    path.write_text(path.read_text().replace("status: running", "status: planned"))
    assert cx(*args).exit_code == 0
    assert card.format(0) in page.read_text()


def test_html_has_a_default_file_name(northwind: Path, tmp_path: Path) -> None:
    result = cx("-C", northwind, "report", "html", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    page = tmp_path / "cxlib-report.html"
    assert page.is_file() and "<html" in page.read_text(encoding="utf-8")
    assert "wrote cxlib-report.html" in result.stderr
