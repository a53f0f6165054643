"""The HTML report in a real browser: Debian's headless Chromium loads the file with every
network lookup failing, and every chart must be there, laid out, visible and painted.

The test installs nothing; without /usr/bin/chromium it is skipped (CI installs the package).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from tests import png
from tests.conftest import cx, example_copy

CHROMIUM = Path("/usr/bin/chromium")
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
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
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
