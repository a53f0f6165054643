"""The hardening issue's reader items: ids are ASCII, numbers are bounded and finite, tabs inside
block scalars are YAML, syntax errors point where the trouble starts, and escapes that decode to
control characters are refused. Each on a committed copy of the example, through the real CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, cx
from tests.gitrepo import commit, run_git

PAY_LATER = "experiments/EXP-0002-pay-later-at-checkout.md"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example library, committed in a fresh repository."""
    base = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, base, ignore=shutil.ignore_patterns(".cxlib"))
    run_git(base, "init", "-q", "-b", "main")
    commit(base, "the example")
    return base


def _edit(base: Path, rel: str, old: str, new: str) -> Path:
    path = base / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _findings(base: Path, *paths: str) -> list[dict[str, object]]:
    result = cx("-C", base, "validate", "--format", "json", *paths)
    assert result.exit_code in (0, 1), result.output
    findings: list[dict[str, object]] = result.json()["findings"]
    return findings


# -- 21. ids are ASCII digits ---------------------------------------------------------------------


def test_an_id_of_arabic_indic_digits_is_no_id(example: Path) -> None:
    original = (example / PAY_LATER).read_text(encoding="utf-8")
    copy = "experiments/EXP-\u0660\u0660\u0660\u0662-pay-later-again.md"
    (example / copy).write_text(
        original.replace("id: EXP-0002", "id: EXP-\u0660\u0660\u0660\u0662"), encoding="utf-8"
    )
    result = cx("-C", example, "validate", "--format", "json")
    assert result.exit_code == 1, result.output
    codes = {(f["path"], f["code"]) for f in result.json()["findings"]}
    assert (copy, "invalid-value") in codes  # the id field
    assert (copy, "file-name") in codes  # the name starts with no id
    assert cx("-C", example, "show", "EXP-\u0660\u0660\u0660\u0662").exit_code == 2


def test_a_wiki_link_of_unicode_digits_is_no_link() -> None:
    from cxlib.kb.parse import parse_bytes

    parsed = parse_bytes(b"---\nid: X\n---\nSee [[EXP-\xd9\xa0\xd9\xa2]] and [[EXP-0002]].\n")
    assert [target for target, _ in parsed.wiki_links] == ["EXP-0002"]
