"""The kind indexes (a table that filters and sorts, plain without script) and the journey."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.site.sitekit import build, hostile_copy, read


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = hostile_copy(tmp_path_factory.mktemp("indexes") / "northwind")
    out = base.parent / "site"
    build(base, out)
    return out


@pytest.mark.parametrize("kind, count", [("insight", 17), ("opportunity", 9), ("experiment", 22)])
def test_a_kind_index_lists_every_document_with_its_values(
    site: Path, kind: str, count: int
) -> None:
    page = (site / "kinds" / f"{kind}.html").read_text()
    markup = read(site / "kinds" / f"{kind}.html")
    tables = [a for t, a in markup.elements if t == "table"]
    assert tables == [{"id": "doc-table"}]
    rows = [a for t, a in markup.elements if t == "tr" and "data-status" in a]
    assert len(rows) == count
    for row in rows:
        assert set(row) == {
            "data-status",
            "data-stage",
            "data-owner",
            "data-team",
            "data-tags",
            "data-outcome",
        }
        assert not any(t == "tr" and "hidden" in a for t, a in markup.elements)
    # the first cell of each row links to the document
    firsts = re.findall(r"<tr data-[^>]*><td[^>]*><a href=\"\.\./docs/([A-Z]+-\d+)\.html\"", page)
    assert len(firsts) == count
    # the filters: one select per field, labelled; hidden until the script shows them
    form = next(a for t, a in markup.elements if t == "form" and a.get("id") == "filters")
    assert "hidden" in form
    names = [a["name"] for t, a in markup.elements if t == "select"]
    expected = ["status", "stage", "owner", "team", "tag"]
    assert names == expected + (["outcome"] if kind == "experiment" else [])
    for name in names:
        assert f'<label for="f-{name}">' in page
    assert '<th scope="col"><button type="button" data-sort="0">' in page


def test_the_experiment_index_carries_outcomes_for_the_filter(site: Path) -> None:
    page = (site / "kinds" / "experiment.html").read_text()
    assert re.search(r'<tr data-status="concluded"[^>]*data-outcome="lost"', page)
    assert '<option value="won">won</option>' in page


def test_a_hostile_title_is_text_in_the_index(site: Path) -> None:
    markup = read(site / "kinds" / "insight.html")
    assert [a for t, a in markup.elements if t == "script"] == [
        {"src": "../assets/site.js", "defer": None}
    ]
    assert not any(n.startswith("on") for _, a in markup.elements for n in a)
    assert "<script>alert('title')</script>" in "".join(markup.text)


def test_the_journey_is_stage_by_kind_with_links(site: Path) -> None:
    page = (site / "journey.html").read_text()
    assert '<tr id="stage-purchase"><th scope="row">' in page
    row = page.split('<tr id="stage-purchase">', 1)[1].split("</tr>", 1)[0]
    cells = row.split("<td>")[1:]
    assert len(cells) == 3  # insights, opportunities, experiments
    assert 'href="docs/INS-0002.html"' in cells[0]
    assert 'href="docs/OPP-0001.html"' in cells[1]
    assert 'href="docs/EXP-0003.html"' in cells[2]
