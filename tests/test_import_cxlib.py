"""``cxlib import cxlib``: an export's JSON Lines into another base, ids, dates and links kept,
byte for byte with ``export --with-text``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, snapshot

GONE = (
    "insights/INS-0004-mobile-address-form-causes-abandonment.md",
    "opportunities/OPP-0003-simplify-mobile-address-entry.md",
    "experiments/EXP-0011-one-page-mobile-checkout.md",
)


def _documents(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("insights", "opportunities", "experiments")
        for p in (root / folder).rglob("*.md")
    }


@pytest.fixture
def exported(tmp_path: Path) -> tuple[Path, Path]:
    """The example with a gap in every id sequence, and its export with the files."""
    base = example_copy(tmp_path / "northwind")
    for rel in GONE:
        (base / rel).unlink()
    result = cx("-C", base, "export", "--format", "jsonl", "--with-text", "--all")
    assert result.exit_code == 0, result.output
    out = tmp_path / "library.jsonl"
    out.write_text(result.stdout)
    return base, out


@pytest.fixture
def empty(tmp_path: Path, exported: tuple[Path, Path]) -> Path:
    root = tmp_path / "empty"
    assert cx("init", root).exit_code == 0
    shutil.copy(exported[0] / "cxlib.toml", root / "cxlib.toml")
    return root


def test_a_round_trip_gives_byte_identical_documents(
    exported: tuple[Path, Path], empty: Path
) -> None:
    base, jsonl = exported
    result = cx("-C", empty, "import", "cxlib", jsonl)
    assert result.exit_code == 0, result.output
    assert _documents(empty) == _documents(base)
    assert "created EXP-0012 experiments/EXP-0012-express-badge" in result.stdout
    # The gaps stay gaps: the next new document takes the number after the highest.
    new = cx("-C", empty, "new", "insight", "After the import", "--no-input", "--format", "json")
    assert new.json()["id"] == "INS-0017"


def test_a_second_import_creates_nothing(exported: tuple[Path, Path], empty: Path) -> None:
    assert cx("-C", empty, "import", "cxlib", exported[1]).exit_code == 0
    before = snapshot(empty)
    again = cx("-C", empty, "import", "cxlib", exported[1])
    assert again.exit_code == 0, again.output
    assert "created 0, updated 0, 44 already imported" in again.stdout
    assert snapshot(empty) == before


def test_dry_run_writes_nothing(exported: tuple[Path, Path], empty: Path) -> None:
    before = snapshot(empty)
    result = cx("-C", empty, "import", "cxlib", exported[1], "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would create INS-0001" in result.stdout
    assert snapshot(empty) == before


def test_an_id_already_used_is_refused_and_nothing_else_changes(
    exported: tuple[Path, Path], empty: Path
) -> None:
    made = cx("-C", empty, "new", "insight", "Our own first", "--no-input", "--format", "json")
    assert made.json()["id"] == "INS-0001"
    result = cx("-C", empty, "import", "cxlib", exported[1])
    assert result.exit_code == 1
    assert (
        "refused: cxlib:INS-0001: INS-0001 is already used by insights/INS-0001-our-own-first.md"
        in result.stderr
    )
    assert "created 43" in result.stdout


def test_without_the_files_the_fields_are_written_into_the_template(
    exported: tuple[Path, Path], empty: Path, tmp_path: Path
) -> None:
    rows = [json.loads(line) for line in exported[1].read_text().splitlines()]
    for row in rows:
        row.pop("_file")
    plain = tmp_path / "plain.jsonl"
    plain.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = cx("-C", empty, "import", "cxlib", plain)
    # A concluded experiment's learnings are in its body, which only the file carries: it
    # comes in as a draft, its result kept in its body.
    assert result.exit_code == 0, result.output
    assert "as a draft: cxlib:EXP-0003: a concluded experiment needs a " in result.stderr
    assert (
        "result:\n  outcome: lost\n" in next((empty / "experiments").glob("EXP-0003-*")).read_text()
    )
    text = next((empty / "experiments").glob("EXP-0001-*.md")).read_text()
    assert "id: EXP-0001\n" in text and "created: 2025-" in text and "## Learnings" in text
    shown = cx("-C", empty, "show", "OPP-0001", "--format", "json").json()
    assert shown["front_matter"]["insights"] == ["INS-0002", "INS-0007"]
    assert "as a draft: cxlib:OPP-0001: a in-progress opportunity needs" in result.stderr
    assert shown["front_matter"]["status"] == "idea"


@pytest.mark.parametrize(
    "line, reason",
    [
        ("{not json", "not a JSON line"),
        ('["a list"]', "a row must be a JSON object"),
        ('{"id": "../../x", "kind": "insight"}', "no valid id"),
        ('{"id": "INS-0100", "kind": "memo"}', "unknown kind 'memo'"),
        (
            '{"id": "INS-0100", "kind": "insight", "path": "insights/INS-0100-x.md", '
            '"title": "A", "_file": "---\\nid: INS-0100\\ntitle: B\\n---\\n"}',
            "its file and its fields disagree",
        ),
    ],
)
def test_a_bad_row_is_refused_with_its_line_and_reason(
    empty: Path, tmp_path: Path, line: str, reason: str
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(line + "\n")
    before = snapshot(empty)
    result = cx("-C", empty, "import", "cxlib", bad)
    assert result.exit_code == 1, result.output
    assert "refused: bad.jsonl:1" in result.stderr and reason in result.stderr
    assert snapshot(empty) == before


def test_a_file_that_is_not_utf8_is_a_clear_error(empty: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin.jsonl"
    bad.write_bytes(b'{"title": "caf\xe9"}\n')
    result = cx("-C", empty, "import", "cxlib", bad)
    assert result.exit_code == 2
    assert f"{bad}: not valid UTF-8 at byte 14" in result.stderr
    assert "Traceback" not in result.output
