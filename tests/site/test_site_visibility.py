"""A restricted document (its visibility, or a folder of [site] in cxlib.toml) appears nowhere
in the site nor in the HTML report, and a pull-request review names it by its id alone; the
home says how many it leaves out."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, example_copy
from tests.site.sitekit import build

SECRET_TITLE = "Board wants to close the outlet stores"
SECRET_WORDS = "confidential-phrase-zebra"

RESTRICTED = f"""\
---
id: INS-0091
title: {SECRET_TITLE}
status: draft
owner: Maya Lindqvist
created: 2026-01-05
stage: purchase
visibility: restricted
---

## Summary

{SECRET_WORDS} [[EXP-0003]]
"""
IN_FOLDER = f"""\
---
id: INS-0092
title: Pricing research held back
status: draft
created: 2026-01-06
---

## Summary

{SECRET_WORDS} second
"""


def _restricted_copy(dest: Path) -> Path:
    base = example_copy(dest)
    (base / "insights" / "INS-0091-board.md").write_text(RESTRICTED)
    (base / "insights" / "private").mkdir()
    (base / "insights" / "private" / "INS-0092-pricing.md").write_text(IN_FOLDER)
    config = base / "cxlib.toml"
    config.write_text(config.read_text() + '\n[site]\nrestricted = ["insights/private"]\n')
    # a public document that links to the restricted one, in its front-matter and its body
    exp = next(base.rglob("EXP-0003-*.md"))
    text = exp.read_text().replace("insights: [INS-0002]", "insights: [INS-0002, INS-0091]")
    exp.write_text(text.replace("## Next steps", "See [[INS-0091]].\n\n## Next steps"))
    return base


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = _restricted_copy(tmp_path_factory.mktemp("visibility") / "northwind")
    out = base.parent / "site"
    build(base, out)
    return base, out


def test_a_restricted_document_is_on_no_page_of_the_site(built: tuple[Path, Path]) -> None:
    _, site = built
    assert not (site / "docs" / "INS-0091.html").exists()
    assert not (site / "docs" / "INS-0092.html").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".js", ".css"):
            text = path.read_text(errors="replace")
            for secret in (SECRET_TITLE, SECRET_WORDS, "INS-0091", "INS-0092", "held back"):
                assert secret not in text, (path, secret)
    if (site / "pagefind" / "fragment").is_dir():
        import gzip

        for fragment in (site / "pagefind" / "fragment").iterdir():
            data = gzip.decompress(fragment.read_bytes()).decode()
            assert SECRET_WORDS not in data and "INS-0091" not in data


def test_the_home_says_how_many_it_leaves_out(built: tuple[Path, Path]) -> None:
    _, site = built
    assert "2 documents marked restricted are not published." in (site / "index.html").read_text()


def test_a_link_to_a_restricted_document_is_words_only(built: tuple[Path, Path]) -> None:
    _, site = built
    page = (site / "docs" / "EXP-0003.html").read_text()
    assert "(a restricted document)" in page
    assert 'href="../docs/INS-0002.html"' in page


def test_the_html_report_leaves_them_out(tmp_path: Path) -> None:
    base = _restricted_copy(tmp_path / "northwind")
    result = cx("-C", base, "report", "html", "-o", tmp_path / "report.html")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "report.html").read_text()
    for secret in (SECRET_TITLE, "INS-0091", "INS-0092", "held back"):
        assert secret not in text, secret
    assert "INS-0002" in text  # the public documents are all there


def test_a_bad_restricted_folder_in_the_config_is_named(tmp_path: Path) -> None:
    base = example_copy(tmp_path / "northwind")
    config = base / "cxlib.toml"
    config.write_text(config.read_text() + '\n[site]\nrestricted = ["../outside"]\n')
    result = cx("-C", base, "site")
    assert result.exit_code == 2, result.output
    assert "site.restricted" in result.stderr


def test_the_review_names_a_restricted_document_by_its_id_alone(tmp_path: Path) -> None:
    from tests.conftest import write
    from tests.gitrepo import commit, insight, new_base, run_git

    root = new_base(tmp_path / "kb")
    commit(root, "base")
    run_git(root, "checkout", "-q", "-b", "secret")
    text = insight("INS-0001", SECRET_TITLE).replace("status:", "visibility: restricted\nstatus:")
    write(root, "insights/INS-0001-x.md", text)
    write(root, "insights/INS-0002-y.md", insight("INS-0002", "An open finding"))
    result = cx("-C", root, "review", "--base", "main")
    assert result.exit_code == 0, result.output
    assert "| INS-0001 |" in result.stdout and SECRET_TITLE not in result.stdout
    assert "An open finding" in result.stdout
