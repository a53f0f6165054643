"""The HTML report in a real browser: Debian's headless Chromium loads the file with every
network lookup failing, and every chart must be there, laid out, visible and painted; at a
phone's width nothing is cut off and no text is below 12 px; its ids link to the site's pages.

The test installs nothing; without /usr/bin/chromium it is skipped (CI installs the package),
and the tests that drive the page (tests/browser.py) skip without playwright or axe-core.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests import browser, png
from tests.conftest import cx, example_copy

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CHROMIUM = browser.CHROMIUM
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="/usr/bin/chromium is not installed (Debian package 'chromium'; .ci/run installs it)",
)
CHARTS = ("value-effort", "outcomes", "win-rate", "journey")

# Appended to a copy of the page only (the report itself has no script): measures each chart
# after layout and writes the figures into the DOM, which --dump-dom then prints.
PROBE = """<script>
(function () {
  var main = document.querySelector('main').getBoundingClientRect();
  var out = [];
  document.querySelectorAll('svg[data-chart]').forEach(function (svg) {
    var r = svg.getBoundingClientRect(), cs = getComputedStyle(svg);
    out.push([svg.getAttribute('data-chart'), Math.round(r.width), Math.round(r.height),
      cs.display, cs.visibility, cs.opacity, Math.round(r.left - main.left),
      Math.round(main.right - r.right),
      svg.querySelectorAll('rect, circle, polyline, text').length].join(' '));
  });
  var pre = document.createElement('pre');
  pre.id = 'probe';
  pre.textContent = out.join('\\n');
  document.body.appendChild(pre);
})();
</script>"""


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            str(CHROMIUM),
            "--headless",
            *browser.ARGS,
            f"--user-data-dir={profile}",
            # Every host lookup fails: the page must render from the file alone.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--hide-scrollbars",
            *args,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("browser")
    copy = work / "northwind"
    example_copy(copy)
    out = work / "report.html"
    result = cx("-C", copy, "--today", "2026-11-01", "report", "html", "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_every_chart_is_laid_out_and_visible(report: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe.html"
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"))
    dom = chromium(
        tmp_path / "profile", "--window-size=1280,900", "--dump-dom", probe.as_uri()
    ).stdout.decode()
    found = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert found, "the probe did not run"
    charts = {}
    for line in found.group(1).strip().splitlines():
        name, width, height, display, visibility, opacity, left, right, marks = line.split()
        charts[name] = (
            int(width),
            int(height),
            display,
            visibility,
            opacity,
            int(left),
            int(right),
            int(marks),
        )
    assert sorted(charts) == sorted(CHARTS)
    for name, (width, height, display, visibility, opacity, left, right, marks) in charts.items():
        assert width >= 600 and height >= 200, (name, width, height)  # readable on a laptop
        assert (display, visibility, opacity) == ("block", "visible", "1"), name
        assert left >= 0 and right >= 0, (name, "overflows the page", left, right)
        assert marks >= 20, (name, "draws almost nothing", marks)


def test_screenshot_shows_the_charts_painted(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "roadmap.png"
    # Opened at the roadmap anchor: the value/effort matrix is in the first screen.
    chromium(
        tmp_path / "profile",
        "--window-size=1280,900",
        f"--screenshot={shot}",
        report.as_uri() + "#roadmap",
    )
    image = png.read(shot)
    assert (image.width, image.height) == (1280, 900)
    colours = image.colours(step=3)
    assert len(colours) > 50, "the screenshot is (nearly) blank"
    # Large fills keep their exact colour: the "quick wins" quadrant and an in-progress point.
    assert (0xE6, 0xF4, 0xEE) in colours
    assert (0x00, 0x9E, 0x73) in colours


def test_prints_on_several_pages(report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    chromium(
        tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri()
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = max(int(n) for n in re.findall(rb"/Count (\d+)", data))
    # Each of the five reports starts on a new page; the tables add more.
    assert pages >= 5, pages


# -- driven through playwright (tests/browser.py) -------------------------------------------------
@pytest.fixture(scope="module")
def page_browser() -> Iterator[Browser]:
    yield from browser.started()


# Where each chart, each headline figure and each navigation link sits, after layout.
PLACES = """() => {
  const box = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.right]; };
  return {
    charts: [...document.querySelectorAll('svg[data-chart]')].map((svg) => [
      svg.dataset.chart, svg.getBoundingClientRect().width, svg.viewBox.baseVal.width]),
    figures: [...document.querySelectorAll('dl.figures dd')].map(
      (dd) => [dd.textContent.trim().slice(0, 30), ...box(dd)]),
    nav: [...document.querySelectorAll('nav a')].map((a) => [a.textContent, ...box(a)]),
  };
}"""


@pytest.mark.parametrize("width", [400, 1366])
def test_fits_the_screen_and_no_text_is_below_12px(
    page_browser: Browser, report: Path, tmp_path: Path, width: int
) -> None:
    with browser.open_page(page_browser, width=width) as w:
        w.goto(report.as_uri())
        scroll_width, inner = browser.overflow(w.page)
        assert scroll_width <= inner, f"the page scrolls sideways at {width} px"
        assert browser.small_text(w.page) == []
        assert browser.broken_words(w.page) == []
        places = w.page.evaluate(PLACES)
        # Each headline figure's value and each report's link is on the screen, whole.
        for text, left, right in places["figures"] + places["nav"]:
            assert left >= 0 and right <= inner + 0.5, (text, left, right, inner)
        assert len(places["nav"]) >= 5
        # A chart is never drawn below its own size (it scrolls in its frame instead), so its
        # 12-unit labels stay 12 px; on a laptop each one is drawn whole and larger.
        assert sorted(name for name, _, _ in places["charts"]) == sorted(CHARTS)
        for name, drawn, own in places["charts"]:
            assert drawn >= own - 0.5, (name, drawn, own)
        browser.screenshot(w.page, tmp_path, f"report-{width}")
        w.assert_clean()


def test_a_wide_chart_scrolls_in_its_frame_by_keyboard(page_browser: Browser, report: Path) -> None:
    with browser.open_page(page_browser, width=400) as w:
        w.goto(report.as_uri())
        frame = w.page.locator(".chart-wrap").filter(has=w.page.locator('[data-chart="journey"]'))
        assert frame.evaluate("(e) => e.scrollWidth > e.clientWidth"), "nothing to scroll"
        frame.focus()
        w.page.keyboard.press("ArrowRight")
        w.page.keyboard.press("End")
        # Keyboard scrolling may be animated: wait until it has moved (a failure after 10 s).
        w.page.wait_for_function(
            "(e) => e.scrollLeft > 0", arg=frame.element_handle(), timeout=10_000
        )
        w.assert_clean()


@pytest.mark.parametrize("width", [400, 1366])
def test_no_serious_accessibility_violation(
    page_browser: Browser, report: Path, width: int
) -> None:
    with browser.open_page(page_browser, width=width) as w:
        w.goto(report.as_uri())
        assert browser.axe_violations(w.page) == []
        w.assert_clean()


def test_site_url_links_every_id_to_its_page(page_browser: Browser, tmp_path: Path) -> None:
    copy = example_copy(tmp_path / "northwind")
    out = tmp_path / "report.html"
    result = cx("-C", copy, "report", "html", "-o", out, "--site-url", "site")
    assert result.exit_code == 0, result.output
    (tmp_path / "site" / "docs").mkdir(parents=True)
    (tmp_path / "site" / "docs" / "OPP-0001.html").write_text(
        "<!DOCTYPE html><title>OPP-0001 page</title>", encoding="utf-8"
    )
    with browser.open_page(page_browser) as w:
        w.goto(out.as_uri())
        # Every id of a document in visible text is inside a link to its page.
        unlinked = w.page.evaluate(
            r"""() => {
              const out = [];
              const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
              for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                if (n.parentElement.closest('a, title')) continue;
                for (const m of n.textContent.matchAll(/\b(INS|OPP|EXP)-\d{4}\b/g)) out.push(m[0]);
              }
              return out;
            }"""
        )
        assert unlinked == []
        links = w.page.eval_on_selector_all(
            "a[href*='docs/']", "(all) => all.map((a) => a.getAttribute('href'))"
        )
        assert "site/docs/EXP-0014.html" in links
        # The chart's label is a link too: a click opens the document's page.
        w.page.locator("svg[data-chart='value-effort'] a", has_text="OPP-0001").click()
        w.page.wait_for_url("**/site/docs/OPP-0001.html")
        assert w.page.title() == "OPP-0001 page"
        w.assert_clean()


def test_the_learnings_of_a_lost_experiment_are_visible(
    page_browser: Browser, report: Path
) -> None:
    """EXP-0003 lost; its learnings, result, drawn interval and decision are on the page, seen."""
    with browser.open_page(page_browser) as w:
        w.goto(report.as_uri())
        article = w.page.locator("#result-EXP-0003")
        article.scroll_into_view_if_needed()
        learned = article.get_by_text("A free shipping threshold banner in the cart reminds")
        assert learned.is_visible()
        assert article.get_by_text("lost, -1.1% (interval -2.1% to -0.1%)").is_visible()
        interval = article.locator("svg.interval")
        assert interval.is_visible() and interval.bounding_box()["width"] > 100  # type: ignore[index]
        assert "iterate" in article.locator("dl.figures").inner_text()
        w.assert_clean()
