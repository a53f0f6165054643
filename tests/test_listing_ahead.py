"""The listing made in a child process while the search index's modules load.

``listed_while`` must give exactly what ``scan`` gives (the child is a speed device, never a
source of different answers), fall back to listing here whenever there is no child, and leave no
child behind: not when the child fails, not when its answer is never asked for, not when that
answer is larger than a pipe holds.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from tests.conftest import example_copy, write

from cxlib.kb.files import listed_while, scan
from cxlib.kb.store import KnowledgeBase
from cxlib.workers import in_child

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork on Linux")


def _children() -> set[int]:
    """This process's children, running or exited and not reaped."""
    out = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            out.add(int(entry.name))
    return out


def test_the_listing_is_the_scan(tmp_path: Path) -> None:
    kb_root = example_copy(tmp_path / "kb")
    write(kb_root, "insights/nested/INS-0900-deep.md", "---\nid: INS-0900\n---\n")
    (kb_root / "insights" / "notes.txt").write_text("not a document")
    kb = KnowledgeBase.open(kb_root)
    files, prepared = listed_while(kb.root, kb.config, lambda: "ready")
    assert prepared == "ready"
    assert files == scan(kb.root, kb.config)[0]
    assert "insights/nested/INS-0900-deep.md" in [f.path for f in files]
    assert len(files) > 40
    assert all(type(f).__name__ == "DocFile" and f.size > 0 and f.inode > 0 for f in files)


def test_an_empty_base_lists_nothing(tmp_path: Path) -> None:
    kb_root = example_copy(tmp_path / "kb")
    for folder in ("insights", "opportunities", "experiments"):
        for path in (kb_root / folder).rglob("*.md"):
            path.unlink()
    kb = KnowledgeBase.open(kb_root)
    assert listed_while(kb.root, kb.config, lambda: None) == ([], None)


def test_with_other_threads_the_listing_is_made_here(tmp_path: Path) -> None:
    """Forking copies only the calling thread: with another running, no child is made."""
    kb = KnowledgeBase.open(example_copy(tmp_path / "kb"))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with in_child(lambda: b"from the child") as answer:
            assert answer() is None
        files, _ = listed_while(kb.root, kb.config, lambda: None)
    finally:
        stop.set()
        other.join()
    assert files == scan(kb.root, kb.config)[0]


@linux_only
def test_a_child_answers_with_its_bytes() -> None:
    before = _children()
    with in_child(lambda: b"x" * 1_000_000) as answer:
        assert answer() == b"x" * 1_000_000
    with in_child(lambda: str(os.getpid()).encode()) as answer:
        assert answer() not in (None, str(os.getpid()).encode())  # made in another process
    assert _children() <= before


@linux_only
def test_a_failing_child_means_no_answer_and_no_child_left() -> None:
    def fail() -> bytes:
        raise RuntimeError("the listing failed")

    before = _children()
    with in_child(fail) as answer:
        assert answer() is None
    assert _children() <= before


@linux_only
def test_an_answer_never_asked_for_ends_the_child() -> None:
    """Far more than a pipe holds: the child blocks writing until the pipe is closed."""
    before = _children()
    with in_child(lambda: b"y" * 10_000_000):
        pass
    assert _children() <= before


@linux_only
def test_an_error_while_preparing_leaves_no_child(tmp_path: Path) -> None:
    kb = KnowledgeBase.open(example_copy(tmp_path / "kb"))

    def prepare() -> None:
        raise KeyError("prepare failed")

    before = _children()
    with pytest.raises(KeyError):
        listed_while(kb.root, kb.config, prepare)
    assert _children() <= before
