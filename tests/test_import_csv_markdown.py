"""``cxlib import csv`` and ``cxlib import markdown``: spreadsheets and notes from other tools."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, snapshot

SHEET = (
    "Title,Insight,When,Tags,Conf,Key\n"
    'Fees too high,People hate fees,2024-01-02,"fees, checkout",High,R-1\n'
    "../../x <script>alert(1)</script>,Hostile,,,,R-2\n"
    "Größe passt nicht,Sizes differ,2024-02-03,,low,R-3\n"
    ",No title,,,,R-4\n"
)
MAP = ["--map", "Title=title", "--map", "Insight=summary", "--map", "When=created"]
MAP += ["--map", "Tags=tags", "--map", "Conf=confidence", "--map", "Key=source_ref"]


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "research.csv"
    path.write_text(SHEET)
    return path


def test_a_sheet_becomes_insights_and_a_second_import_creates_nothing(
    kb: Path, sheet: Path
) -> None:
    result = cx("-C", kb, "import", "csv", sheet, "--kind", "insight", *MAP)
    assert result.exit_code == 1, result.output  # one row has no title
    assert "refused: research.csv:5: no title" in result.stderr
    assert "created INS-0001 insights/INS-0001-fees-too-high.md  (csv:R-1)" in result.stdout
    assert "created INS-0002 insights/INS-0002-x-script-alert-1-script.md" in result.stdout
    assert "created INS-0003 insights/INS-0003-grosse-passt-nicht.md" in result.stdout
    text = (kb / "insights/INS-0001-fees-too-high.md").read_text()
    assert "created: 2024-01-02\n" in text and "tags: [fees, checkout]\n" in text
    assert "confidence: high\n" in text and "## Summary\n\nPeople hate fees\n" in text
    assert 'source_ref: "csv:R-1"\n' in text
    assert (
        'title: "../../x <script>alert(1)</script>"'
        in (kb / "insights/INS-0002-x-script-alert-1-script.md").read_text()
    )
    assert cx("-C", kb, "validate").exit_code == 0
    before = snapshot(kb)
    again = cx("-C", kb, "import", "csv", sheet, "--kind", "insight", *MAP)
    assert "created 0, updated 0, 3 already imported" in again.stdout
    assert snapshot(kb) == before


def test_the_mapping_may_come_from_a_toml_file(kb: Path, sheet: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "map.toml"
    mapping.write_text('[map]\nTitle = "title"\nInsight = "Summary"\nKey = "source_ref"\n')
    result = cx("-C", kb, "import", "csv", sheet, "-k", "insight", "--map-file", mapping)
    assert "created 3" in result.stdout, result.output


def test_dry_run_writes_nothing(kb: Path, sheet: Path) -> None:
    before = snapshot(kb)
    result = cx("-C", kb, "import", "csv", sheet, "--kind", "insight", *MAP, "--dry-run")
    assert "would create INS-0001 insights/INS-0001-fees-too-high.md" in result.stdout
    assert snapshot(kb) == before


@pytest.mark.parametrize(
    "args, message",
    [
        ([*MAP], "csv needs --kind"),
        (["--kind", "insight"], "csv needs a mapping of columns to fields"),
        (["--kind", "insight", "--map", "Title=titel"], "an insight has no field or section"),
        (["--kind", "insight", "--map", "Insight=summary"], "a column mapped to title"),
        (["--kind", "insight", "--map", "Nope=title"], "no column 'Nope'"),
        (["--kind", "insight", "--map", "Title"], "expected COLUMN=FIELD"),
        (["--kind", "memo", *MAP], "unknown kind 'memo'"),
    ],
)
def test_a_bad_mapping_is_a_clear_error(
    kb: Path, sheet: Path, args: list[str], message: str
) -> None:
    before = snapshot(kb)
    result = cx("-C", kb, "import", "csv", sheet, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert snapshot(kb) == before


def test_a_sheet_that_is_not_utf8_names_the_file(kb: Path, tmp_path: Path) -> None:
    bad = tmp_path / "latin.csv"
    bad.write_bytes(b"Title\ncaf\xe9\n")
    result = cx("-C", kb, "import", "csv", bad, "--kind", "insight", "--map", "Title=title")
    assert result.exit_code == 2
    assert f"{bad}: not valid UTF-8 at byte 9" in result.stderr


# -- markdown ---------------------------------------------------------------------------------


def _vault(root: Path) -> Path:
    vault = root / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / ".obsidian" / "workspace.md").write_text("not a note\n")
    (vault / "sub").mkdir()
    (vault / "yaml.md").write_text(
        "---\ntitle: Shipping fees annoy\ntags: [shipping]\ndate: 2024-02-03\n"
        "kind_of: need\n---\n# Heading\n\nBody with [[Other note]] and <b>html</b>.\n"
    )
    (vault / "sub" / "toml.md").write_text('+++\ntitle = "TOML note"\ndate = 2023-05-06\n+++\nT\n')
    (vault / "json.md").write_text('{\n"title": "JSON note",\n"date": "2022-01-01"\n}\nJ\n')
    (vault / "bomb.md").write_text("---\na: &x [1]\nb: *x\n---\nx\n")
    (vault / "python.md").write_text("---\na: !!python/object:os.system ls\n---\nx\n")
    (vault / "open.md").write_text("---\ntitle: never closed\n")
    (vault / "Notiz ohne Kopf.md").write_text("Nur Text.\n")
    return vault


def test_a_vault_of_yaml_toml_and_json_notes_becomes_insights(kb: Path, tmp_path: Path) -> None:
    vault = _vault(tmp_path)
    result = cx("-C", kb, "import", "markdown", vault, "--kind", "insight", "--map", "kind_of=type")
    assert result.exit_code == 1, result.output
    assert "refused: bomb.md: YAML anchors/aliases are not allowed" in result.stderr
    assert "refused: python.md: " in result.stderr
    assert "refused: open.md: the front-matter is not closed" in result.stderr
    assert "workspace" not in result.output
    made = {p.name: p.read_text() for p in (kb / "insights").glob("*.md")}
    assert sorted(made) == [
        "INS-0001-notiz-ohne-kopf.md",
        "INS-0002-json-note.md",
        "INS-0003-shipping-fees-annoy.md",
        "INS-0004-toml-note.md",
    ]
    yaml_note = made["INS-0003-shipping-fees-annoy.md"]
    # The body is kept as it is, after cxlib's front-matter.
    assert yaml_note.endswith("---\n# Heading\n\nBody with [[Other note]] and <b>html</b>.\n")
    assert "created: 2024-02-03\n" in yaml_note and "type: need\n" in yaml_note
    assert 'source_ref: "markdown:yaml.md"' in yaml_note
    assert "created: 2023-05-06\n" in made["INS-0004-toml-note.md"]
    assert "created: 2022-01-01\n" in made["INS-0002-json-note.md"]
    assert cx("-C", kb, "validate").exit_code == 0
    again = cx("-C", kb, "import", "markdown", vault, "--kind", "insight")
    assert "created 0, updated 0, 4 already imported" in again.stdout


def test_markdown_needs_a_kind_and_an_existing_folder(kb: Path, tmp_path: Path) -> None:
    assert "markdown needs --kind" in cx("-C", kb, "import", "markdown", tmp_path).stderr
    missing = cx("-C", kb, "import", "markdown", tmp_path / "nope", "--kind", "insight")
    assert missing.exit_code == 2 and "no such file or folder" in missing.stderr
