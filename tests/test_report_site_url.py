"""``cxlib report html --site-url URL``: the page links every document id to the site's page
for it; a URL that is not http(s) or a path is refused (exit 2), and no file is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy

TODAY = "2026-11-01"


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("site-url") / "northwind")


def page(base: Path, *args: str) -> str:
    result = cx("-C", base, "--today", TODAY, "report", "html", "-o", "-", *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def ids_of(base: Path) -> set[str]:
    found = set()
    for folder in ("insights", "opportunities", "experiments"):
        found |= {p.name[:8] for p in (base / folder).rglob("*.md")}
    return found


@pytest.mark.parametrize(
    ("url", "prefix"),
    [
        ("https://cx.example.com/library", "https://cx.example.com/library/docs/"),
        ("https://cx.example.com/library/", "https://cx.example.com/library/docs/"),
        ("http://intranet:8080", "http://intranet:8080/docs/"),
        ("_site", "_site/docs/"),
        ("../published/cx", "../published/cx/docs/"),
        ("/cx-library", "/cx-library/docs/"),
    ],
)
def test_every_id_links_to_its_page(northwind: Path, url: str, prefix: str) -> None:
    text = page(northwind, "--site-url", url)
    links = set(re.findall(r'<a href="([^"#][^"]*)">', text))
    linked = {h.removeprefix(prefix).removesuffix(".html") for h in links}
    assert all(h.startswith(prefix) and h.endswith(".html") for h in links), links
    # Ids of every kind, in tables, figures, notes and the value/effort chart's labels.
    assert {"OPP-0001", "EXP-0014", "EXP-0021", "INS-0002"} <= linked
    assert linked <= ids_of(northwind)
    assert f'<a href="{prefix}OPP-0001.html"><text ' in text
    # No id is left as text outside a link (the SVG <title> tooltips aside).
    bare = re.sub(r"<a [^>]*>.*?</a>|<title>.*?</title>", "", text, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", bare)
    assert re.findall(r"\b(?:INS|OPP|EXP)-\d{4}\b", body) == []


def test_without_site_url_nothing_is_linked(northwind: Path, tmp_path: Path) -> None:
    # A _site/ folder beside the base is no reason to link: only --site-url says where it is.
    (northwind / "_site" / "docs").mkdir(parents=True, exist_ok=True)
    text = page(northwind)
    assert "docs/" not in text
    assert "<a href=" not in text.replace('<a href="#', "")


def test_a_document_the_report_could_not_read_is_not_linked(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    broken = base / "experiments" / "EXP-0099-broken.md"
    broken.write_text("---\nid: EXP-0099\ntitle: [unclosed\n---\nBody.\n", encoding="utf-8")
    text = page(base, "--site-url", "_site")
    assert "EXP-0099-broken.md" in text  # named in the note of skipped documents
    assert "_site/docs/EXP-0099.html" not in text
    assert "_site/docs/EXP-0014.html" in text


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("javascript:alert(document.domain)", "javascript: scheme"),
        ("JavaScript:alert(1)", "JavaScript: scheme"),
        ("data:text/html,<script>alert(1)</script>", "quote"),
        ("data:text/html;base64,PHNjcmlwdD4", "data: scheme"),
        ("vbscript:x", "vbscript: scheme"),
        ("file:///etc", "file: scheme"),
        ("ftp://files.example.com", "ftp: scheme"),
        ("//evil.example.com", "without a scheme"),
        ("\\\\evil.example.com", "backslash"),
        ("https://", "no host"),
        ("https:///docs", "no host"),
        ("https://cx.example.com/?q=1", "query or a fragment"),
        ("https://cx.example.com/#top", "query or a fragment"),
        ('_site" onmouseover="alert(1)', "quote"),
        ("_site\nx", "control character"),
        ("my site", "space"),
        ("", "is empty"),
    ],
)
def test_a_bad_url_is_refused(northwind: Path, tmp_path: Path, url: str, says: str) -> None:
    out = tmp_path / "report.html"
    result = cx("-C", northwind, "report", "html", "-o", out, "--site-url", url)
    assert result.exit_code == 2, result.output
    assert says in result.stderr, result.stderr
    assert "--site-url" in result.stderr and "hint:" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
