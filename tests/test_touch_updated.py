"""Edits keep ``updated:``: set, status, link, unlink and renumber set it to today (the
``--today`` clock) on the document they edit, changing only that line; ``--no-touch`` and
``[edit] touch_updated = false`` leave it."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, cx, snapshot

TODAY = "2026-11-30"
EXP = "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"
OPP = "opportunities/OPP-0009-waterproof-landing-pages-for-search-ads.md"


def _edit(base: Path, *args: str) -> dict[str, list[str]]:
    """Run an edit; the lines it removed and added, by file."""
    before = snapshot(base)
    result = cx("--today", TODAY, "-C", base, *args)
    assert result.exit_code == 0, result.output
    after = snapshot(base)
    changed: dict[str, list[str]] = {}
    for path in sorted(p for p in set(before) | set(after) if p.endswith(".md")):
        old = before.get(path, b"").decode().splitlines()
        new = after.get(path, b"").decode().splitlines()
        lines = [
            line
            for line in difflib.unified_diff(old, new, lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        if lines:
            changed[path] = lines
    return changed


@pytest.mark.parametrize(
    "args, path, edit",
    [
        (("set", "EXP-0003", "owner=Ana Lima"), EXP, ["-owner: Jonas Berg", "+owner: Ana Lima"]),
        (("status", "EXP-0003", "abandoned"), EXP, ["-status: concluded", "+status: abandoned"]),
        (
            ("link", "OPP-0009", "INS-0001"),
            OPP,
            ["-insights: [INS-0016]", "+insights: [INS-0016, INS-0001]"],
        ),
    ],
)
def test_an_edit_sets_updated_to_today_and_nothing_else(
    base: Path, args: tuple[str, ...], path: str, edit: list[str]
) -> None:
    changed = _edit(base, *args)
    assert list(changed) == [path]
    assert sorted(changed[path]) == sorted([*edit, *_updated(path)])


def _updated(path: str) -> list[str]:
    """The change of the 'updated:' line of a document of the example."""
    old = next(x for x in (EXAMPLE / path).read_text().splitlines() if x.startswith("updated:"))
    return [f"-{old}", f"+updated: {TODAY}"]


def test_unlink_touches_the_source(base: Path) -> None:
    changed = _edit(base, "unlink", "OPP-0009", "INS-0016")
    assert f"+updated: {TODAY}" in changed[OPP]


def test_a_document_without_updated_gets_it_after_created(base: Path) -> None:
    path = base / EXP
    path.write_text(path.read_text().replace("updated: 2025-05-06\n", ""))
    _edit(base, "set", "EXP-0003", "owner=Ana Lima")
    lines = path.read_text().splitlines()
    assert lines[lines.index("created: 2025-03-12") + 1] == f"updated: {TODAY}"


def test_no_touch_and_the_config_leave_updated(base: Path) -> None:
    changed = _edit(base, "set", "EXP-0003", "owner=Ana Lima", "--no-touch")
    assert changed[EXP] == ["-owner: Jonas Berg", "+owner: Ana Lima"]
    toml = base / "cxlib.toml"
    toml.write_text(toml.read_text() + "\n[edit]\ntouch_updated = false\n")
    changed = _edit(base, "set", "EXP-0003", "owner=Bea Costa")
    assert changed[EXP] == ["-owner: Ana Lima", "+owner: Bea Costa"]


def test_an_explicit_updated_wins(base: Path) -> None:
    changed = _edit(base, "set", "EXP-0003", "owner=Ana Lima", "updated=2026-01-02")
    assert "+updated: 2026-01-02" in changed[EXP]


def test_an_edit_that_changes_nothing_touches_nothing(base: Path) -> None:
    assert _edit(base, "set", "EXP-0003", "owner=Jonas Berg") == {}


def test_renumber_touches_only_the_renumbered_document(base: Path) -> None:
    changed = _edit(base, "renumber", "EXP-0003", "EXP-0100")
    renamed = "experiments/EXP-0100-free-shipping-threshold-banner-in-the-cart.md"
    assert f"+updated: {TODAY}" in changed[renamed]
    others = [p for p in changed if p not in (renamed, EXP)]
    assert others  # documents that mention it were rewritten...
    for path in others:
        assert not any(line.startswith("+updated:") for line in changed[path])  # ...not touched
