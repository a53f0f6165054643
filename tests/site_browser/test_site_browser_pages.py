"""The site's pages in a real browser, served on 127.0.0.1: every page reached by following
links from the home page, every internal link resolving, no console error, no script of a
document running anywhere, restricted documents nowhere; the kind index filtering by status;
axe-core finding no serious or critical violation; phones (390 px) served as well as laptops."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

import pytest
from tests import browser
from tests.site_browser.hostile import (
    HOSTILE_ID,
    RESTRICTED_IDS,
    RESTRICTED_WORDS,
    assert_nothing_ran,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Every URL a page refers to, as written and as the browser resolves it; and its anchors.
REFERENCES = """() => {
  const out = [];
  for (const e of document.querySelectorAll('[href], [src], form[action]')) {
    const name = e.hasAttribute('href') ? 'href' : e.hasAttribute('src') ? 'src' : 'action';
    const raw = e.getAttribute(name);
    const resolved = name === 'action' ? new URL(raw, location.href).href
      : e instanceof SVGElement ? new URL(raw, location.href).href : e[name];
    out.push([e.tagName.toLowerCase(), name, raw, resolved]);
  }
  return out;
}"""
ANCHORS = "() => [...document.querySelectorAll('[id], a[name]')].map((e) => e.id || e.name)"


@dataclass
class Crawl:
    """What following every internal link from the home page found."""

    pages: dict[str, str] = field(default_factory=dict)  # path -> the page's HTML as served
    anchors: dict[str, set[str]] = field(default_factory=dict)  # path -> ids on the page
    # (page, tag, attribute, as written, resolved) of every reference
    references: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # other internal files -> HTTP status
    errors: list[str] = field(default_factory=list)  # console errors, uncaught exceptions


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as e:
        return e.code


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def _is_page(path: str) -> bool:
    return path.endswith((".html", "/"))


@pytest.fixture(scope="module")
def crawl(page_browser: Browser, served: str) -> Iterator[Crawl]:
    found = Crawl()
    origin = urlsplit(served).netloc
    queue = ["index.html"]
    with browser.open_page(page_browser) as w:
        while queue:
            path = queue.pop()
            if path in found.pages:
                continue
            w.goto(served + path)
            found.pages[path] = fetch(served + path)
            found.anchors[path] = set(w.page.evaluate(ANCHORS))
            assert_nothing_ran(w.page, path)
            for tag, name, raw, resolved in w.page.evaluate(REFERENCES):
                found.references.append((path, tag, name, raw, resolved))
                url = urlsplit(urldefrag(resolved)[0])
                if url.netloc != origin or url.scheme != "http":
                    continue
                target = url.path.lstrip("/")
                if _is_page(target) and tag == "a":
                    queue.append(target or "index.html")
                elif target not in found.files and not _is_page(target):
                    found.files[target] = status_of(served + target)
        found.errors = list(w.errors)
    yield found


def test_every_page_is_reached(crawl: Crawl, site: Path) -> None:
    built = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    built = {p for p in built if not p.startswith("pagefind/")}
    assert set(crawl.pages) == built
    assert {"index.html", "search.html", "journey.html", "reports/roadmap.html"} <= built
    assert {f"kinds/{k}.html" for k in ("insight", "opportunity", "experiment")} <= built
    assert f"docs/{HOSTILE_ID}.html" in built and "docs/EXP-0008.html" in built


def test_every_internal_link_resolves(crawl: Crawl, served: str) -> None:
    broken = []
    for page, tag, name, raw, resolved in crawl.references:
        url, fragment = urldefrag(resolved)
        if not url.startswith(served):
            continue
        target = url.removeprefix(served).split("?")[0] or "index.html"
        if _is_page(target) and target not in crawl.pages:
            broken.append(f"{page}: {tag} {name}={raw} (no such page)")
        elif not _is_page(target) and crawl.files.get(target) != 200:
            broken.append(f"{page}: {tag} {name}={raw} (HTTP {crawl.files.get(target)})")
        elif fragment and fragment not in crawl.anchors.get(target, {fragment}):
            broken.append(f"{page}: {tag} {name}={raw} (no #{fragment} there)")
    assert broken == []
    assert len(crawl.references) > 500  # the crawl saw the site, not an error page


def test_links_are_relative_and_nothing_is_loaded_from_elsewhere(crawl: Crawl, served: str) -> None:
    absolute = [r for r in crawl.references if re.match(r"/|https?://127\.", r[3])]
    assert absolute == []
    # Scripts, stylesheets, images and frames come from the site itself (links may leave it).
    loaded = [r for r in crawl.references if r[1] == "src" or r[1:3] == ("link", "href")]
    assert loaded and all(r[4].startswith(served) for r in loaded), loaded


def test_no_console_error_on_any_page(crawl: Crawl) -> None:
    assert crawl.errors == []


def test_restricted_documents_are_on_no_page(crawl: Crawl, served: str) -> None:
    for path, html in crawl.pages.items():
        text = html.lower()
        assert not [w for w in (*RESTRICTED_IDS, *RESTRICTED_WORDS) if w.lower() in text], path
    for doc_id in RESTRICTED_IDS:
        assert status_of(f"{served}docs/{doc_id}.html") == 404
    assert "2 documents marked restricted are not published" in crawl.pages["index.html"]


def test_a_hostile_document_shows_its_markup_as_text(page_browser: Browser, served: str) -> None:
    with browser.open_page(page_browser) as w:
        w.goto(f"{served}docs/{HOSTILE_ID}.html")
        assert "<script>__pwned='title'</script>" in w.page.locator("main h1").inner_text()
        main = w.page.locator("main").inner_text()
        assert "<iframe srcdoc=" in main and "onerror=" in main
        # Its links are gone or harmless: clicking each one runs nothing.
        for link in w.page.locator("main a").all():
            if "link" in link.inner_text():
                link.click(modifiers=["Alt"])  # Alt: no download, no new tab
        assert_nothing_ran(w.page, "the document's page")
        w.goto(f"{served}kinds/insight.html")
        row = w.page.locator(f"#doc-table tbody tr:has(a[href$='{HOSTILE_ID}.html'])")
        assert "<script>" in row.inner_text()
        assert_nothing_ran(w.page, "the kind index")
        w.assert_clean()


def test_the_kind_index_filters_by_status(page_browser: Browser, served: str) -> None:
    with browser.open_page(page_browser) as w:
        w.goto(f"{served}kinds/experiment.html")
        rows = w.page.locator("#doc-table tbody tr")
        statuses = [r.get_attribute("data-status") for r in rows.all()]
        assert rows.count() > 10 and "concluded" in statuses and "running" in statuses
        assert w.page.locator("#doc-table tbody tr:visible").count() == rows.count()
        w.page.select_option("#filters select[name='status']", "concluded")
        shown = w.page.locator("#doc-table tbody tr:visible")
        assert shown.count() == statuses.count("concluded")
        assert {r.get_attribute("data-status") for r in shown.all()} == {"concluded"}
        hidden = w.page.locator("#doc-table tbody tr[hidden]")
        assert hidden.count() == len(statuses) - statuses.count("concluded")
        w.page.select_option("#filters select[name='status']", "")
        assert w.page.locator("#doc-table tbody tr:visible").count() == rows.count()
        w.assert_clean()


AXE_PAGES = ["index.html", "docs/EXP-0008.html", "kinds/experiment.html", "reports/roadmap.html"]


@pytest.mark.parametrize("path", AXE_PAGES)
def test_no_serious_accessibility_violation(page_browser: Browser, served: str, path: str) -> None:
    with browser.open_page(page_browser) as w:
        w.goto(served + path)
        assert browser.axe_violations(w.page) == []
        w.assert_clean()


SHOWN = {
    "home": "index.html",
    "document": "docs/EXP-0008.html",
    "roadmap": "reports/roadmap.html",
    "index": "kinds/experiment.html",
    "journey": "journey.html",
    "experiments": "reports/experiments.html",
}


@pytest.mark.parametrize("name", list(SHOWN))
@pytest.mark.parametrize("width", [390, 1366])
def test_fits_the_screen_and_no_text_is_below_12px(
    page_browser: Browser, served: str, tmp_path: Path, name: str, width: int
) -> None:
    with browser.open_page(page_browser, width=width) as w:
        w.goto(served + SHOWN[name])
        browser.screenshot(w.page, tmp_path, f"site-{name}-{width}")
        scroll_width, inner = browser.overflow(w.page)
        assert scroll_width <= inner, f"{SHOWN[name]} scrolls sideways at {width} px"
        assert browser.small_text(w.page) == []
        # A wide table scrolls in its frame rather than squeezing a column below a word.
        assert browser.broken_words(w.page) == []
        w.assert_clean()
