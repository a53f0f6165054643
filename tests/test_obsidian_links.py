"""Body links in every form Obsidian and cxlib write, read by every reader of cxlib (the parser,
the index, the site), written by cxlib in the form both resolve, and rewritten by renumber and
``links --fix``.

Obsidian's documented rules ("Internal links" in its help) are restated in ``obsidian_target``:
a link names a file of the vault by its name, with or without ``.md``, compared without regard
to case; a ``#heading`` and an ``|alias`` after the name do not change which file it names; a
bare alias is not resolved (a file named ``EXP-0003-fit-finder.md`` is no target of
``[[EXP-0003]]``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import cx, git, snapshot, write
from tests.growth import LARGE, SMALL, best_times, grows_linearly

FORMS = {
    "bare id": "[[EXP-0003]]",
    "file name": "[[EXP-0003-fit-finder]]",
    "file name with .md": "[[EXP-0003-fit-finder.md]]",
    "file name and alias": "[[EXP-0003-fit-finder|the fit finder test]]",
    "id and heading": "[[EXP-0003#Learnings]]",
    "file name, heading and alias": "[[EXP-0003-fit-finder#Learnings|x]]",
    "lower-case id": "[[exp-0003|the test]]",
}
# What Obsidian resolves each form to in a vault holding EXP-0003-fit-finder.md.
OBSIDIAN_BEFORE = {
    "bare id": None,
    "file name": "EXP-0003-fit-finder.md",
    "file name with .md": "EXP-0003-fit-finder.md",
    "file name and alias": "EXP-0003-fit-finder.md",
    "id and heading": None,
    "file name, heading and alias": "EXP-0003-fit-finder.md",
    "lower-case id": None,
}


def obsidian_target(link: str, files: list[str]) -> str | None:
    """The file Obsidian opens for ``link``: by name, ``.md`` optional, case-insensitive; the
    ``#heading`` and ``|alias`` are not part of the name."""
    inner = link[2:-2].split("|", 1)[0].split("#", 1)[0]
    name = inner.lower().removesuffix(".md")
    found = [f for f in files if f.rsplit("/", 1)[-1].lower().removesuffix(".md") == name]
    return found[0].rsplit("/", 1)[-1] if found else None


EXPERIMENT = """---
id: EXP-0003
title: Fit finder
status: draft
owner: Test Owner
created: 2026-01-05
---

## Learnings

Sizes differ.
"""

INSIGHT = """---
id: INS-0001
title: Sizes confuse
status: draft
owner: Test Owner
created: 2026-01-05
---

## Evidence

As {link} showed.
"""


@pytest.fixture
def base(kb: Path) -> Path:
    write(kb, "experiments/EXP-0003-fit-finder.md", EXPERIMENT)
    return kb


def _with_link(base: Path, link: str) -> Path:
    return write(base, "insights/INS-0001-sizes-confuse.md", INSIGHT.format(link=link))


def _files(base: Path) -> list[str]:
    return sorted(
        p.relative_to(base).as_posix() for p in base.rglob("*.md") if ".git" not in p.parts
    )


@pytest.mark.parametrize("form", list(FORMS))
def test_obsidian_resolves_each_form_as_its_help_says(base: Path, form: str) -> None:
    """The reference rule itself, so the expectations below stand on it."""
    assert obsidian_target(FORMS[form], _files(base)) == OBSIDIAN_BEFORE[form]


@pytest.mark.parametrize("form", list(FORMS))
def test_cxlib_reads_every_form_as_a_link(base: Path, form: str) -> None:
    _with_link(base, FORMS[form])
    shown = cx("-C", base, "show", "EXP-0003", "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert "INS-0001" in str(shown.json()["backlinks"]), shown.output
    assert cx("-C", base, "validate").exit_code == 0


@pytest.mark.parametrize("form", list(FORMS))
def test_the_index_and_the_site_resolve_every_form(base: Path, form: str) -> None:
    from cxlib.index.records import build_record, without_links
    from cxlib.kb.parse import parse_bytes
    from cxlib.model.kinds import Kind
    from cxlib.site.markdown import Links, render_sections

    raw = _with_link(base, FORMS[form]).read_bytes()
    record = build_record("insights/INS-0001-sizes-confuse.md", Kind.INSIGHT, raw, parse_bytes(raw))
    assert "EXP-0003" in str(record)
    assert "fit" not in without_links(f"see {FORMS[form]} now")
    html = "".join(
        s.html
        for s in render_sections(
            f"## A\n\nAs {FORMS[form]} showed.\n",
            Links(href=lambda _t: None, wiki=lambda i, label: f"<a data-id='{i}'>{label}</a>"),
        )
    )
    assert "<a data-id='EXP-0003'>" in html and "[[" not in html


@pytest.mark.parametrize("form", list(FORMS))
def test_links_fix_writes_the_form_both_resolve(base: Path, form: str) -> None:
    path = _with_link(base, FORMS[form])
    result = cx("-C", base, "links", "--fix")
    assert result.exit_code == 0, result.output
    text = path.read_text()
    link = re.search(r"\[\[[^\]]*\]\]", text)
    assert link is not None
    assert obsidian_target(link.group(0), _files(base)) == "EXP-0003-fit-finder.md"
    if OBSIDIAN_BEFORE[form] is None:
        alias = link.group(0)[2:-2].split("|", 1)[1]
        written = FORMS[form][2:-2].partition("|")[2]
        # It reads as before: its own alias, else the id it showed.
        assert alias == written if written else alias.startswith("EXP-0003"), text
    else:
        assert link.group(0) == FORMS[form]  # already resolved: left as it is
    assert cx("-C", base, "links").exit_code == 0  # nothing left to fix


def test_links_lists_then_fixes_a_bare_id_and_dry_run_writes_nothing(base: Path) -> None:
    path = _with_link(base, "[[EXP-0003]] and [[EXP-0999]]\n\n```\n[[EXP-0003]]\n```\n")
    listed = cx("-C", base, "links")
    assert listed.exit_code == 1
    assert (
        "insights/INS-0001-sizes-confuse.md:11: [[EXP-0003]] -> [[EXP-0003-fit-finder|EXP-0003]]"
        in listed.stdout
    )
    assert "no document: insights/INS-0001-sizes-confuse.md:11: [[EXP-0999]]" in listed.stderr
    before = snapshot(base)
    dry = cx("-C", base, "links", "--fix", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "+As [[EXP-0003-fit-finder|EXP-0003]] and" in dry.stdout
    assert snapshot(base) == before
    assert cx("-C", base, "links", "--fix").exit_code == 0
    # A code block is no link for cxlib, so it is left as it is.
    assert "As [[EXP-0003-fit-finder|EXP-0003]] and [[EXP-0999]]\n\n```\n[[EXP-0003]]\n```" in (
        path.read_text()
    )


@pytest.mark.parametrize("form", list(FORMS))
def test_renumber_rewrites_each_form(base: Path, form: str) -> None:
    path = _with_link(base, FORMS[form])
    git(base, "add", "-A")
    git(base, "commit", "-qm", "base")
    result = cx("-C", base, "renumber", "--no-touch", "EXP-0003", "EXP-0042")
    assert result.exit_code == 0, result.output
    expected = re.sub("(?i)exp-0003", "EXP-0042", FORMS[form], count=1)
    assert f"As {expected} showed." in path.read_text()
    files = _files(base)
    assert obsidian_target(expected, files) == (
        None if OBSIDIAN_BEFORE[form] is None else "EXP-0042-fit-finder.md"
    )
    shown = cx("-C", base, "show", "EXP-0042", "--format", "json").json()
    assert "INS-0001" in str(shown["backlinks"])


def test_renumber_rewrites_the_id_shown_as_the_alias(base: Path) -> None:
    path = _with_link(base, "[[EXP-0003-fit-finder|EXP-0003]]")
    git(base, "add", "-A")
    git(base, "commit", "-qm", "base")
    assert cx("-C", base, "renumber", "--no-touch", "EXP-0003", "EXP-0042").exit_code == 0
    assert "As [[EXP-0042-fit-finder|EXP-0042]] showed." in path.read_text()


def test_the_packaged_templates_write_the_form_obsidian_resolves() -> None:
    root = Path(__file__).resolve().parents[1] / "templates"
    links = re.findall(r"\[\[[^\]]*\]\]", "".join(p.read_text() for p in root.glob("*.md")))
    assert links and all("|" in link and "-its-slug" in link for link in links)


@pytest.mark.parametrize("unit", ["[[A-1-", "[[A-1#", "[[A-1-x#y|"])
def test_the_link_scan_stays_linear(unit: str) -> None:
    from cxlib.kb.parse import parse_bytes

    head = b"---\nid: INS-0001\ntitle: T\nstatus: draft\ncreated: 2025-01-10\n---\n"
    small, large = (head + unit.encode() * (n // len(unit)) for n in (SMALL, LARGE))
    one, eight = best_times(parse_bytes, small, large)
    assert eight < 1.0 and grows_linearly(one, eight), (one, eight)
