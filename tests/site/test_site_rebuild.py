"""A rebuild rewrites only the pages whose content changed; the manifest in the site's folder
records each page's hash."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import example_copy
from tests.site.sitekit import build

from cxlib.site.output import MANIFEST


def _edit(base: Path, doc: str, old: str, new: str) -> None:
    path = next(base.rglob(f"{doc}-*.md"))
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_an_unchanged_base_writes_nothing(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    first = build(base, tmp_path / "site")
    assert "docs/EXP-0003.html" in first.written
    manifest = json.loads((tmp_path / "site" / MANIFEST).read_text())
    assert "docs/EXP-0003.html" in manifest["pages"]
    again = build(base, tmp_path / "site")
    assert again.written == [] and again.removed == []


def test_a_changed_body_rewrites_only_its_page(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    out = tmp_path / "site"
    build(base, out)
    other = (out / "docs" / "EXP-0004.html").stat().st_mtime_ns
    _edit(base, "EXP-0003", "Iterate rather than ship", "Iterate, do not ship yet")
    result = build(base, out)
    assert result.written == ["docs/EXP-0003.html"]
    assert "Iterate, do not ship yet" in (out / "docs" / "EXP-0003.html").read_text()
    assert (out / "docs" / "EXP-0004.html").stat().st_mtime_ns == other


def test_a_changed_title_rewrites_the_pages_that_show_it(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    out = tmp_path / "site"
    build(base, out)
    _edit(base, "EXP-0003", "title: Free shipping threshold banner in the cart", "title: Banner")
    written = set(build(base, out).written)
    assert "docs/EXP-0003.html" in written
    # the documents that list it: its opportunity, its insights, the experiment following it
    assert {"docs/OPP-0001.html", "docs/INS-0007.html", "docs/EXP-0019.html"} <= written
    assert "docs/EXP-0004.html" not in written  # nothing to do with it


def test_a_deleted_document_loses_its_page(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    out = tmp_path / "site"
    build(base, out)
    next(base.rglob("EXP-0022-*.md")).unlink()
    result = build(base, out)
    assert "docs/EXP-0022.html" in result.removed
    assert not (out / "docs" / "EXP-0022.html").exists()


def test_a_changed_status_or_config_name_rewrites_the_pages_that_show_it(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    out = tmp_path / "site"
    build(base, out)
    _edit(base, "OPP-0007", "status: prioritized", "status: parked")
    written = set(build(base, out).written)
    # OPP-0007's page, and the insight pages that list it with its status
    assert "docs/OPP-0007.html" in written
    assert any(p.startswith("docs/INS-") for p in written)
    assert "docs/EXP-0004.html" not in written
    # A metric's name in cxlib.toml is shown on every page naming the metric.
    toml = base / "cxlib.toml"
    toml.write_text(
        toml.read_text().replace("Session-to-order conversion rate", "Orders per session")
    )
    build(base, out)
    assert "Orders per session" in (out / "docs" / "EXP-0003.html").read_text()
