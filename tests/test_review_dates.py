"""Review-by dates: ``status ... validated`` writes one, validate warns when a declared one of a
document the library relies on has passed (judged against today on every run, warm or cold,
whole base or the hook's named files), and the health report lists all research due."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, HOUR_AGO, cx, settled_copy

from cxlib.kb.config_file import load_config
from cxlib.kb.parse import parse_bytes
from cxlib.kb.run_cache import NAME
from cxlib.model.checks import check_document
from cxlib.model.config import ReviewSettings
from cxlib.model.kinds import Kind
from cxlib.model.review import ChangeKind, Version, compare
from cxlib.model.review_dates import Dated, add_months, due_date, review_findings

INSIGHT = "insights/INS-0002-shipping-costs-surface-too-late.md"
EXAMPLE_INSIGHT = EXAMPLE / INSIGHT


@pytest.fixture
def base(tmp_path: Path) -> Path:
    """The example, every document last modified an hour ago (outside the racy window)."""
    return settled_copy(tmp_path / "northwind")


def _set_review_by(base: Path, rel: str, when: str) -> None:
    path = base / rel
    text = path.read_text()
    path.write_text(text.replace("\nstage:", f"\nreview_by: {when}\nstage:", 1))
    os.utime(path, (HOUR_AGO, HOUR_AGO))


def _codes(base: Path, today: str, *paths: str) -> list[tuple[str, str]]:
    result = cx("-C", base, "--today", today, "validate", *paths, "--format", "json")
    return [(f["code"], f["path"]) for f in result.json()["findings"]]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),  # the month's last day
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),  # a leap year
        (dt.date(2026, 11, 30), 12, dt.date(2027, 11, 30)),
        (dt.date(2026, 12, 15), 1, dt.date(2027, 1, 15)),  # into the next year
        (dt.date(2026, 3, 10), 25, dt.date(2028, 4, 10)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_due_date_counts_from_updated_else_created() -> None:
    settings = ReviewSettings(insight_months=12, opportunity_months=6)
    created, updated = dt.date(2025, 1, 10), dt.date(2025, 3, 1)
    given = due_date(Kind.INSIGHT, dt.date(2025, 2, 1), updated, created, settings)
    assert given is not None and given.explain() == "review_by 2025-02-01"
    from_updated = due_date(Kind.INSIGHT, None, updated, created, settings)
    assert from_updated is not None
    assert from_updated.explain() == "updated + 12 months = 2026-03-01"
    from_created = due_date(Kind.OPPORTUNITY, None, None, created, settings)
    assert from_created is not None
    assert from_created.explain() == "created + 6 months = 2025-07-10"


def test_review_findings_on_the_day_and_after() -> None:
    item = Dated("insights/INS-0001-x.md", Kind.INSIGHT, "validated", dt.date(2026, 6, 1), 7)
    assert review_findings([item], dt.date(2026, 6, 1)) == []  # due on the day, not late
    [finding] = review_findings([item], dt.date(2026, 6, 2))
    assert (finding.code, finding.line, finding.field) == ("review-expired", 7, "review_by")
    assert "passed 1 day ago" in finding.message


def test_status_validated_writes_review_by(base: Path) -> None:
    rel = "insights/INS-0015-club-buyers-rebuild-bulk-orders-by-hand.md"
    result = cx("-C", base, "--today", "2026-11-30", "status", "INS-0015", "validated")
    assert result.exit_code == 0, result.output
    assert "review_by" in result.output
    text = (base / rel).read_text()
    assert "review_by: 2027-11-30\n" in text and "status: validated\n" in text
    # A shorter [review] period, and validating again moves the date on.
    config = base / "cxlib.toml"
    config.write_text(config.read_text() + "\n[review]\ninsight_months = 6\n")
    result = cx("-C", base, "--today", "2027-01-31", "status", "INS-0015", "validated")
    assert result.exit_code == 0, result.output
    text = (base / rel).read_text()
    assert "review_by: 2027-07-31\n" in text and text.count("review_by") == 1


def test_an_unknown_review_key_is_a_config_error(base: Path) -> None:
    config = base / "cxlib.toml"
    config.write_text(config.read_text() + "\n[review]\ninsight_monts = 6\n")
    result = cx("-C", base, "validate")
    assert result.exit_code == 2 and "insight_monts" in result.output


def test_validate_warns_on_a_passed_review_by_only_where_relied_on(base: Path) -> None:
    # The example's parked OPP-0005 has review_by 2026-09-01: the health report lists it, but
    # a parked opportunity is not relied on, so validate says nothing.
    assert _codes(base, "2026-11-01") == []
    _set_review_by(base, INSIGHT, "2026-06-01")
    assert _codes(base, "2026-05-31") == []
    # The same listing, a later day: the warm run (answered from the last run) judges again.
    assert (base / ".cxlib" / NAME).is_file()
    assert _codes(base, "2026-06-02") == [("review-expired", INSIGHT)]
    assert _codes(base, "2026-06-02") == [("review-expired", INSIGHT)]
    assert _codes(base, "2026-05-31") == []
    # The hook (named files) and a cold run give the same answer.
    assert _codes(base, "2026-06-02", str(base / INSIGHT)) == [("review-expired", INSIGHT)]
    result = cx("-C", base, "--today", "2026-06-02", "validate", "--no-cache")
    assert result.exit_code == 0
    assert "warning: review_by 2026-06-01 passed 1 day ago" in result.output


def test_health_lists_research_due(base: Path) -> None:
    result = cx("-C", base, "--today", "2026-11-01", "report", "health", "--format", "json")
    assert result.exit_code == 0, result.output
    due = {p["id"]: p["detail"] for p in result.json()["problems"] if p["area"] == "review"}
    assert due["OPP-0005"] == "parked, due 61 days ago (review_by 2026-09-01)"
    assert due["INS-0008"] == "validated, due 173 days ago (created + 12 months = 2026-05-12)"


def _version(text: str) -> Version:
    doc = check_document(INSIGHT, Kind.INSIGHT, parse_bytes(text.encode()), load_config(EXAMPLE))
    return Version(doc, text)


def test_review_names_the_insights_a_branch_revalidated() -> None:
    base = EXAMPLE_INSIGHT.read_text()
    moved = base.replace("\nstage:", "\nreview_by: 2027-11-30\nstage:", 1)
    again = compare(ChangeKind.CHANGED, _version(base), _version(moved), Kind.INSIGHT)
    assert again.revalidated and (again.old_review_by, again.review_by) == (None, "2027-11-30")
    later = moved.replace("2027-11-30", "2028-01-31")
    assert compare(ChangeKind.CHANGED, _version(moved), _version(later), Kind.INSIGHT).revalidated
    # An earlier date, or an edit that leaves the date alone, re-validates nothing.
    earlier = moved.replace("2027-11-30", "2027-01-31")
    assert not compare(
        ChangeKind.CHANGED, _version(moved), _version(earlier), Kind.INSIGHT
    ).revalidated
    retitled = base.replace("title: ", "title: New ", 1)
    assert not compare(
        ChangeKind.CHANGED, _version(base), _version(retitled), Kind.INSIGHT
    ).revalidated
