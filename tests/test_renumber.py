"""``cxlib renumber``: a new id, the file renamed, every reference rewritten line by line."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, git, snapshot

EXTRA = "insights/INS-0100-quoted-and-crlf.md"
EXTRA_TEXT = (
    "---\n"
    "id: INS-0100\n"
    "title: Quoted evidence, CRLF endings\n"
    "status: draft\n"
    "created: 2026-01-05\n"
    "evidence:\n"
    '  - "EXP-0003"   # the banner\n'
    "  - https://example.com/EXP-0003-notes\n"
    "---\n"
    "\n"
    "As [[exp-0003|the banner test]] showed; see EXP-0003 for details.\n"
    "<!-- [[EXP-0003]] in a comment is not a link -->\n"
).replace("\n", "\r\n")


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "northwind"
    example_copy(target)
    (target / EXTRA).write_bytes(EXTRA_TEXT.encode())
    return target


def _diff(before: bytes, after: bytes) -> tuple[list[str], list[str]]:
    """The lines removed and the lines added."""
    a, b = before.decode().splitlines(), after.decode().splitlines()
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


def test_renumber_rewrites_front_matter_and_body_links(example: Path) -> None:
    before = snapshot(example)
    result = cx("-C", example, "renumber", "--no-touch", "EXP-0003", "EXP-0100")
    assert result.exit_code == 0, result.output
    old = "experiments/EXP-0003-free-shipping-threshold-banner-in-the-cart.md"
    new = "experiments/EXP-0100-free-shipping-threshold-banner-in-the-cart.md"
    assert f"renumbered EXP-0003 -> EXP-0100: {old} -> {new}" in result.stdout
    after = snapshot(example)
    assert old not in after
    assert _diff(before[old], after[new]) == (["id: EXP-0003"], ["id: EXP-0100"])

    rewritten = {p for p in before if p in after and before[p] != after[p]}
    assert rewritten == {
        "experiments/EXP-0019-free-shipping-progress-bar-in-the-cart.md",
        "insights/INS-0007-threshold-message-alone-does-not-grow-baskets.md",
        "opportunities/OPP-0001-make-shipping-costs-predictable-before-checkout.md",
        EXTRA,
    }
    for path in rewritten:  # only lines that held the id changed, each only in the id
        removed, added = _diff(before[path], after[path])
        assert removed and len(removed) == len(added)
        assert [re.sub("(?i)exp-0003", "EXP-0100", x) for x in removed] != removed
        for old_line, new_line in zip(removed, added, strict=True):
            assert (
                re.sub(r"(?i)\[\[exp-0003", "[[EXP-0100", old_line)
                .replace("EXP-0003", "EXP-0100")
                .replace("see EXP-0100", "see EXP-0003")
                == new_line
            )
    extra = after[EXTRA].decode()
    assert '  - "EXP-0100"   # the banner\r\n' in extra  # quoting and comment kept, CRLF kept
    assert "https://example.com/EXP-0003-notes" in extra  # not an id: untouched
    assert "As [[EXP-0100|the banner test]] showed; see EXP-0003 for details.\r\n" in extra
    assert "<!-- [[EXP-0003]] in a comment is not a link -->" in extra
    assert (
        "follows: [EXP-0100]\n"
        in after["experiments/EXP-0019-free-shipping-progress-bar-in-the-cart.md"].decode()
    )
    assert f"{EXTRA}:11" in result.stderr and f"{EXTRA}:12" in result.stderr  # plain mentions
    assert all(b"\r\n" not in v or k == EXTRA for k, v in after.items() if k.endswith(".md"))
    check = cx("-C", example, "validate")
    assert check.exit_code == 0, check.output
    shown = cx("-C", example, "show", "EXP-0100", "--format", "json").json()
    assert {(b["id"], b["field"]) for b in shown["backlinks"]} >= {
        ("EXP-0019", "follows"),
        ("INS-0007", "evidence"),
        ("INS-0100", "evidence"),
    }


def test_renumber_takes_the_next_free_id_and_dry_run_writes_nothing(example: Path) -> None:
    before = snapshot(example)
    dry = cx("-C", example, "renumber", "--no-touch", "EXP-0003", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would renumber EXP-0003 -> EXP-0023" in dry.stdout
    assert "-follows: [EXP-0003]\n+follows: [EXP-0023]" in dry.stdout
    assert snapshot(example) == before
    data = cx("-C", example, "renumber", "--no-touch", "EXP-0003", "--format", "json").json()
    assert data["new"] == "EXP-0023" and data["references"] == 9
    assert (example / data["new_path"]).is_file()


@pytest.mark.parametrize(
    "args, message",
    [
        (("EXP-0003", "EXP-0019"), "EXP-0019 is already used by experiments/EXP-0019"),
        (("EXP-0003", "INS-0200"), "experiments use the prefix EXP"),
        (("EXP-0404",), "unknown id 'EXP-0404'"),
        (("EXP-0003", "EXP-3"), "EXP-0003 already has that id"),
        (("nowhere/file.md",), "neither an id nor a document"),
    ],
)
def test_renumber_refusals(example: Path, args: tuple[str, ...], message: str) -> None:
    before = snapshot(example)
    result = cx("-C", example, "renumber", "--no-touch", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert snapshot(example) == before


def test_a_mention_in_an_unreadable_file_stops_everything(example: Path) -> None:
    bad = example / "insights" / "INS-0101-conflicted.md"
    bad.write_text(
        "---\nid: INS-0101\n<<<<<<< HEAD\nevidence: [EXP-0003]\n=======\n>>>>>>> x\n---\n"
    )
    before = snapshot(example)
    result = cx("-C", example, "renumber", "--no-touch", "EXP-0003")
    assert result.exit_code == 2
    assert "INS-0101-conflicted.md mentions EXP-0003 but cannot be read cleanly" in result.stderr
    assert snapshot(example) == before


def _commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def _experiment(doc_id: str, title: str, follows: str) -> str:
    return (
        f"---\nid: {doc_id}\ntitle: {title}\nstatus: draft\ncreated: 2026-11-01\n"
        f"follows: [{follows}]\n---\n\n## Hypothesis\n\nAgain.\n"
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    example_copy(root)
    (root / ".gitignore").write_text(".cxlib/\n")
    git(root, "init", "-q", "-b", "main")
    _commit_all(root, "the example library")
    return root


def test_two_branches_add_the_same_id_and_renumber_fixes_it(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "a")
    (repo / "experiments" / "EXP-0023-a.md").write_text(_experiment("EXP-0023", "A", "EXP-0019"))
    _commit_all(repo, "a adds EXP-0023")
    git(repo, "checkout", "-q", "main")
    git(repo, "checkout", "-q", "-b", "b")
    (repo / "experiments" / "EXP-0023-b.md").write_text(_experiment("EXP-0023", "B", "EXP-0003"))
    ins = repo / "insights" / "INS-0007-threshold-message-alone-does-not-grow-baskets.md"
    ins.write_text(
        ins.read_text().replace("  - EXP-0019\n", "  - EXP-0019\n  - EXP-0023\n")
        + "\nThe B test [[EXP-0023]] adds to this.\n"
    )
    _commit_all(repo, "b adds EXP-0023 and cites it")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "a")
    git(repo, "checkout", "-q", "b")

    # On b: the next free id counts the EXP-0023 that main already has.
    result = cx("-C", repo, "renumber", "--no-touch", "EXP-0023")
    assert result.exit_code == 0, result.output
    assert "EXP-0023 -> EXP-0024" in result.stdout
    assert "  - EXP-0024\n" in ins.read_text() and "[[EXP-0024]]" in ins.read_text()
    _commit_all(repo, "renumber EXP-0023 to EXP-0024")
    git(repo, "merge", "-q", "main", "-m", "merge main")
    check = cx("-C", repo, "validate")
    assert check.exit_code == 0, check.output
    assert (repo / "experiments" / "EXP-0023-a.md").is_file()
    assert (repo / "experiments" / "EXP-0024-b.md").is_file()


def test_after_a_merge_the_duplicate_is_chosen_by_path(repo: Path) -> None:
    (repo / "experiments" / "EXP-0023-a.md").write_text(_experiment("EXP-0023", "A", "EXP-0019"))
    (repo / "experiments" / "EXP-0023-c.md").write_text(_experiment("EXP-0023", "C", "EXP-0003"))
    ambiguous = cx("-C", repo, "renumber", "--no-touch", "EXP-0023")
    assert ambiguous.exit_code == 2
    assert "used by 2 files" in ambiguous.stderr
    assert "cxlib renumber experiments/EXP-0023-c.md" in ambiguous.stderr
    result = cx("-C", repo, "renumber", "--no-touch", repo / "experiments" / "EXP-0023-c.md")
    assert result.exit_code == 0, result.output
    assert "EXP-0023 -> EXP-0024" in result.stdout
    assert "no reference was rewritten" in result.stderr
    check = cx("-C", repo, "validate")
    assert check.exit_code == 0, check.output
