"""cxlib site: a page per document, its links and backlinks, the body rendered safely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy
from tests.site.sitekit import build, hostile_copy, pages, read

from cxlib.site.layout import CSP


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = hostile_copy(tmp_path_factory.mktemp("pages") / "northwind")
    out = base.parent / "site"
    build(base, out)
    return out


def test_every_document_has_a_page(site: Path) -> None:
    base = Path(__file__).resolve().parents[2] / "examples" / "northwind"
    ids = {p.name.split("-")[0] + "-" + p.name.split("-")[1] for p in base.rglob("*.md")}
    assert len(ids) == 47
    for doc_id in ids:
        assert (site / "docs" / f"{doc_id}.html").is_file(), doc_id


def test_every_page_has_the_policy_a_skip_link_and_one_h1(site: Path) -> None:
    for page in pages(site):
        markup = read(page)
        metas = [a for t, a in markup.elements if t == "meta" and a.get("http-equiv")]
        assert metas == [{"http-equiv": "Content-Security-Policy", "content": CSP}], page
        assert [t for t, _ in markup.elements].count("h1") == 1, page
        assert ("html", {"lang": "en"}) in markup.elements
        assert any(t == "a" and a.get("href") == "#main" for t, a in markup.elements)
        assert any(t == "main" and a.get("id") == "main" for t, a in markup.elements)


def test_a_document_page_shows_fields_links_backlinks_and_the_result(site: Path) -> None:
    page = (site / "docs" / "EXP-0003.html").read_text()
    assert "<h1" in page and "Free shipping threshold banner in the cart</h1>" in page
    for field in ("Jonas Berg", "checkout", "Purchase", "cart", "2025-03-12", "shipping"):
        assert field in page
    # typed links both ways, in words
    assert re.search(r"<h3>Tests</h3><ul[^>]*><li><a href=\"../docs/OPP-0001.html\"", page)
    assert re.search(r"<h3>Comes from</h3><ul[^>]*><li><a href=\"../docs/INS-0002.html\"", page)
    assert re.search(r"<h3>Supports</h3><ul[^>]*><li><a href=\"../docs/INS-0007.html\"", page)
    # the result: the interval against zero, the decision, the learnings before the rest
    assert '<svg class="interval"' in page and "below zero" in page
    assert "Decision</dt> <dd><strong>iterate</strong>" in page
    assert page.index('id="learnings"') < page.index('id="hypothesis"')
    # body [[ID]] links and images, copied into the site
    assert '<a href="../docs/INS-0007.html" title=' in page
    assert '<img src="../files/assets/EXP-0003-threshold-banner.png"' in page
    assert (site / "files" / "assets" / "EXP-0003-threshold-banner.png").is_file()


def test_backlinks_are_grouped_by_relation(site: Path) -> None:
    insight = (site / "docs" / "INS-0007.html").read_text()
    supported = r"<h3>Supported by</h3><ul[^>]*><li><a href=\"../docs/EXP-0003.html\""
    assert re.search(supported, insight)
    opportunity = (site / "docs" / "OPP-0001.html").read_text()
    assert re.search(r"<h3>Tested by</h3>.*EXP-0003", opportunity)
    experiment = (site / "docs" / "EXP-0003.html").read_text()
    assert "<h3>Mentioned in</h3>" in experiment
    # OPP-0001's body mentions EXP-0003, which names it as its opportunity: said once.
    mentioned = experiment.split("<h3>Mentioned in</h3>", 1)[1].split("</ul>", 1)[0]
    assert "OPP-0001" not in mentioned and "EXP-0019" not in mentioned
    chain = insight[insight.index('<ul class="chain">') :]
    assert chain.index("EXP-0003") < chain.index("INS-0007")


def test_hostile_text_renders_as_text_only(site: Path) -> None:
    page = site / "docs" / "INS-0090.html"
    text = page.read_text()
    markup = read(page)
    scripts = [a for t, a in markup.elements if t == "script"]
    assert scripts == [{"src": "../assets/site.js", "defer": None}]
    assert text.count("<script") == 1
    for tag, attrs in markup.elements:
        assert not [n for n in attrs if n.startswith("on")], (tag, attrs)
        assert tag not in ("iframe", "object", "embed")
    for _tag, url in markup.urls():
        assert not url.strip().lower().startswith(("javascript:", "data:")), url
    shown = "".join(markup.text)
    assert "<script>alert('title')</script>" in shown  # the title, as text
    assert "<img src=x onerror=alert(4)>" in shown  # raw HTML of the body, as text
    assert "a template's guidance" not in text
    assert '<a href="https://example.com/page" rel="noopener noreferrer">safe</a>' in text
    # no image from another host: a link to it instead
    assert not any(t == "img" and "tracker" in (a.get("src") or "") for t, a in markup.elements)
    assert '<a href="../docs/EXP-0003.html"' in text
    assert '<img src="../files/assets/EXP-0003-threshold-banner.png"' not in text  # a link
    assert 'href="../files/assets/EXP-0003-threshold-banner.png"' in text
    assert "missing/file.png" not in text


def test_the_cli_builds_into_the_default_folder_and_says_where(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    result = cx("-C", base, "site")
    assert result.exit_code == 0, result.output
    assert (base / "_site" / "index.html").is_file()
    assert "47 document pages" in result.stderr and "_site" in result.stderr
    again = cx("-C", base, "site")
    assert "0 files written" in again.stderr, again.output


@pytest.mark.parametrize("where", ["file", "kind-folder", "foreign", "base"])
def test_a_bad_output_folder_is_refused(tmp_path: Path, where: str) -> None:
    base = example_copy(tmp_path / "northwind")
    out = {
        "file": tmp_path / "a-file",
        "kind-folder": base / "experiments" / "site",
        "foreign": tmp_path / "holiday-photos",
        "base": tmp_path,
    }[where]
    if where == "file":
        out.write_text("keep me")
    if where == "foreign":
        out.mkdir()
        (out / "photo.jpg").write_bytes(b"keep me")
    result = cx("-C", base, "site", "-o", out)
    assert result.exit_code == 2, result.output
    assert "error:" in result.stderr and "Traceback" not in result.output
    assert str(out) in result.stderr
    assert not (base / "experiments" / "site").exists()
    if where == "file":
        assert out.read_text() == "keep me"
    if where == "foreign":
        assert sorted(p.name for p in out.iterdir()) == ["photo.jpg"]


def test_an_unwritable_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    from tests.processes import permissions_hold, restricted

    if not permissions_hold(tmp_path):
        pytest.skip("this machine lets the process write whatever the permissions say")
    base = example_copy(tmp_path / "northwind")
    closed = tmp_path / "closed"
    closed.mkdir()
    closed.chmod(0o500)
    try:
        code, _out, err = restricted(base, "site", "--no-search", "-o", str(closed / "site"))
    finally:
        closed.chmod(0o700)
    assert code == 2, err
    assert "error: cannot write" in err and str(closed / "site") in err
    assert "Traceback" not in err
