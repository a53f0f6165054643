"""list, show and schema on the example knowledge base."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, cx, example_copy


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy, so the cache folder never lands in the repository's examples/."""

    target = tmp_path_factory.mktemp("example") / "northwind"
    example_copy(target)
    return target


def test_list_filters_and_json(example: Path) -> None:
    result = cx("-C", example, "list", "experiments", "--status", "concluded", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = result.json()
    assert rows and all(r["status"] == "concluded" and r["kind"] == "experiment" for r in rows)
    lost = {r["id"] for r in rows if r["outcome"] == "lost"}
    assert {"EXP-0003", "EXP-0012", "EXP-0014"} <= lost


def test_list_by_tag_stage_owner(example: Path) -> None:
    stage = cx("-C", example, "list", "--stage", "use", "--format", "json").json()
    assert [r["id"] for r in stage] == ["INS-0014"]
    owned = cx("-C", example, "list", "opportunity", "--owner", "maya", "--format", "json").json()
    assert all("Maya" in r["owner"] for r in owned)
    tagged = cx("-C", example, "list", "--tag", "shipping", "--format", "json").json()
    assert "EXP-0003" in {r["id"] for r in tagged}


def test_list_csv_and_plain_table(example: Path) -> None:
    out = cx("-C", example, "list", "opportunities", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 9
    assert {"id", "priority", "status", "path"} <= set(rows[0])
    table = cx("-C", example, "list", "opportunities").stdout
    assert table.splitlines()[0].split()[:3] == ["ID", "TITLE", "STATUS"]
    assert "│" not in table and "\x1b[" not in table  # plain when piped


def test_list_unknown_kind(example: Path) -> None:
    result = cx("-C", example, "list", "widgets")
    assert result.exit_code == 2
    assert "unknown kind 'widgets'" in result.stderr


def test_show_links_and_backlinks(example: Path) -> None:
    result = cx("-C", example, "show", "exp-0003", "--format", "json")
    assert result.exit_code == 0, result.output
    shown = result.json()
    assert shown["id"] == "EXP-0003"
    back = {(b["id"], b["field"]) for b in shown["backlinks"]}
    assert ("EXP-0019", "follows") in back
    assert ("INS-0007", "evidence") in back
    assert any(
        link["id"] == "OPP-0001" and link["field"] == "opportunity" for link in shown["links"]
    )
    assert "## Learnings" in shown["body"]
    text = cx("-C", example, "show", "EXP-0003").stdout
    assert "backlinks:" in text and "EXP-0019" in text


@pytest.mark.parametrize("bad", ["EXP-9999", "../etc/passwd", "", "CON"])
def test_show_unknown_or_hostile_ids(example: Path, bad: str) -> None:
    result = cx("-C", example, "show", bad)
    assert result.exit_code == 2
    assert "id" in result.stderr


@pytest.mark.parametrize("kind", ["insight", "opportunities", "experiment"])
def test_schema_is_draft07_json_schema(kind: str, tmp_path: Path) -> None:
    result = cx("schema", kind)
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "prefixItems" not in result.stdout and "$defs" not in result.stdout
    assert {"id", "title", "status", "created"} <= set(schema["required"])


def test_schema_validates_example_front_matter() -> None:
    """The exported schema agrees with the example documents (a second validator's view)."""
    import frontmatter  # an independent reader

    schema = json.loads(cx("schema", "experiment").stdout)
    props = schema["properties"]
    for path in sorted((EXAMPLE / "experiments").glob("*.md")):
        data = frontmatter.load(path).metadata
        assert set(data) <= set(props), path.name
        status_enum = schema["definitions"]["ExperimentStatus"]["enum"]
        assert data["status"] in status_enum
