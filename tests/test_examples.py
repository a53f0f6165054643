"""The bundled example validates clean and covers what the README promises."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import frontmatter
from tests.conftest import EXAMPLE, cx, example_copy


def test_example_validates_clean_strict(tmp_path: Path) -> None:
    copy = tmp_path / "northwind"
    example_copy(copy)
    result = cx("-C", copy, "validate", "--strict", "--format", "json")
    assert result.exit_code == 0, result.output
    assert result.json()["total"] >= 43


def test_example_covers_every_status_and_outcome() -> None:
    exps = [frontmatter.load(p).metadata for p in (EXAMPLE / "experiments").glob("*.md")]
    statuses = Counter(m["status"] for m in exps)
    outcomes = Counter(m["result"]["outcome"] for m in exps if m.get("result"))
    assert set(statuses) == {"draft", "planned", "running", "concluded", "implemented", "abandoned"}
    assert set(outcomes) == {"won", "lost", "inconclusive", "invalid", "stopped-early"}
    assert len(exps) >= 20
    assert len(list((EXAMPLE / "insights").glob("*.md"))) >= 15
    assert len(list((EXAMPLE / "opportunities").glob("*.md"))) >= 8


def test_our_reader_agrees_with_python_frontmatter() -> None:
    """A differential check of the strict reader against an independent one."""
    from cxlib.kb.parse import parse_bytes

    for path in sorted(EXAMPLE.glob("*/*.md")):
        ours = parse_bytes(path.read_bytes())
        assert not ours.problems, path
        assert ours.data == frontmatter.load(path).metadata, path.name
