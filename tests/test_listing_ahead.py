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
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tests.conftest import example_copy, write

from cxlib.index.manifest import RACY_NS, Manifest
from cxlib.kb.files import Listing, kind_folders, listed_while, scan
from cxlib.kb.store import KnowledgeBase
from cxlib.listings import listing_digest, signature_columns
from cxlib.workers import Child

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork on Linux")


@contextmanager
def in_child(work: Callable[[], bytes]) -> Iterator[Callable[[], bytes | None]]:
    """A child running ``work`` for the length of the block, closed (ended and reaped) after."""
    child = Child(work)
    try:
        yield child.result
    finally:
        child.close()


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


@linux_only
def test_a_listing_started_ahead_is_the_one_taken(tmp_path: Path) -> None:
    from cxlib.kb import files

    kb = KnowledgeBase.open(example_copy(tmp_path / "kb"))
    expected = scan(kb.root, kb.config)[0]
    files.list_ahead(kb.root, kind_folders(kb.config))
    (child,) = files._ahead.values()
    assert child.pid in _children()
    # Added after the child listed it (the result is read only after): the base as it was.
    write(kb.root, "insights/INS-0901-later.md", "---\nid: INS-0901\n---\n")
    child_answer = child.result()
    assert child_answer is not None
    files._ahead[next(iter(files._ahead))] = _Answered(child_answer)
    listed, _ = listed_while(kb.root, kb.config, lambda: None)
    assert listed == expected
    assert files._ahead == {}
    assert child.pid not in _children()


class _Answered:
    """A child whose answer was already read (the test read it to know the child is done)."""

    def __init__(self, answer: bytes) -> None:
        self.answer = answer

    def result(self) -> bytes:
        return self.answer

    def close(self) -> None:
        pass


@linux_only
def test_a_listing_ahead_of_another_base_is_left_and_closed(tmp_path: Path) -> None:
    from cxlib.kb import files

    one = KnowledgeBase.open(example_copy(tmp_path / "one"))
    two = KnowledgeBase.open(example_copy(tmp_path / "two"))
    write(two.root, "insights/INS-0902-only-here.md", "---\nid: INS-0902\n---\n")
    files.list_ahead(one.root, kind_folders(one.config))
    try:
        listed, _ = listed_while(two.root, two.config, lambda: None)
        assert "insights/INS-0902-only-here.md" in [f.path for f in listed]
        assert len(files._ahead) == 1  # still waiting for its own base
    finally:
        for child in files._ahead.values():
            child.close()  # what the exit does with a listing never asked for
        pids = [c.pid for c in files._ahead.values()]
        files._ahead.clear()
    assert not set(pids) & _children()


@pytest.mark.parametrize(
    "args",
    [
        ["-C", "{kb}", "search", "shipping"],
        ["search", "shipping", "-C", "{kb}"],
        ["--root={kb}", "--color", "never", "search", "shipping"],
    ],
)
def test_the_command_line_starts_the_listing_and_answers_the_same(
    tmp_path: Path, args: list[str]
) -> None:
    import subprocess

    from tests.conftest import cx

    kb_root = example_copy(tmp_path / "kb")
    argv = [a.replace("{kb}", str(kb_root)) for a in args]
    done = subprocess.run(
        [sys.executable, "-m", "cxlib", *argv], capture_output=True, text=True, check=False
    )
    here = cx(*argv)
    assert (done.returncode, done.stdout) == (here.exit_code, here.stdout)
    assert "shipping" in done.stdout.lower()


@pytest.mark.parametrize("where", ["none", "empty"])
def test_a_command_line_naming_no_base_is_reported_as_before(tmp_path: Path, where: str) -> None:
    """No base where the command line points: the head start gives up silently, and the
    command says what it always said."""
    import subprocess

    from tests.conftest import cx

    (tmp_path / "empty").mkdir()
    argv = ["-C", str(tmp_path / where), "search", "x"]
    done = subprocess.run(
        [sys.executable, "-m", "cxlib", *argv], capture_output=True, text=True, check=False
    )
    here = cx(*argv)
    assert (done.returncode, done.stderr) == (here.exit_code, here.stderr)
    assert done.returncode != 0 and "Traceback" not in done.stderr


@linux_only
def test_a_child_whose_answer_is_not_wanted_is_ended_not_waited_for() -> None:
    """A command that ends before it asks for the listing (a usage error, ``--help``) must not
    wait for it: the child is killed and reaped."""
    never, _keep_open = os.pipe()
    child = Child(lambda: os.read(never, 1))  # blocks for good: nothing is ever written
    try:
        assert child.pid in _children()
        child.close()
        assert child.pid not in _children()
    finally:
        os.close(never)
        os.close(_keep_open)


@linux_only
def test_a_listing_ahead_brings_the_listing_findings(tmp_path: Path) -> None:
    """What validate reads of the listing: the files and the findings (a symlink, reported and
    not followed), as scan gives them."""
    from cxlib.kb import files

    kb = KnowledgeBase.open(example_copy(tmp_path / "kb"))
    (kb.root / "insights" / "INS-0950-link.md").symlink_to(
        next((kb.root / "insights").glob("*.md"))
    )
    expected = scan(kb.root, kb.config)
    assert expected[1], "the symlink is a finding of the listing"
    files.list_ahead(kb.root, kind_folders(kb.config))
    assert files.listing(kb.root, kb.config) == expected
    assert files._ahead == {}
    assert files.listing(kb.root, kb.config) == expected  # none ahead: listed here


@pytest.mark.parametrize("words", [["validate"], ["validate", "--format", "json", "--strict"]])
def test_a_whole_base_validate_answers_the_same_with_its_listing_ahead(
    tmp_path: Path, words: list[str]
) -> None:
    import subprocess

    from tests.conftest import cx

    kb_root = example_copy(tmp_path / "kb")
    (kb_root / "insights" / "INS-0950-link.md").symlink_to(
        next((kb_root / "insights").glob("*.md"))
    )
    write(kb_root, "insights/INS-0951-broken.md", "---\nid: [\n---\n")
    argv = ["-C", str(kb_root), "--today", "2025-07-01", *words]

    def with_listing_ahead() -> tuple[int, str, str]:
        done = subprocess.run(
            [sys.executable, "-m", "cxlib", *argv], capture_output=True, text=True, check=False
        )
        return done.returncode, done.stdout, done.stderr

    cold = with_listing_ahead()
    here = cx(*argv)  # in this process: no listing ahead
    assert cold == (here.exit_code, here.stdout, here.stderr)
    assert with_listing_ahead() == cold  # answered from the caches the first run filled
    assert here.exit_code == 1 and "INS-0950-link.md" in here.stdout + here.stderr


@linux_only
def test_a_listing_ahead_of_other_folders_is_not_taken(tmp_path: Path) -> None:
    """Started from folders read off the config before it was validated, a listing is taken
    only when the validated config names the same ones."""
    from cxlib.kb import files
    from cxlib.model.kinds import Kind

    kb = KnowledgeBase.open(example_copy(tmp_path / "kb"))
    other = ((Kind.INSIGHT, "opportunities"), (Kind.OPPORTUNITY, "insights"))
    files.list_ahead(kb.root, other)
    try:
        listed, _ = listed_while(kb.root, kb.config, lambda: None)
        assert listed == scan(kb.root, kb.config)[0]
        assert len(files._ahead) == 1  # not taken
    finally:
        for child in files._ahead.values():
            child.close()
        files._ahead.clear()


CONFIG_KINDS = [
    ("", (("insights", "opportunities", "experiments"))),
    ('[kinds.insight]\nfolder = "notes"\n', ("notes", "opportunities", "experiments")),
    ('[kinds.experiment]\nprefix = "TEST"\n', ("insights", "opportunities", "experiments")),
    ("[kinds.insight]\nfolder = 7\n", None),  # validation says what is wrong
    ("[kinds]\ninsight = 3\n", None),
    ("[kinds\n", None),  # not TOML
]


@pytest.mark.parametrize(("extra", "expected"), CONFIG_KINDS)
def test_the_kind_folders_are_read_before_the_config_is_validated(
    tmp_path: Path, extra: str, expected: tuple[str, ...] | None
) -> None:
    from cxlib.kb.config_file import early_kind_folders
    from cxlib.model.kinds import Kind

    root = example_copy(tmp_path / "kb")
    config = root / "cxlib.toml"
    config.write_text(config.read_text() + extra)
    found = early_kind_folders(root)
    if expected is None:
        assert found is None
    else:
        assert found == tuple(zip(list(Kind), expected, strict=True))


@pytest.mark.parametrize("text", [b"kinds = 3\n", b"[kinds]\ninsight = 'a'\n", b"t = '\xff'\n"])
def test_kind_folders_that_cannot_be_read_off_the_config(tmp_path: Path, text: bytes) -> None:
    from cxlib.kb.config_file import early_kind_folders

    (tmp_path / "cxlib.toml").write_bytes(text)
    assert early_kind_folders(tmp_path) is None
    assert early_kind_folders(tmp_path / "missing") is None


def test_the_kind_folders_of_a_config_validated_before_are_the_validated_ones(
    tmp_path: Path,
) -> None:
    from cxlib.kb.config_file import early_kind_folders

    root = example_copy(tmp_path / "kb")
    config = root / "cxlib.toml"
    config.write_text(config.read_text() + '[kinds.opportunity]\nfolder = "ideas"\n')
    (root / "opportunities").rename(root / "ideas")
    kb = KnowledgeBase.open(root)  # validated, and kept in the cache
    assert (root / ".cxlib" / "config.json").is_file()
    assert early_kind_folders(root) == kind_folders(kb.config)
    assert dict(kind_folders(kb.config))[kb.config.kind_for_folder("ideas")] == "ideas"


@linux_only
def test_the_child_digests_its_listing_so_an_unchanged_one_is_never_made_into_rows(
    tmp_path: Path,
) -> None:
    kb_root = example_copy(tmp_path / "kb")
    kb = KnowledgeBase.open(kb_root)
    files, _ = listed_while(kb.root, kb.config, lambda: None)
    assert isinstance(files, Listing) and files._columns is not None  # no rows made yet
    assert len(files) == len(scan(kb.root, kb.config)[0])
    # What the index's manifest keeps of the listing its last update saw.
    seen = Manifest(
        stamp="test",
        listing=listing_digest([f.path for f in files], signature_columns(files)),
        newest_ns=max(f.mtime_ns for f in files),
        checked_ns=time.time_ns() + 10 * RACY_NS,
    )
    assert files.digest == seen.listing
    again, _ = listed_while(kb.root, kb.config, lambda: None)
    assert isinstance(again, Listing)
    assert seen.unchanged(again) and again._columns is not None
    write(kb_root, "insights/INS-0901-new.md", "---\nid: INS-0901\n---\n")
    added, _ = listed_while(kb.root, kb.config, lambda: None)
    assert not seen.unchanged(added)
    assert not seen.unchanged(list(added))  # a plain list is digested where it is compared
