"""``cxlib set --where QUERY key=value``: every matching document edited line by line, all or
nothing (one refusal and no file is written, every refusal listed), ``--dry-run`` the diff of
every file; bad queries and bad mixes of arguments are exit 2 with the files untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, snapshot

GROWTH_DRAFTS = "team = growth and status = draft"


def _changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def test_every_matching_document_is_edited_on_its_lines(base: Path) -> None:
    listed = cx("-C", base, "list", "--where", GROWTH_DRAFTS, "--format", "json").json()
    assert len(listed) >= 2
    before = snapshot(base)
    result = cx(
        "-C", base, "--today", "2026-11-30", "set", "--where", GROWTH_DRAFTS, "owner=Maya Lindqvist"
    )
    assert result.exit_code == 0, result.output
    assert f"set owner of {len(listed)} documents: " in result.stdout
    after = snapshot(base)
    assert _changed(before, after) == {row["path"] for row in listed}
    for row in listed:
        old = before[row["path"]].decode().splitlines()
        new = after[row["path"]].decode().splitlines()
        gone = [line for line in old if line not in new]
        added = [line for line in new if line not in old]
        assert [line for line in gone if not line.startswith("updated:")] == [
            f"owner: {row['owner']}"
        ]
        assert sorted(added) == ["owner: Maya Lindqvist", "updated: 2026-11-30"]
    assert cx("-C", base, "validate").exit_code == 0


def test_dry_run_prints_every_diff_and_writes_nothing(base: Path) -> None:
    before = snapshot(base)
    result = cx("-C", base, "set", "--where", GROWTH_DRAFTS, "team=research", "--dry-run")
    assert result.exit_code == 0, result.output
    listed = cx("-C", base, "list", "--where", GROWTH_DRAFTS, "--format", "json").json()
    assert listed
    for row in listed:
        assert f"+++ b/{row['path']}" in result.stdout
    assert result.stdout.count("+team: research") == len(listed)
    assert result.stdout.startswith(f"would set team of {len(listed)} documents")
    assert snapshot(base) == before


def test_one_refusal_and_nothing_is_written_every_refusal_listed(base: Path) -> None:
    before = snapshot(base)
    result = cx("-C", base, "set", "--where", "type = expectation", "status=validated")
    assert result.exit_code == 2, result.output
    assert "2 of the 3 matching documents cannot take those values; nothing was written" in (
        result.stderr
    )
    assert "INS-0001" in result.stderr and "cannot move from archived to validated" in result.stderr
    assert "INS-0010" in result.stderr and "cannot move from rejected to validated" in result.stderr
    assert snapshot(base) == before


def test_a_rule_the_edit_would_break_is_named(base: Path) -> None:
    before = snapshot(base)
    result = cx("-C", base, "set", "--where", "result.outcome = lost", "result.outcome=won")
    assert result.exit_code == 2, result.output
    assert "EXP-0003" in result.stderr and "better up" in result.stderr
    assert snapshot(base) == before


def test_nothing_matches_is_no_error(base: Path) -> None:
    before = snapshot(base)
    result = cx("-C", base, "set", "--where", "result.effect > 1000", "decision=ship")
    assert result.exit_code == 0, result.output
    assert "no document matches the query; nothing to do" in result.stdout
    assert snapshot(base) == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--where", "status = = draft", "owner=X"), "unexpected '='"),
        (("--where", "stauts = draft", "owner=X"), "did you mean 'status'?"),
        (("--where", "created > soon", "owner=X"), "created is a date"),
        (("--where", "status = draft", "EXP-0001", "owner=X"), "give only KEY=VALUE pairs"),
        (("--where", "status = draft", "owner"), "give only KEY=VALUE pairs"),
        (("--where", "status = draft", "id=EXP-9"), "cxlib renumber"),
        (("EXP-0001",), "Missing argument 'KEY=VALUE...'"),
    ],
)
def test_bad_arguments_are_exit_2_and_touch_nothing(
    base: Path, args: tuple[str, ...], says: str
) -> None:
    before = snapshot(base)
    result = cx("-C", base, "set", *args)
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert snapshot(base) == before
