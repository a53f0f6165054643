"""``cxlib review`` names what changed inside each changed document, against reviewed golden
files: a branch that re-validates an insight (status, evidence, confidence, a rewritten section)
and raises an opportunity's effort (its priority falls).

Run ``pytest tests/test_review_changes.py --update-goldens`` after an intended change and review
the diff of tests/golden/.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, golden
from tests.gitrepo import commit, run_git

INSIGHT = "insights/INS-0016-search-ad-visitors-land-on-mixed-waterproof-results.md"
OPPORTUNITY = "opportunities/OPP-0003-simplify-mobile-address-entry.md"


def _edit(root: Path, rel: str, *pairs: tuple[str, str]) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, (rel, old)
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def branch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review") / "northwind"
    example_copy(root)
    run_git(root, "init", "-q", "-b", "main")
    commit(root, "the library")
    run_git(root, "checkout", "-q", "-b", "revalidate")
    _edit(
        root,
        INSIGHT,
        ("status: draft", "status: validated"),
        ("confidence: low", "confidence: high"),
        (
            '  - "https://analytics.northwind-outfitters.example/dashboards/paid-search-landing-2026-09"',
            '  - "https://analytics.northwind-outfitters.example/dashboards/paid-search-landing-2026-09"\n'
            '  - "https://analytics.northwind-outfitters.example/dashboards/filter-quality-2026-11"\n'
            "  - EXP-0012",
        ),
        (
            "Draft until we have checked the filter data quality and segmented by device. If "
            "confirmed, it supports",
            "Confirmed: the filter data is clean and the gap holds on every device. It supports",
        ),
    )
    _edit(root, OPPORTUNITY, ("effort: 2", "effort: 4"))
    commit(root, "Re-validate INS-0016; OPP-0003 costs more", date="2025-01-07T10:00:00+00:00")
    return root


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_golden_review_of_a_branch(branch: Path, fmt: str) -> None:
    result = cx("-C", branch, "review", "--base", "main", "--head", "revalidate", "--format", fmt)
    assert result.exit_code in (0, 1), result.output
    text = result.stdout
    # Commit ids follow from the example's every byte: the golden names them by role.
    for ref, name in (("main", "<base>"), ("revalidate", "<head>")):
        sha = run_git(branch, "rev-parse", ref).stdout.strip()
        text = text.replace(sha, name).replace(sha[:10], name)
    golden(f"review-changes.{'md' if fmt == 'markdown' else 'json'}", text)


def test_each_change_is_named_with_its_old_and_new_value(branch: Path) -> None:
    result = cx(
        "-C", branch, "review", "--base", "main", "--head", "revalidate", "--format", "json"
    )
    docs = {d["id"]: d for d in json.loads(result.stdout)["documents"]}
    ins = docs["INS-0016"]
    fields = {f["field"]: f for f in ins["fields"]}
    assert fields["status"] == {"field": "status", "old": "draft", "new": "validated"}
    assert fields["confidence"] == {"field": "confidence", "old": "low", "new": "high"}
    assert fields["evidence"]["added"] == [
        "https://analytics.northwind-outfitters.example/dashboards/filter-quality-2026-11"
    ]
    assert ins["links_added"] == [{"field": "evidence", "target": "EXP-0012"}]
    (implications,) = ins["sections"]
    assert implications["title"] == "Implications" and implications["change"] == "rewritten"
    assert any(
        line.startswith("+Confirmed: the filter data is clean") for line in implications["diff"]
    )
    opp = docs["OPP-0003"]
    assert opp["fields"] == [{"field": "effort", "old": "2", "new": "4"}]
    assert opp["priority"] == {"formula": "value-over-effort", "old": 4.0, "new": 2.0}


def test_the_markdown_folds_diffs_and_escapes_user_text(branch: Path, tmp_path: Path) -> None:
    _edit(
        branch,
        OPPORTUNITY,
        ("## Why", "## Why\n\nSee @octocat and https://evil.example ``` #12 &#x202e;"),
    )
    result = cx("-C", branch, "review", "--base", "main", "--format", "markdown")
    text = result.stdout
    assert "<details><summary>diff</summary>" in text
    diff = text[text.index("<details>") :]
    assert "````diff" in diff  # a fence longer than the ``` in the text: it cannot close early
    assert "@octocat" not in text.replace("+See @octocat", "")  # only inside the fenced diff
    run_git(branch, "checkout", "-q", "--", OPPORTUNITY)
