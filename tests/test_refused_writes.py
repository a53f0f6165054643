"""Writes cxlib refuses rather than make: through a linked folder, into a read-only document; and
repository templates closed the ways the reader accepts, which ``new --set`` edits like any other.
"""

from __future__ import annotations

import os
import stat
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


# -- a read-only document is never replaced --------------------------------------------------------
@pytest.fixture
def linked(kb: Path) -> tuple[Path, Path, Path]:
    """An insight and an experiment, both made read-only (0444)."""
    ins = cx("-C", kb, *NEW)
    assert ins.exit_code == 0, ins.output
    exp = cx(
        "-C", kb, "new", "experiment", "Free shipping banner", "--no-input", "--stage", "purchase"
    )
    assert exp.exit_code == 0, exp.output
    paths = kb / ins.stdout.strip(), kb / exp.stdout.strip()
    for path in paths:
        os.chmod(path, 0o444)
    return kb, *paths


@pytest.mark.parametrize(
    "args",
    [
        ("set", "INS-0001", "confidence=high"),
        ("status", "INS-0001", "rejected"),
        ("link", "INS-0001", "EXP-0001"),
        ("link", "EXP-0001", "INS-0001"),
        ("renumber", "INS-0001", "INS-0042"),
    ],
    ids=["set", "status", "link-insight", "link-experiment", "renumber"],
)
def test_a_read_only_document_is_refused(
    linked: tuple[Path, Path, Path], args: tuple[str, ...]
) -> None:
    kb, insight, experiment = linked
    before = snapshot(kb)
    result = cx("-C", kb, *args)
    assert result.exit_code == 2, result.output
    edited = insight if args[1] == "INS-0001" else experiment
    assert f"{edited.name} is read-only" in result.stderr
    assert snapshot(kb) == before
    assert stat.S_IMODE(edited.stat().st_mode) == 0o444
    assert not (kb / ".cxlib" / "journal.json").exists()
    # Nothing is written in a preview, so it is shown.
    assert cx("-C", kb, *args, "--dry-run").exit_code == 0
