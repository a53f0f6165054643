"""``cxlib export``: the example exported and read back (CSV and JSON Lines) holds every field
of every document with equal values, read independently of cxlib; restricted documents are left
out unless --all; --kind and --where select; the columns keep a stable order."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.conftest import cx, write

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _front_matter(path: Path) -> dict[str, Any]:
    """The front-matter as PyYAML reads it: what the export must hold, value for value."""
    text = path.read_text(encoding="utf-8-sig")
    block = text.split("\n---", 1)[0].removeprefix("---\n")
    data = yaml.safe_load(block)
    assert isinstance(data, dict)
    return data


def _documents(base: Path) -> dict[str, tuple[str, dict[str, Any]]]:
    out = {}
    for folder in ("insights", "opportunities", "experiments"):
        for path in sorted((base / folder).rglob("*.md")):
            data = _front_matter(path)
            out[str(data["id"])] = (path.relative_to(base).as_posix(), data)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _cells(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_cells(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _same_cell(cell: str, value: Any) -> bool:
    if value is None:
        return cell == ""
    if isinstance(value, bool):
        return cell == ("true" if value else "false")
    if isinstance(value, int | float):
        return float(cell) == value
    if isinstance(value, list):
        return json.loads(cell) == _plain(value)
    if isinstance(value, dt.date):
        return cell == value.isoformat()
    text = str(value)
    return cell == ("'" + text if text.startswith(FORMULA_START) else text)


def test_the_example_read_back_from_csv_has_every_field(base: Path) -> None:
    result = cx("-C", base, "export")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    documents = _documents(base)
    assert sorted(r["id"] for r in rows) == sorted(documents)
    header = next(csv.reader(io.StringIO(result.stdout)))
    assert header[:3] == ["id", "kind", "path"]
    for row in rows:
        path, data = documents[row["id"]]
        assert row["path"] == path
        expected = _cells(data)
        for column, value in expected.items():
            assert _same_cell(row[column], value), (row["id"], column, row[column], value)
        # no column holds anything the document does not say
        extra = {c for c, v in row.items() if v and c not in expected}
        assert extra <= {"kind", "path"}, (row["id"], extra)


def test_the_example_read_back_from_jsonl_has_every_field(base: Path) -> None:
    result = cx("-C", base, "export", "--format", "jsonl")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    documents = _documents(base)
    assert len(lines) == len(documents)
    for line in lines:
        row = json.loads(line)
        path, data = documents[row["id"]]
        assert list(row)[:3] == ["id", "kind", "path"] and row["path"] == path
        assert {k: v for k, v in row.items() if k not in ("kind", "path")} == _plain(data)
    assert json.loads(cx("-C", base, "export", "--format", "json").stdout) == [
        json.loads(line) for line in lines
    ]


def test_numbers_stay_numbers_and_formulas_are_defused(base: Path) -> None:
    path = next((base / "experiments").glob("EXP-0003-*.md"))
    path.write_text(path.read_text().replace("\ntitle: ", "\ntitle: =HYPERLINK(x) ", 1))
    out = cx("-C", base, "export", "--kind", "experiment", "--where", "id = EXP-0003").stdout
    header, line = out.splitlines()
    cells = dict(zip(header.split(","), next(csv.reader([line])), strict=True))
    assert cells["title"].startswith("'=HYPERLINK(x)")
    assert cells["result.effect"] == "-1.1"  # a negative number is a number, not a formula
    assert cells["result.p_value"] == "0.03"


def test_kind_and_where_select_and_columns_follow_the_model(base: Path) -> None:
    out = cx("-C", base, "export", "--kind", "opportunity").stdout
    header = next(csv.reader(io.StringIO(out)))
    assert header[:5] == ["id", "kind", "path", "title", "owner"]
    assert header.index("status") < header.index("insights") < header.index("customer_value")
    ids = [r["id"] for r in csv.DictReader(io.StringIO(out))]
    assert ids and all(i.startswith("OPP-") for i in ids)
    lost = cx("-C", base, "export", "--where", "result.outcome = lost", "--format", "json")
    assert [r["id"] for r in lost.json()] == ["EXP-0003", "EXP-0012", "EXP-0014"]


def test_restricted_documents_are_left_out_unless_all(base: Path) -> None:
    path = next((base / "insights").glob("INS-0002-*.md"))
    path.write_text(path.read_text().replace("\nstatus:", "\nvisibility: restricted\nstatus:", 1))
    write(
        base,
        "insights/private/INS-0090-in-a-restricted-folder.md",
        (
            "---\nid: INS-0090\ntitle: In a restricted folder\nstatus: draft\ncreated: 2026-01-05\n"
            "---\n\n## Summary\n\nx\n"
        ),
    )
    config = base / "cxlib.toml"
    config.write_text(config.read_text() + '\n[site]\nrestricted = ["insights/private"]\n')
    shown = cx("-C", base, "export", "--format", "json")
    assert shown.exit_code == 0, shown.output
    ids = {r["id"] for r in shown.json()}
    assert "INS-0002" not in ids and "INS-0090" not in ids and "INS-0001" in ids
    assert "2 restricted document(s) left out; --all includes them" in shown.stderr
    everything = {r["id"] for r in cx("-C", base, "export", "--all", "--format", "json").json()}
    assert everything == ids | {"INS-0002", "INS-0090"}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--where", "result.effect >"), "the query ends early"),
        (("--where", "crated >= 2026-01-01"), "did you mean 'created'?"),
        (("--kind", "experiement"), "did you mean 'experiment'?"),
        (("--format", "xlsx"), "xlsx"),
    ],
)
def test_bad_options_are_exit_2(base: Path, args: tuple[str, ...], says: str) -> None:
    result = cx("-C", base, "export", *args)
    assert result.exit_code == 2, result.output
    assert says in result.output and result.stdout == ""


def test_an_unreadable_document_is_said(base: Path) -> None:
    write(base, "insights/INS-0099-broken.md", "---\nid: INS-0099\ntitle: [\n---\n")
    result = cx("-C", base, "export", "--format", "jsonl")
    assert result.exit_code == 0
    assert "INS-0099" not in result.stdout
    assert "1 document could not be read and is not exported" in result.stderr
