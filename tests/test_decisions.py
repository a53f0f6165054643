"""``report decisions`` on a real repository: each departure names the commit that recorded the
decision (the oldest commit since which it holds), an uncommitted one says so, and without
history the report says once why no commit is shown. The figures on the example library are in
tests/test_reports_golden.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import cx, write
from tests.gitrepo import commit, experiment, insight, new_base, opportunity

EVIDENCE = "evidence: [https://example.com/survey]\nconfidence: high\n"
WON = (
    "end: 2025-02-07\nplanned_end: 2025-02-07\n"
    "decision_rule: {ship_if: significant-win}\n"
    "result: {outcome: won, effect: 3, p_value: 0.01, interval: [1, 5]}\n"
)
ONE = "experiments/EXP-0001-banner.md"
TWO = "experiments/EXP-0002-bar.md"


def _decisions(root: Path) -> dict[str, Any]:
    result = cx("-C", root, "--today", "2025-06-01", "report", "decisions", "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = result.json()
    return data


def _repo(root: Path) -> str:
    """EXP-0001 concluded and shipped by Bea; Caio changes the decision to iterate with a
    rationale (returned); Ana then edits its tags. EXP-0002 has a rule in words."""
    new_base(root)
    write(root, "insights/INS-0001-late.md", insight("INS-0001", "Late", "validated", EVIDENCE))
    write(root, "opportunities/OPP-0001-x.md", opportunity("OPP-0001", "Costs in the cart"))
    write(root, ONE, experiment("EXP-0001", "Banner", "concluded", WON + "decision: ship\n", "L."))
    words = WON.replace("{ship_if: significant-win}", '"ship if it wins"')
    write(root, TWO, experiment("EXP-0002", "Bar", "concluded", words + "decision: ship\n", "L."))
    commit(root, "Conclude", author="Bea Costa", date="2025-02-08T10:00:00+00:00")
    text = (
        (root / ONE)
        .read_text()
        .replace("decision: ship\n", "decision: iterate\ndecision_rationale: the copy needs work\n")
    )
    write(root, ONE, text)
    recorded = commit(root, "Iterate", author="Caio Reis", date="2025-02-10T10:00:00+00:00")
    write(root, ONE, text.replace("start:", "tags: [cart]\nstart:"))
    commit(root, "Tag", author="Ana Lima", date="2025-02-12T10:00:00+00:00")
    return recorded


def test_a_departure_names_the_commit_that_recorded_the_decision(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    recorded = _repo(root)
    data = _decisions(root)
    rows = {r["id"]: r for r in data["rows"]}
    assert rows["EXP-0001"]["verdict"] == "departs, with a rationale"
    assert rows["EXP-0001"]["rule_says"] == "ship"
    assert rows["EXP-0001"]["recorded"] == {
        "commit": recorded[:7],
        "date": "2025-02-10",
        "author": "Caio Reis",
    }
    # A rule in words cannot be evaluated: shown, counted apart, not linked.
    assert rows["EXP-0002"]["verdict"] == "rule in words, not checked"
    assert rows["EXP-0002"]["recorded"] is None
    assert data["counts"]["follows the rule"] == 0 and data["adherence"] == 0.0
    assert data["history"] == "git"
    markdown = cx("-C", root, "report", "decisions", "--format", "markdown").stdout
    assert f"| {recorded[:7]} (2025-02-10, Caio Reis) |" in markdown
    # Changed again on disk: not committed yet.
    write(root, ONE, (root / ONE).read_text().replace("decision: iterate", "decision: abandon"))
    assert _decisions(root)["rows"][0]["recorded"] is None
    assert (
        "| not committed yet |"
        in cx("-C", root, "report", "decisions", "--format", "markdown").stdout
    )


def test_without_history_the_report_says_so_once(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "kb"
    _repo(root)
    plain = tmp_path / "plain"
    shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git", ".cxlib"))
    data = _decisions(plain)
    assert data["history"] == "not a git repository"
    markdown = cx("-C", plain, "report", "decisions", "--format", "markdown").stdout
    assert markdown.count("no git history (not a git repository)") == 1
