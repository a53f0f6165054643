"""``cxlib list`` checks every filter it is given: a misspelt status, stage, outcome, team or
metric is exit 2 with the known names and a "did you mean", never an empty table; tags match in
any case; a document that cannot be read is said on stderr, not silently left out."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx


def _ids(base: Path, *args: str) -> list[str]:
    result = cx("-C", base, "list", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return [row["id"] for row in result.json()]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--status", "runing"), "did you mean 'running'?"),
        (
            ("experiment", "--status", "prioritized"),
            "'prioritized' is not a status of an experiment",
        ),
        (("--stage", "purchse"), "did you mean 'purchase'?"),
        (("--stage", "checkout"), "'checkout' is a touchpoint of the stage 'purchase'"),
        (("--outcome", "wonn"), "did you mean 'won'?"),
        (("--team", "growht"), "did you mean 'growth'?"),
        (("--metric", "conversion"), "did you mean 'conversion-rate'?"),
        (("insight", "--outcome", "won"), "--outcome filters experiments"),
    ],
)
def test_a_filter_that_names_nothing_is_refused(
    base: Path, args: tuple[str, ...], says: str
) -> None:
    result = cx("-C", base, "list", *args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr and result.stdout == ""


def test_filters_select(base: Path) -> None:
    assert _ids(base, "experiment", "--outcome", "lost") == ["EXP-0003", "EXP-0012", "EXP-0014"]
    assert _ids(base, "--tag", "SIZING") == _ids(base, "--tag", "sizing") != []
    growth = _ids(base, "--team", "growth")
    assert growth and all(i.startswith(("INS", "OPP", "EXP")) for i in growth)
    metric = _ids(base, "--metric", "page-load-time")
    assert "EXP-0004" in metric  # a guardrail metric of EXP-0004
    assert _ids(base, "experiment", "--stage", "purchase", "--status", "running") == []


def test_an_unreadable_document_is_said_not_hidden(base: Path) -> None:
    (base / "insights" / "INS-0099-broken.md").write_text("---\nid: INS-0099\ntitle: [\n---\n")
    result = cx("-C", base, "list", "insight", "--format", "json")
    assert result.exit_code == 0
    assert "INS-0099" not in result.stdout
    assert "1 document could not be read and is not listed: run 'cxlib validate'" in result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("list", "experiement"), "did you mean 'experiment'?"),
        (("status", "EXP-0007", "conclued"), "did you mean 'concluded'?"),
        (("show", "EXP-00021"), "did you mean 'EXP-0021'?"),
        (("set", "OPP-0100", "owner=Ana"), "see 'cxlib list'"),
        (("new", "experiment", "T", "--stage", "delivr", "--no-input"), "did you mean 'deliver'?"),
        (("set", "INS-0002", "touchpoint=chekout", "--dry-run"), "did you mean 'checkout'?"),
        (
            ("set", "EXP-0003", "primary_metric=conversion", "--dry-run"),
            "did you mean 'conversion-rate'?",
        ),
        (("report", "roadmp"), "Did you mean 'roadmap'?"),
        (("shwo", "EXP-0001"), "Did you mean 'show'?"),
        (("completion", "fsh"), "did you mean 'fish'?"),
    ],
)
def test_a_misspelt_name_gets_a_did_you_mean(base: Path, args: tuple[str, ...], says: str) -> None:
    result = cx("-C", base, *args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr


def test_sort_limit_and_since(base: Path) -> None:
    top = _ids(base, "opportunity", "--sort", "priority", "--limit", "2")
    assert top == ["OPP-0001", "OPP-0003"]  # priority 4.0 each, then id order
    newest = _ids(base, "--sort", "created", "--limit", "1")
    assert newest == ["EXP-0022"]  # created 2026-10-14, the newest document
    since = _ids(base, "--since", "2026-09-01")
    assert since == ["EXP-0021", "EXP-0022", "INS-0016", "OPP-0009"]
    assert _ids(base, "--sort", "title") == sorted(
        _ids(base), key=lambda i: {r["id"]: r["title"].lower() for r in _rows(base)}[i]
    )


def _rows(base: Path) -> list[dict[str, str]]:
    result = cx("-C", base, "list", "--format", "json")
    rows: list[dict[str, str]] = result.json()
    return rows


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--sort", "prio"), "did you mean 'priority'?"),
        (("--since", "2026-13-01"), "--since: 2026-13-01 is not a date: month 13"),
        (("--limit", "0"), "--limit"),
    ],
)
def test_a_bad_order_or_date_is_refused(base: Path, args: tuple[str, ...], says: str) -> None:
    result = cx("-C", base, "list", *args)
    assert result.exit_code == 2 and says in result.output
