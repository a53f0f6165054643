"""cxlib migrate: a format-1 library brought to format 2 by lines, nothing else touched; and a
library in a newer format refused by every command."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, cx, example_copy, snapshot, write
from tests.gitrepo import commit, run_git

from cxlib.kb.changes import FileChange
from cxlib.kb.journal import Journal, save

FORMAT_LINE = b"format = 2\n\n"
# A block of records as the example writes them: "  - {name: control, allocation: 50}".
RECORDS = re.compile(r"^variants:\n((?:  - \{name: [^,}]+[,}].*\n)+)", re.M)
NAMES = re.compile(r"^variants: \[(.*)\]\n", re.M)
EXP1 = "experiments/EXP-0001-layering-guide-in-the-welcome-series.md"


def as_format_one(root: Path) -> Path:
    """The example as format 1 wrote it: no format line, every experiment's variants as names."""
    config = root / "cxlib.toml"
    assert FORMAT_LINE in config.read_bytes()
    config.write_bytes(config.read_bytes().replace(FORMAT_LINE, b"", 1))

    def names(m: re.Match[str]) -> str:
        return f"variants: [{', '.join(re.findall(r'{name: ([^,}]+)', m[1]))}]\n"

    for path in sorted((root / "experiments").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(RECORDS.sub(names, text, count=1), encoding="utf-8")
    return root


def records(text: str) -> str:
    """What migrate makes of a file's ``variants: [a, b]`` line, computed apart from it."""

    def block(m: re.Match[str]) -> str:
        names = [n.strip() for n in m[1].split(",")]
        return "variants:\n" + "".join(f"  - {{name: {n}}}\n" for n in names)

    return NAMES.sub(block, text, count=1)


@pytest.fixture
def old(tmp_path: Path) -> Path:
    """A copy of the example in format 1, committed in a git repository."""
    root = as_format_one(example_copy(tmp_path / "northwind"))
    run_git(root, "init", "-q", "-b", "main")
    write(root, ".gitignore", ".cxlib/\n")
    commit(root, "format 1")
    return root


def test_migrate_changes_only_the_lines_that_must_change(old: Path) -> None:
    before = snapshot(old)
    experiments = [
        p for p in before if p.startswith("experiments/") and NAMES.search(_t(before[p]))
    ]
    assert len(experiments) >= 20  # the example's experiments, all with variants as names now
    result = cx("-C", old, "migrate")
    assert result.exit_code == 0, result.output
    n = len(experiments)
    assert result.stdout == (
        f"migrated to format 2: {n + 1} files changed (variants as records in {n} "
        "experiments; format = 2 in cxlib.toml)\n"
    )
    assert "run 'cxlib validate'" in result.stderr
    after = snapshot(old)
    for path, data in before.items():
        if path in experiments:
            assert after[path] == records(_t(data)).encode("utf-8"), path
        elif path == "cxlib.toml":
            # The format line back where the example has it: the file byte for byte.
            assert after[path] == (EXAMPLE / "cxlib.toml").read_bytes()
        else:
            assert after[path] == data, path
    assert "updated:" not in run_git(old, "diff", "-U0").stdout
    check = cx("-C", old, "validate", "--strict")
    assert check.exit_code == 0, check.output


def _t(data: bytes) -> str:
    return data.decode("utf-8")


def test_dry_run_prints_the_diff_and_writes_nothing(old: Path) -> None:
    before = snapshot(old)
    result = cx("-C", old, "migrate", "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(old) == before
    assert result.stdout.startswith("would migrate to format 2: ")
    assert f"--- a/{EXP1}\n+++ b/{EXP1}\n" in result.stdout
    assert (
        "-variants: [control, layering-guide]\n"
        "+variants:\n+  - {name: control}\n+  - {name: layering-guide}\n"
    ) in result.stdout
    assert "--- a/cxlib.toml\n+++ b/cxlib.toml\n" in result.stdout
    assert "+format = 2\n" in result.stdout


def test_a_second_run_has_nothing_to_do(old: Path) -> None:
    assert cx("-C", old, "migrate").exit_code == 0
    before = snapshot(old)
    again = cx("-C", old, "migrate")
    assert again.exit_code == 0, again.output
    assert again.stdout == "already in format 2; nothing to do\n"
    assert snapshot(old) == before


def test_json_output(old: Path) -> None:
    dry = cx("-C", old, "migrate", "--dry-run", "--format", "json")
    assert dry.exit_code == 0, dry.output
    data = dry.json()
    assert set(data) == {
        "from_format",
        "to_format",
        "changed",
        "experiments",
        "message",
        "notes",
        "diff",
        "dry_run",
    }
    assert (data["from_format"], data["to_format"], data["dry_run"]) == (1, 2, True)
    assert data["changed"] == [*data["experiments"], "cxlib.toml"]
    assert EXP1 in data["experiments"]
    assert data["diff"].startswith(f"--- a/{EXP1}")
    done = cx("-C", old, "migrate", "--format", "json").json()
    assert "diff" not in done and done["dry_run"] is False
    assert done["changed"] == data["changed"]
    assert any("cxlib validate" in note for note in done["notes"])
    assert cx("-C", old, "migrate", "-f", "json").json()["changed"] == []


MINIMAL = """\
---
id: EXP-0001
title: Banner test
status: draft
owner: Ana
created: 2025-01-06
stage: purchase
{variants}
---

## Hypothesis

Text.
"""


def _one_experiment(kb: Path, variants: str, newline: str = "\n") -> Path:
    """The knowledge base of ``cxlib init`` in format 1, with one experiment."""
    config = kb / "cxlib.toml"
    config.write_bytes(config.read_bytes().replace(FORMAT_LINE, b"", 1))
    text = MINIMAL.format(variants=variants).replace("\n", newline)
    return write(kb, "experiments/EXP-0001-banner-test.md", text.encode("utf-8"))


def test_a_block_list_of_names_and_quoted_names(kb: Path) -> None:
    path = _one_experiment(kb, "variants:\n- control\n- \"banner, big\"\n- 'yes'")
    result = cx("-C", kb, "migrate")
    assert result.exit_code == 0, result.output
    assert (
        'stage: purchase\nvariants:\n  - {name: control}\n  - {name: "banner, big"}\n'
        '  - {name: "yes"}\n---\n'
    ) in path.read_text()
    assert cx("-C", kb, "show", "EXP-0001", "--format", "json").json()["front_matter"][
        "variants"
    ] == [
        {"name": "control"},
        {"name": "banner, big"},
        {"name": "yes"},
    ]


def test_crlf_and_a_comment_on_the_key_line_are_kept(kb: Path) -> None:
    path = _one_experiment(kb, "variants: [control, banner]  # two arms", newline="\r\n")
    assert cx("-C", kb, "migrate").exit_code == 0
    raw = path.read_bytes()
    assert b"variants:  # two arms\r\n  - {name: control}\r\n  - {name: banner}\r\n" in raw
    assert b"\n" not in raw.replace(b"\r\n", b"")


def test_records_in_place_are_left(kb: Path) -> None:
    path = _one_experiment(
        kb, "variants:\n  - {name: control, allocation: 50}\n  - name: b\n    allocation: 50"
    )
    before = path.read_bytes()
    result = cx("-C", kb, "migrate")
    assert result.exit_code == 0, result.output
    assert "1 file changed (variants as records in 0 experiments" in result.stdout
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "variants, reason",
    [
        ("variants:\n  - control  # the page as it is\n  - banner", "comment that would be lost"),
        ("variants:\n  - control\n  - {name: banner}", "mixes names and other values"),
    ],
)
def test_a_list_it_cannot_rewrite_is_refused_with_nothing_written(
    kb: Path, variants: str, reason: str
) -> None:
    _one_experiment(kb, variants)
    before = snapshot(kb)
    result = cx("-C", kb, "migrate")
    assert result.exit_code == 2, result.output
    assert "experiments/EXP-0001-banner-test.md" in result.stderr
    assert reason in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(kb) == before


def test_a_read_only_document_is_refused_with_nothing_written(old: Path) -> None:
    os.chmod(old / EXP1, 0o444)
    before = snapshot(old)
    result = cx("-C", old, "migrate")
    assert result.exit_code == 2, result.output
    assert "is read-only" in result.stderr
    assert snapshot(old) == before


def test_an_unfinished_renumber_is_refused(old: Path) -> None:
    data = (old / EXP1).read_bytes()
    save(old, Journal("renumber", "EXP-0001 -> EXP-0100", (FileChange(EXP1, data, data),)))
    before = snapshot(old)
    result = cx("-C", old, "migrate")
    assert result.exit_code == 2, result.output
    assert "the renumber EXP-0001 -> EXP-0100 did not finish" in result.stderr
    assert snapshot(old) == before


def test_a_document_that_does_not_read_cleanly_is_refused(old: Path) -> None:
    path = old / EXP1
    path.write_bytes(path.read_bytes().replace(b"title:", b"title: [", 1))
    before = snapshot(old)
    result = cx("-C", old, "migrate")
    assert result.exit_code == 2, result.output
    assert EXP1 in result.stderr and "nothing was written" in result.stderr
    assert snapshot(old) == before


@pytest.mark.parametrize("args", [(), ("--dry-run",)])
def test_a_library_in_a_newer_format_is_refused(tmp_path: Path, args: tuple[str, ...]) -> None:
    root = example_copy(tmp_path / "northwind")
    config = root / "cxlib.toml"
    config.write_bytes(config.read_bytes().replace(b"format = 2", b"format = 3", 1))
    before = snapshot(root)
    result = cx("-C", root, "migrate", *args)
    assert result.exit_code == 2, result.output
    assert "this library is in format 3, which needs cxlib >= 0.3.0" in result.stderr
    assert snapshot(root) == before


def test_format_one_is_read_as_before_and_migrated_in_place(kb: Path) -> None:
    config = kb / "cxlib.toml"
    config.write_bytes(config.read_bytes().replace(b"format = 2", b"format = 1  # the old one"))
    assert cx("-C", kb, "validate").exit_code == 0
    result = cx("-C", kb, "migrate")
    assert result.exit_code == 0, result.output
    assert b"\nformat = 2  # the old one\n" in config.read_bytes()
