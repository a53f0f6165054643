"""``cxlib import --update`` and ``--force``: the platform's later edits come in where nobody
edited the field since; near-duplicates of existing documents are held back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import cx, snapshot

PAGE = Path(__file__).parent / "fixtures" / "import" / "growthbook" / "experiments-page-1.json"


@pytest.fixture
def base(kb: Path) -> Path:
    with (kb / "cxlib.toml").open("a") as fh:
        fh.write('\n[import.metrics]\n"gb_met_conv" = "conversion-rate"\n')
    return kb


def _changed_page(tmp_path: Path) -> Path:
    page = json.loads(PAGE.read_text())
    fit = page["experiments"][1]
    fit["hypothesis"] = "A fit finder lowers size returns by a fifth."
    fit["tags"] = ["sizes"]
    out = tmp_path / "page-1-later.json"
    out.write_text(json.dumps(page))
    return out


def test_update_changes_only_the_fields_nobody_edited(base: Path, tmp_path: Path) -> None:
    assert cx("-C", base, "import", "growthbook", PAGE).exit_code == 0
    doc = base / "experiments" / "EXP-0002-fit-finder-on-product-pages.md"
    edited = cx("-C", base, "set", "EXP-0002", "tags=[mine]", "--no-touch")
    assert edited.exit_code == 0, edited.output
    later = _changed_page(tmp_path)
    plain = cx("-C", base, "import", "growthbook", later)
    assert "created 0, updated 0, 3 already imported" in plain.stdout
    before = snapshot(base)
    dry = cx("-C", base, "import", "growthbook", later, "--update", "--dry-run")
    assert "would update EXP-0002: hypothesis" in dry.stdout, dry.output
    assert snapshot(base) == before
    result = cx("-C", base, "import", "growthbook", later, "--update")
    assert result.exit_code == 0, result.output
    assert "updated EXP-0002: hypothesis" in result.stdout
    assert "kept (edited since the last import): tags" in result.stderr
    text = doc.read_text()
    assert "hypothesis: A fit finder lowers size returns by a fifth.\n" in text
    assert "tags: [mine]\n" in text
    assert cx("-C", base, "validate").exit_code == 0
    again = cx("-C", base, "import", "growthbook", later, "--update")
    assert "updated 1" in again.stdout  # only the kept field is left to report
    assert "hypothesis" not in again.stdout


def test_without_its_record_every_field_counts_as_edited(base: Path, tmp_path: Path) -> None:
    assert cx("-C", base, "import", "growthbook", PAGE).exit_code == 0
    for record in (base / ".cxlib" / "imports").iterdir():
        record.unlink()
    result = cx("-C", base, "import", "growthbook", _changed_page(tmp_path), "--update")
    assert "kept (edited since the last import): status, tags, hypothesis" in result.stderr
    doc = (base / "experiments" / "EXP-0002-fit-finder-on-product-pages.md").read_text()
    assert "hypothesis: A fit finder lowers size returns.\n" in doc


def test_a_near_duplicate_is_listed_not_created_unless_forced(base: Path) -> None:
    made = cx("-C", base, "new", "experiment", "Free shipping threshold banner", "--no-input")
    assert made.exit_code == 0, made.output
    result = cx("-C", base, "import", "growthbook", PAGE)
    assert result.exit_code == 1
    assert (
        "not created, like EXP-0001 (Free shipping threshold banner): growthbook:exp_1 "
        "(Free shipping threshold banner)" in result.stderr
    )
    assert "created 2, " in result.stdout
    forced = cx("-C", base, "import", "growthbook", PAGE, "--force")
    assert forced.exit_code == 0, forced.output
    assert "created EXP-0004 experiments/EXP-0004-free-shipping-threshold-banner.md" in (
        forced.stdout
    )
