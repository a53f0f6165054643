"""Every link of the site resolves, none leaves it except those the documents wrote, and every
report links the ids it names."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from tests.site.sitekit import build, hostile_copy, pages, read

from cxlib.reports.registry import SPECS


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = hostile_copy(tmp_path_factory.mktemp("links") / "northwind")
    out = base.parent / "site"
    build(base, out)
    return base, out


def test_every_internal_link_resolves(built: tuple[Path, Path]) -> None:
    _, site = built
    checked = 0
    for page in pages(site):
        markup = read(page)
        ids = {a.get("id") for _, a in markup.elements}
        for _tag, url in markup.urls():
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme and not parts.netloc, (page, url)
            if not parts.path:
                assert parts.fragment in ids, (page, url)
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_relative_to(site.resolve()), (page, url)
            assert target.is_file(), (page, url)
            checked += 1
    assert checked > 1000


def test_no_address_outside_the_site_but_those_documents_wrote(built: tuple[Path, Path]) -> None:
    base, site = built
    written = "\n".join(p.read_text() for p in base.rglob("*.md"))
    for page in pages(site):
        for tag, url in read(page).urls():
            if urlsplit(url).scheme in ("http", "https"):
                assert tag == "a" and url in written, (page, url)
    for asset in (site / "assets").iterdir():
        # An SVG's namespace is a name that is never fetched, not an address.
        text = asset.read_text().replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not re.search(r"https?://", text), asset


def test_the_site_links_every_page_from_the_home(built: tuple[Path, Path]) -> None:
    _, site = built
    home = (site / "index.html").read_text()
    for href in ["journey.html", "search.html"] + [f"reports/{n}.html" for n in SPECS]:
        assert f'href="{href}"' in home
    for kind in ("insight", "opportunity", "experiment"):
        assert f'href="kinds/{kind}.html"' in home
    assert "Every document of the library is published here; none is marked restricted." in home


@pytest.mark.parametrize("name", list(SPECS))
def test_a_report_page_links_every_id_it_names(built: tuple[Path, Path], name: str) -> None:
    _, site = built
    page = (site / "reports" / f"{name}.html").read_text()
    main = page.split('<main id="main">', 1)[1]
    # ids in the text (not inside the charts' drawings, which name them in their labels)
    text = re.sub(r"<svg.*?</svg>", "", main, flags=re.S)
    text = re.sub(r'<a href="\.\./docs/[^"]+" class="doc-id">[^<]+</a>', "", text)
    assert re.findall(r"\b(?:INS|OPP|EXP)-\d{4}\b", re.sub(r"<[^>]+>", " ", text)) == []
    if name != "journey":
        assert 'href="../docs/' in page
