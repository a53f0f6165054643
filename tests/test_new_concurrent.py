"""``cxlib new`` run by many processes at once: each id is taken by exactly one document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import cx, git
from tests.forked import run_forked, run_rounds

from cxlib.errors import WriteRefusedError
from cxlib.kb.id_lock import ids_reserved

ROUNDS = 10
WORKERS = 20


def _new(kb: Path, title: str) -> dict[str, object]:
    args = ["-C", str(kb), "new", "experiment", title, "--no-input", "--format", "json"]
    return {"args": args}


def test_twenty_at_once_ten_times_never_share_an_id(kb: Path, tmp_path: Path) -> None:
    """One base for all rounds, so each round races over more files than the last (0, 20, ...
    180 already there) and against a committed branch that ``next_id`` reads too."""
    git(kb, "add", "-A")
    git(kb, "commit", "-q", "-m", "the base")
    rounds = [[_new(kb, f"Concurrent {r}-{i}") for i in range(WORKERS)] for r in range(ROUNDS)]
    taken: set[str] = set()
    for results, listing in run_rounds(rounds, tmp_path / "runs", kb / "experiments"):
        assert [x.returncode for x in results] == [0] * WORKERS, [x.stderr for x in results]
        created = [json.loads(x.stdout) for x in results]
        ids = {c["id"] for c in created}
        assert len(ids) == WORKERS, sorted(c["id"] for c in created)
        assert not ids & taken
        taken |= ids
        # After the round: one more file per process, each named by a distinct id.
        files = [name for name in listing if name.startswith("EXP-")]
        assert len(files) == len(taken), files
        assert {name[:8] for name in files} == taken
        assert {f"experiments/{name}" for name in files} >= {c["path"] for c in created}
    for path in sorted((kb / "experiments").glob("EXP-*.md")):  # each holds its own id
        assert f"\nid: {path.name[:8]}\n" in path.read_text()
    assert taken == {f"EXP-{n:04d}" for n in range(1, ROUNDS * WORKERS + 1)}
    check = cx("-C", kb, "validate")
    assert check.exit_code == 0, check.output


def test_a_new_killed_while_it_holds_the_id_never_blocks_the_next(kb: Path, tmp_path: Path) -> None:
    # Killed after writing its temporary file, before creating the document: inside the lock.
    [killed] = run_forked(
        [{**_new(kb, "Killed midway"), "at": 1, "action": "kill"}], tmp_path / "killed"
    )
    assert killed.returncode == -9, killed.stderr
    assert killed.steps[0][0] == "temporary"
    assert list((kb / "experiments").glob("EXP-*.md")) == []
    result = cx("-C", kb, "new", "experiment", "After the kill", "--no-input")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("experiments/EXP-0001-after-the-kill.md")


def test_a_waiter_gives_up_after_its_deadline(kb: Path) -> None:
    with (
        ids_reserved(kb),
        pytest.raises(WriteRefusedError, match=r"for more than 0\.2 s"),
        ids_reserved(kb, timeout=0.2),
    ):
        pass  # never reached: the lock is held by the first
