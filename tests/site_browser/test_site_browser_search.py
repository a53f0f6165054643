"""The site's search in a real browser: a word from one experiment's Learnings, typed into the
search box of any page, lists that experiment, and a click opens its page; search.html?q=WORD
is the same search, linkable; a restricted document is never found; a hostile document's title
in the results runs nothing."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest
from tests import browser
from tests.conftest import EXAMPLE
from tests.site_browser.hostile import (
    HOSTILE_ID,
    HOSTILE_WORD,
    RESTRICTED_IDS,
    RESTRICTED_WORDS,
    assert_nothing_ran,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.usefixtures("search_index")

# A word of EXP-0008's Learnings (a test that could not detect the effect it looked for) that no
# other document of the example holds: the search has to reach into a section's text.
WORD, EXPERIMENT = "underpowered", "EXP-0008"


def test_the_word_is_only_in_one_experiments_learnings() -> None:
    holders = [p for p in EXAMPLE.rglob("*.md") if WORD in p.read_text("utf-8").lower()]
    assert [p.name[:8] for p in holders] == [EXPERIMENT]
    text = holders[0].read_text("utf-8").lower()
    learnings = re.search(r"^## learnings\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert learnings and text.count(WORD) == learnings[1].count(WORD) > 0


def results(page: Page) -> list[tuple[str, str]]:
    """(href, text) of each result, once the search has answered."""
    page.wait_for_function(
        "() => { const s = document.getElementById('search-status');"
        " return s && / found for |Nothing found/.test(s.textContent); }",
        timeout=20_000,
    )
    links = page.locator("#search-results a")
    return [(a.get_attribute("href") or "", a.inner_text()) for a in links.all()]


def test_typing_a_learnings_word_finds_the_experiment_and_a_click_opens_it(
    page_browser: Browser, served: str
) -> None:
    with browser.open_page(page_browser) as w:
        w.goto(served + "kinds/insight.html")  # any page: the box is in every header
        w.page.fill("#search-input", WORD)
        w.page.press("#search-input", "Enter")
        w.page.wait_for_url(re.compile(r"/search\.html\?q=" + WORD))
        found = results(w.page)
        assert [href for href, _ in found] == [f"docs/{EXPERIMENT}.html"], found
        w.page.click(f"#search-results a[href='docs/{EXPERIMENT}.html']")
        w.page.wait_for_url(f"**/docs/{EXPERIMENT}.html")
        main = w.page.locator("main").inner_text()
        assert EXPERIMENT in main and WORD in main.lower()
        w.assert_clean()


def test_a_search_can_be_linked(page_browser: Browser, served: str) -> None:
    with browser.open_page(page_browser) as w:
        w.goto(f"{served}search.html?q={WORD}")
        assert [href for href, _ in results(w.page)] == [f"docs/{EXPERIMENT}.html"]
        assert w.page.input_value("#search-input") == WORD
        w.assert_clean()


@pytest.mark.parametrize("query", [*RESTRICTED_WORDS, *RESTRICTED_IDS])
def test_a_restricted_document_is_never_found(
    page_browser: Browser, served: str, query: str
) -> None:
    with browser.open_page(page_browser) as w:
        w.goto(f"{served}search.html?q={query}")
        # Pagefind may answer with near matches (an id's number, a word's start); none may be
        # the restricted document or show its words.
        for href, _ in results(w.page):
            assert href.removeprefix("docs/").removesuffix(".html") not in RESTRICTED_IDS
        shown = w.page.locator("#search-results").inner_text().lower()
        assert not any(
            word in shown for word in (*RESTRICTED_WORDS, *map(str.lower, RESTRICTED_IDS))
        )
        w.assert_clean()


def test_a_hostile_title_in_the_results_runs_nothing(page_browser: Browser, served: str) -> None:
    with browser.open_page(page_browser) as w:
        w.goto(f"{served}search.html?q={HOSTILE_WORD}")
        found = results(w.page)
        assert [href for href, _ in found] == [f"docs/{HOSTILE_ID}.html"]
        # The title is shown as the text it is.
        assert "<script>" in found[0][1]
        assert_nothing_ran(w.page, "search.html")
        w.assert_clean()
