"""Writes cxlib refuses rather than make: through a linked folder; and repository templates
closed the ways the reader accepts, which ``new --set`` edits like any other.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, snapshot

from cxlib.kb.parse import parse_bytes

NEW = ("new", "insight", "Shipping costs surface too late", "--no-input", "--stage", "purchase")


# -- new never writes through a link in the base --------------------------------------------------
@pytest.mark.parametrize("target", ["outside", "inside"])
def test_new_refuses_a_linked_kind_folder(kb: Path, tmp_path: Path, target: str) -> None:
    elsewhere = tmp_path / "elsewhere" if target == "outside" else kb / "archive"
    elsewhere.mkdir()
    (kb / "insights").rename(kb / "insights-old")
    (kb / "insights").symlink_to(elsewhere, target_is_directory=True)
    before = snapshot(kb)
    result = cx("-C", kb, *NEW)
    assert result.exit_code == 2, result.output
    assert "insights is a symbolic link" in result.stderr
    assert list(elsewhere.iterdir()) == []
    assert snapshot(kb) == before


def test_new_refuses_a_dangling_link_in_place_of_the_kind_folder(kb: Path) -> None:
    (kb / "insights").rename(kb / "insights-old")
    (kb / "insights").symlink_to(kb / "nowhere", target_is_directory=True)
    result = cx("-C", kb, *NEW)
    assert result.exit_code == 2, result.output
    assert "insights is a symbolic link" in result.stderr
    assert not (kb / "nowhere").exists()


# -- repository templates closed by '...' or '--- ' ------------------------------------------------
def _template(kb: Path, closer: str | None) -> None:
    """The packaged insight template with its closing line replaced (None: removed)."""
    from cxlib.kb.templates import packaged_template_dir

    lines = (packaged_template_dir() / "insight.md").read_text().split("\n")
    end = lines.index("---", 1)
    lines[end : end + 1] = [] if closer is None else [closer]
    (kb / "templates").mkdir(exist_ok=True)
    (kb / "templates" / "insight.md").write_text("\n".join(lines))


@pytest.mark.parametrize("closer", ["...", "--- ", "---\t", "...  "])
def test_new_set_edits_a_template_closed_as_the_reader_allows(kb: Path, closer: str) -> None:
    _template(kb, closer)
    result = cx("-C", kb, *NEW, "--set", "confidence=high", "--set", "tags=[a, b]")
    assert result.exit_code == 0, result.output
    created = kb / result.stdout.strip()
    parsed = parse_bytes(created.read_bytes())
    assert not parsed.problems
    assert parsed.data is not None
    assert parsed.data["confidence"] == "high" and parsed.data["tags"] == ["a", "b"]
    assert closer in created.read_text().split("\n")
    assert cx("-C", kb, "validate").exit_code == 0


@pytest.mark.parametrize("extra", [(), ("--set", "confidence=high")])
def test_new_refuses_a_template_whose_front_matter_is_not_closed(
    kb: Path, extra: tuple[str, ...]
) -> None:
    _template(kb, None)
    before = snapshot(kb)
    result = cx("-C", kb, *NEW, *extra)
    assert result.exit_code == 2, result.output
    assert "templates/insight.md" in result.stderr
    assert "internal error" not in result.output
    assert snapshot(kb) == before
