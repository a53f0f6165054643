"""``cxlib open ID`` prints a document's path for scripts and editors; ``cxlib help [COMMAND]``
is the command's own help."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx


def test_open_prints_the_absolute_path(base: Path) -> None:
    result = cx("-C", base, "open", "exp-0003")
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.is_absolute() and path.is_file()
    assert path.name.startswith("EXP-0003-") and path.parent.name == "experiments"


def test_open_an_unknown_id_says_the_nearest(base: Path) -> None:
    result = cx("-C", base, "open", "EXP-00021")
    assert result.exit_code == 2 and result.stdout == ""
    assert "did you mean 'EXP-0021'?" in result.stderr


def test_help_is_the_commands_help() -> None:
    assert cx("help", "report", "roadmap").stdout == cx("report", "roadmap", "--help").stdout
    assert cx("help").stdout == cx("--help").stdout
    unknown = cx("help", "nosuch")
    assert unknown.exit_code == 2 and "No such command 'nosuch'" in unknown.output


def test_show_lists_a_body_mention_once(base: Path) -> None:
    """INS-0010's body names EXP-0014 twice, and its counter_evidence links it: one link, read
    as the relation ("contradicted by"), and one backlink on EXP-0014's side ("contradicts")."""
    shown = cx("-C", base, "show", "INS-0010", "--format", "json").json()
    links = [(link["id"], link["relation"]) for link in shown["links"]]
    assert links.count(("EXP-0014", "contradicted by")) == 1
    assert [i for i, _ in links].count("EXP-0014") == 1
    back = cx("-C", base, "show", "EXP-0014", "--format", "json").json()["backlinks"]
    assert [(b["id"], b["relation"]) for b in back].count(("INS-0010", "contradicts")) == 1
    assert [b["id"] for b in back].count("INS-0010") == 1


@pytest.mark.parametrize("doc_id", ["INS-0010", "OPP-0001", "EXP-0003", "EXP-0021"])
def test_show_prints_words_not_python(base: Path, doc_id: str) -> None:
    shown = cx("-C", base, "show", doc_id)
    assert shown.exit_code == 0, shown.output
    head = shown.stdout.split("\nlinks:", 1)[0]
    for repr_mark in ("['", "{'", "None", "datetime.date(", "': "):
        assert repr_mark not in head, (repr_mark, head)
    if doc_id == "EXP-0003":
        assert "  tags: shipping, cart, pricing\n" in head
        assert "    interval: [-2.1, -0.1]\n" in head
        assert "    - name: control, allocation: 50\n" in head
