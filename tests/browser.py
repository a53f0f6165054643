"""A real browser for the tests: Debian's Chromium, driven by playwright.

Playwright's Python wheel carries its driver; it is pointed at /usr/bin/chromium and never
downloads a browser of its own (no ``playwright install``). Every page a test opens through
:func:`open_page` records its console errors and uncaught exceptions, and the page checks
(:func:`overflow`, :func:`small_text`, :func:`axe_violations`) are measured in the browser after
layout. A test skips, saying why, only when Chromium, playwright or axe-core cannot be had; CI
(.ci/run) installs all three.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Page

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core from npm: .ci/run installs it into the first folder; CXLIB_AXE_JS names another copy
# of axe.min.js, and a global or a checkout-local `npm install axe-core` is found as well.
AXE_PATHS = [
    *([Path(os.environ["CXLIB_AXE_JS"])] if os.environ.get("CXLIB_AXE_JS") else []),
    Path.home() / ".cache/cxlib-ci/axe/node_modules/axe-core/axe.min.js",
    Path(__file__).resolve().parent.parent / "node_modules/axe-core/axe.min.js",
    Path("/usr/local/lib/node_modules/axe-core/axe.min.js"),
    Path("/usr/lib/node_modules/axe-core/axe.min.js"),
]
SCREENSHOTS_VAR = "CXLIB_SCREENSHOTS"


def missing() -> str | None:
    """Why no browser test can run here, or None when Chromium and playwright are there."""
    if not CHROMIUM.exists():
        return "/usr/bin/chromium is not installed (Debian package 'chromium'; .ci/run installs it)"
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


def axe_script() -> Path | None:
    return next((p for p in AXE_PATHS if p.is_file()), None)


@contextmanager
def launch() -> Iterator[Browser]:
    """Chromium, headless, with every host lookup failing: a page must need no network but
    127.0.0.1, where the tests serve it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[*ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
        )
        try:
            yield browser
        finally:
            browser.close()


def started() -> Iterator[Browser]:
    """The body of a test module's browser fixture (``yield from browser.started()``): one
    browser for the module, or the module's tests skipped with the reason."""
    reason = missing()
    if reason:
        pytest.skip(reason)
    with launch() as browser:
        yield browser


@dataclass
class Watched:
    """A page and what went wrong on it: console errors and uncaught exceptions."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def goto(self, url: str) -> None:
        response = self.page.goto(url, wait_until="load")
        if response is not None and not response.ok:
            self.errors.append(f"{url}: HTTP {response.status}")

    def assert_clean(self) -> None:
        assert not self.errors, "\n".join(self.errors)


@contextmanager
def open_page(browser: Browser, width: int = 1366, height: int = 900) -> Iterator[Watched]:
    """A fresh page (its own context: no cache or storage shared with another test)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watched = Watched(page)

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            watched.errors.append(f"console error on {page.url} ({where}): {message.text}")

    def page_error(error: Error) -> None:
        watched.errors.append(f"uncaught exception on {page.url}: {error}")

    page.on("console", console)
    page.on("pageerror", page_error)
    try:
        yield watched
    finally:
        context.close()


# -- serving a folder ---------------------------------------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # the test output stays readable
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """``folder`` over HTTP on 127.0.0.1 (a free port), from a thread; yields the base URL.

    The socket is bound and listening when the server object exists, so the first request is
    queued rather than refused: there is nothing to wait for."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# -- measures taken in the page ------------------------------------------------------------------
def overflow(page: Page) -> tuple[int, int]:
    """The page's scroll width and the viewport's width (the page scrolls sideways when the
    first is larger)."""
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return int(width), int(inner)


# Every visible text node and the size its glyphs are drawn at: the computed font size, times
# the scale an SVG's viewBox applies (a 12 px label in a chart drawn at half size is 6 px).
_SMALL_TEXT = """(minimum) => {
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const element = node.parentElement;
    if (!text || !element || element.closest('title, script, style, noscript')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility !== 'visible') continue;
    if (parseFloat(style.opacity) === 0) continue;
    let size = parseFloat(style.fontSize);
    if (element instanceof SVGElement && element.getScreenCTM()) {
      const m = element.getScreenCTM();
      size *= Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    }
    if (size < minimum - 0.01) {
      small.push(`${element.tagName.toLowerCase()} ${size.toFixed(1)}px: ${text.slice(0, 40)}`);
    }
  }
  return small;
}"""


def small_text(page: Page, minimum: float = 12) -> list[str]:
    """Visible text drawn below ``minimum`` px: the element, its size and the text."""
    return list(page.evaluate(_SMALL_TEXT, minimum))


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """axe-core's violations of those impacts on the page, one line each (rule, impact, help,
    the first elements); skips the test when axe-core is not installed."""
    script = axe_script()
    if script is None:
        pytest.skip(
            "axe-core is not installed (.ci/run: npm install --prefix "
            "~/.cache/cxlib-ci/axe axe-core@4; or set CXLIB_AXE_JS to axe.min.js)"
        )
    # Added as a script element by the driver, which a page's Content-Security-Policy does not
    # govern (add_script_tag would be refused by a page that allows only its own scripts).
    page.evaluate(script.read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    lines = []
    for v in result["violations"]:
        if v["impact"] in impacts:
            where = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
            lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {where}")
    return lines


def screenshot(page: Page, folder: Path, name: str) -> Path:
    """The whole page as ``folder/name.png``, copied into $CXLIB_SCREENSHOTS when it is set
    (to look at them: CXLIB_SCREENSHOTS=/tmp/shots pytest tests/...)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    copy_to = os.environ.get(SCREENSHOTS_VAR)
    if copy_to:
        Path(copy_to).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(copy_to) / path.name)
    return path


# Each word of the text in ``selector`` that the browser drew on more than one line. A word is
# what lies between spaces, and a hyphen may end a line too; a word longer than 24 characters
# (a URL, a hostile title) may have to break.
_BROKEN_WORDS = r"""(selector) => {
  const broken = [];
  for (const cell of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of node.textContent.matchAll(/\S{2,24}(?!\S)/g)) {
        if (word.index > 0 && /\S/.test(node.textContent[word.index - 1])) continue;
        for (const part of word[0].matchAll(/[^-]+-?/g)) {
          const range = document.createRange();
          range.setStart(node, word.index + part.index);
          range.setEnd(node, word.index + part.index + part[0].length);
          const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
          if (lines.size > 1) broken.push(part[0]);
        }
      }
    }
  }
  return broken;
}"""


def broken_words(page: Page, selector: str = "td, th") -> list[str]:
    """Words of tables (``selector``) split over lines: a column squeezed below its longest
    word, which a table too wide for the screen should avoid by scrolling instead."""
    return list(page.evaluate(_BROKEN_WORDS, selector))
