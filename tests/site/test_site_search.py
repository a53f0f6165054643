"""The search index (Pagefind) covers every published document page and nothing else; without
Pagefind the site is built all the same and says how to get search."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy
from tests.site.sitekit import build, hostile_copy

pytest.importorskip("pagefind", reason="search needs the site extra: pip install 'cxlib[site]'")


def _fragments(site: Path) -> dict[str, str]:
    """Each indexed page's URL and the text Pagefind holds for it."""
    out: dict[str, str] = {}
    for path in (site / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(data)
        out[fragment["url"]] = fragment["content"]
    return out


def test_the_index_covers_every_document_page_and_no_other(tmp_path: Path) -> None:
    base = hostile_copy(tmp_path / "northwind")
    site = tmp_path / "site"
    result = build(base, site)
    assert result.search is not None and result.search.pages == 48, result.search
    assert (site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text())
    assert entry["languages"]["en"]["page_count"] == 48
    fragments = _fragments(site)
    assert set(fragments) == {f"/docs/{p.stem}" + ".html" for p in (site / "docs").iterdir()}
    # what is indexed is the page's text: a document's markup is words in it, never markup
    assert "<script>alert('title')</script>" in fragments["/docs/INS-0090.html"]
    page = (site / "search.html").read_text()
    assert '<ol id="search-results"></ol>' in page


def test_an_unchanged_site_keeps_its_index(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    site = tmp_path / "site"
    build(base, site)
    before = (site / "pagefind" / "pagefind-entry.json").stat().st_mtime_ns
    again = build(base, site)
    assert again.written == [] and again.search is not None and again.search.pages is None
    assert (site / "pagefind" / "pagefind-entry.json").stat().st_mtime_ns == before


def test_no_search_leaves_the_index_out(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    site = tmp_path / "site"
    assert cx("-C", base, "site", "-o", site).exit_code == 0
    result = cx("-C", base, "site", "-o", site, "--no-search")
    assert result.exit_code == 0, result.output
    assert not (site / "pagefind").exists()
    assert 'data-index="missing"' in (site / "search.html").read_text()


def test_without_pagefind_the_pages_are_built_and_the_fix_is_named(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    site = tmp_path / "site"
    env = {**os.environ, "PAGEFIND_BINARY_PATH": str(tmp_path / "no-such-binary")}
    done = subprocess.run(
        [sys.executable, "-m", "cxlib", "-C", str(base), "site", "-o", str(site)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "warning: the site has no search" in done.stderr
    assert "pip install 'cxlib[site]'" in done.stderr
    assert len(list((site / "docs").iterdir())) == 47
    assert not (site / "pagefind").exists()
    assert "pip install &#x27;cxlib[site]&#x27;" in (site / "search.html").read_text()
