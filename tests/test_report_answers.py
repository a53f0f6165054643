"""A report answers from its last answer while nothing it read changed, prints it exactly as a
fresh one, and never answers from it once a document, cxlib.toml, the day or the options did."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import HOUR_AGO, cx, git, settled_copy

from cxlib.kb.answers import FOLDER, KEEP

TODAY = "2025-07-01"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The example, every document last modified an hour ago (outside the racy window)."""
    return settled_copy(tmp_path / "northwind")


def _report(base: Path, *args: str, today: str = TODAY) -> str:
    result = cx("-C", base, "--today", today, "report", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def _kept(base: Path, report: str) -> Path:
    return base / ".cxlib" / FOLDER / f"{report}.json"


def _plant(base: Path, report: str, marker: str) -> None:
    """A note no report writes, put into every answer kept for ``report`` (digest kept)."""
    path = _kept(base, report)
    kept = json.loads(path.read_text())
    for value in kept["answers"].values():
        if "blocks" in value:
            value["blocks"].append({"type": "Note", "text": marker})
        else:
            value["planted"] = marker
    path.write_text(json.dumps(kept))


def _touch(path: Path) -> None:
    os.utime(path, (HOUR_AGO + 60, HOUR_AGO + 60))


@pytest.mark.parametrize(
    "args",
    [
        ("experiments",),
        ("roadmap", "--explain"),
        ("learnings", "--format", "markdown"),
        ("health", "--format", "json"),
        ("journey", "--kpis", "--teams"),
    ],
)
def test_a_kept_answer_prints_exactly_as_a_fresh_one(base: Path, args: tuple[str, ...]) -> None:
    fresh = _report(base, *args)
    assert _kept(base, args[0]).is_file()
    again = _report(base, *args)
    assert again == fresh


def test_the_second_run_answers_from_the_kept_answer(base: Path) -> None:
    _report(base, "experiments")
    _report(base, "experiments", "--format", "json")
    _plant(base, "experiments", "PLANTED-ANSWER")
    assert "PLANTED-ANSWER" in _report(base, "experiments")
    assert json.loads(_report(base, "experiments", "--format", "json"))["planted"] == (
        "PLANTED-ANSWER"
    )


@pytest.mark.parametrize("change", ["edit", "add", "remove", "config"])
def test_any_change_to_what_a_report_reads_is_computed_afresh(base: Path, change: str) -> None:
    _report(base, "experiments")
    _plant(base, "experiments", "PLANTED-ANSWER")
    doc = sorted((base / "experiments").glob("*.md"))[0]
    if change == "edit":
        doc.write_text(doc.read_text().replace("title:", "title: Renamed -", 1))
        _touch(doc)
    elif change == "add":
        copy = doc.with_name("EXP-9999-copy.md")
        copy.write_text(doc.read_text().replace(doc.name.split("-")[1], "9999", 1))
        _touch(copy)
    elif change == "remove":
        doc.unlink()
    else:
        config = base / "cxlib.toml"
        config.write_text(config.read_text() + "\n# a comment changes the digest\n")
    out = _report(base, "experiments")
    assert "PLANTED-ANSWER" not in out
    if change == "edit":
        assert "Renamed -" in out or "Renamed" in _report(base, "experiments", "-f", "json")


def test_a_change_to_a_kind_a_report_does_not_read_keeps_its_answer(base: Path) -> None:
    _report(base, "experiments")
    _report(base, "roadmap")
    _plant(base, "experiments", "PLANTED-ANSWER")
    _plant(base, "roadmap", "PLANTED-ANSWER")
    insight = sorted((base / "insights").glob("*.md"))[0]
    insight.write_text(insight.read_text().replace("title:", "title: Renamed -", 1))
    _touch(insight)
    assert "PLANTED-ANSWER" in _report(base, "experiments")  # reads experiments only
    assert "PLANTED-ANSWER" not in _report(base, "roadmap")  # reads insights too


def test_another_day_or_other_options_are_other_requests(base: Path) -> None:
    _report(base, "experiments")
    _plant(base, "experiments", "PLANTED-ANSWER")
    assert "PLANTED-ANSWER" not in _report(base, "experiments", today="2025-07-02")
    assert "PLANTED-ANSWER" not in _report(base, "experiments", "--stage", "purchase")
    # The first request is still kept beside the others.
    assert "PLANTED-ANSWER" in _report(base, "experiments")


def test_at_most_keep_answers_per_report(base: Path) -> None:
    for day in range(1, KEEP + 3):
        _report(base, "experiments", today=f"2025-07-{day:02d}")
    kept = json.loads(_kept(base, "experiments").read_text())
    assert len(kept["answers"]) == KEEP
    assert '"2025-07-01"' not in " ".join(kept["answers"])  # the oldest went first


def test_documents_modified_just_now_keep_no_answer(tmp_path: Path) -> None:
    base = settled_copy(tmp_path / "northwind")
    doc = sorted((base / "experiments").glob("*.md"))[0]
    doc.write_text(doc.read_text())  # modified now: inside the racy window
    _report(base, "experiments")
    assert not _kept(base, "experiments").exists()


def test_a_report_that_reads_git_history_is_kept_under_head(base: Path) -> None:
    def commit(message: str) -> None:
        git(base, "add", "-A")
        git(base, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", message)

    git(base, "init", "-q")
    commit("the library")
    _report(base, "digest", "--git", "--since", "2020-01-01")
    _report(base, "decisions")
    _plant(base, "digest", "PLANTED-ANSWER")
    _plant(base, "decisions", "PLANTED-ANSWER")
    assert "PLANTED-ANSWER" in _report(base, "digest", "--git", "--since", "2020-01-01")
    assert "PLANTED-ANSWER" in _report(base, "decisions")
    git(
        base,
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "a commit that changes no document",
        "--author",
        "T <t@example.com>",
    )
    assert "PLANTED-ANSWER" not in _report(base, "digest", "--git", "--since", "2020-01-01")
    assert "PLANTED-ANSWER" not in _report(base, "decisions")


@pytest.mark.parametrize(
    "damage",
    [
        b"{not json",
        b"[]",
        b'{"digest": 1, "answers": []}',
        # The right digest is unknown to a damaged file; a shape fit for another form is not.
        None,
    ],
)
def test_a_damaged_kept_answer_is_computed_over(base: Path, damage: bytes | None) -> None:
    fresh = _report(base, "experiments")
    path = _kept(base, "experiments")
    if damage is None:
        kept = json.loads(path.read_text())
        for value in kept["answers"].values():
            value["blocks"] = [{"type": "Table", "columns": ["a"], "rows": [[1]]}]
        path.write_text(json.dumps(kept))
    else:
        path.write_bytes(damage)
    result = cx("-C", base, "--today", TODAY, "report", "experiments")
    assert result.exit_code == 0, result.output
    assert result.stdout == fresh
    assert "Traceback" not in result.output
