"""The site in a real browser: the example, with a hostile and two restricted documents added,
built by the real CLI (``cxlib -C <copy> site -o <tmp>``) once per test module and served on
127.0.0.1 from a thread."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests import browser
from tests.conftest import cx
from tests.site_browser.hostile import hostile_copy

if TYPE_CHECKING:
    from playwright.sync_api import Browser

TODAY = "2026-11-01"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built site's folder."""
    work = tmp_path_factory.mktemp("site")
    base = hostile_copy(work / "northwind")
    out = work / "out"
    result = cx("-C", base, "--today", TODAY, "site", "-o", out)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def served(site: Path) -> Iterator[str]:
    """The site's base URL on 127.0.0.1, ending in '/'."""
    with browser.serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def page_browser() -> Iterator[Browser]:
    yield from browser.started()


@pytest.fixture
def search_index(site: Path) -> Path:
    """The Pagefind bundle; the test is skipped, saying why, when the site has none."""
    bundle = site / "pagefind" / "pagefind.js"
    if not bundle.is_file():
        pytest.skip(
            f"{bundle.relative_to(site)} was not built: Pagefind is not installed "
            "(pip install -e '.[test]' brings pagefind[bin])"
        )
    return bundle
