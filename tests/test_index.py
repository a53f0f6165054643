"""The index on disk stays true to the working tree: fresh without `cxlib index`, rebuilt when
damaged, kept out of the knowledge base, and safe with several processes at once."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, write

from cxlib.index.location import index_home
from cxlib.index.lock import writer_lock


def index_of(root: Path) -> Path:
    return index_home(root) / "index"


def lock_of(root: Path) -> Path:
    return index_home(root) / "index.lock"


DOC = """\
---
id: {id}
title: {title}
status: draft
created: 2025-01-10
stage: purchase
---

## Summary

{text}
"""


def add(root: Path, number: int, title: str, text: str) -> Path:
    doc_id = f"INS-{number:04d}"
    return write(
        root,
        f"insights/{doc_id}-note.md",
        DOC.format(id=doc_id, title=title, text=text),
    )


def found(root: Path, *query: str) -> list[str]:
    result = cx("-C", root, "search", *query, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return [h["id"] for h in result.json()]


@pytest.fixture
def small(kb: Path) -> Path:
    """A knowledge base in git with three insights and an index of them."""
    add(kb, 1, "First insight", "Shoppers mention the alpha wording on the cart page.")
    add(kb, 2, "Second insight", "Returns are hard without a printer, says the beta panel.")
    add(kb, 3, "Third insight", "Delivery dates calm customers in the gamma survey.")
    built = cx("-C", kb, "index")
    assert built.exit_code == 0, built.output
    return kb


def test_search_reflects_every_change_without_running_index(small: Path) -> None:
    assert found(small, "alpha") == ["INS-0001"]
    assert found(small, "beta") == ["INS-0002"]
    # a new document
    add(small, 4, "Zeppelin insight", "A zeppelin-shaped banner confused everybody.")
    # a changed document (same size: only the content digest can tell)
    first = small / "insights/INS-0001-note.md"
    before = first.read_bytes()
    first.write_bytes(before.replace(b"alpha", b"omega"))
    assert len(first.read_bytes()) == len(before)
    # a deleted document
    (small / "insights/INS-0002-note.md").unlink()

    assert found(small, "zeppelin") == ["INS-0004"]
    assert found(small, "omega") == ["INS-0001"]
    assert found(small, "alpha") == []  # no stale text
    assert found(small, "beta") == []  # no deleted document
    assert found(small, "printer") == []
    assert sorted(found(small, "kind:insight")) == ["INS-0001", "INS-0003", "INS-0004"]
    # search already brought the index up to date
    again = cx("-C", small, "index", "--format", "json").json()
    assert (again["added"], again["changed"], again["removed"]) == (0, 0, 0)
    assert again["documents"] == 3


def _ahead_and_then(root: Path, between: Callable[[], object]) -> tuple[list[str], bool]:
    """A search answered ahead (the index as it stood, before the listing) with a planted
    answer, ``between`` run, then the search given that answer: the ids it gives, and whether
    they are the planted ones."""
    from cxlib.index import service
    from cxlib.index.results import Hit
    from cxlib.kb.store import KnowledgeBase
    from cxlib.ops.index import open_index
    from cxlib.ops.search import _parse

    for doc in (root / "insights").glob("*.md"):  # old enough to be trusted by their stat
        old = doc.stat().st_mtime_ns - 3_600_000_000_000
        os.utime(doc, ns=(old, old))
    assert cx("-C", root, "index").exit_code == 0
    kb = KnowledgeBase.open(root)
    query = _parse(kb.config, "gamma")
    ahead = service.search_ahead(open_index(kb), query, 20)
    assert ahead is not None and [h.id for h in ahead.answer] == ["INS-0003"]
    planted = [Hit("planted.md", "INS-9999", "insight", "", "", "", 1.0)]
    between()
    files, _ = kb.files()
    hits, _ = service.search(
        open_index(kb), files, query, 20, ahead=service.Ahead(ahead.manifest, planted)
    )
    return [h.id for h in hits], hits is planted


def test_a_search_made_ahead_is_the_answer_while_the_index_is_up_to_date(small: Path) -> None:
    assert _ahead_and_then(small, lambda: None) == (["INS-9999"], True)


def test_a_search_made_ahead_is_made_again_when_a_file_changed(small: Path) -> None:
    path = small / "insights/INS-0001-note.md"
    edit = lambda: path.write_text(path.read_text().replace("alpha", "gamma"))  # noqa: E731
    ids, planted = _ahead_and_then(small, edit)
    assert not planted and sorted(ids) == ["INS-0001", "INS-0003"]


def test_a_search_made_ahead_is_made_again_after_another_writer(small: Path) -> None:
    """Another process updated the index between the early search and the listing (the files
    now match its new manifest): the early answer came from the index before, and is not given."""

    def other_writer() -> None:
        add(small, 4, "Gamma too", "Gamma again.")
        assert cx("-C", small, "index").exit_code == 0

    ids, planted = _ahead_and_then(small, other_writer)
    assert not planted and sorted(ids) == ["INS-0003", "INS-0004"]


def test_no_search_is_made_ahead_when_a_kind_folder_changed(small: Path) -> None:
    """A document added, removed or saved by renaming (as cxlib's own edits save) changes its
    folder: the index is then most likely out of date, and searching it early would be work
    thrown away. An edit in place leaves the folder as it was (the search is then made again
    once the listing shows the change, as the test above shows)."""
    from cxlib.index import service
    from cxlib.kb.store import KnowledgeBase
    from cxlib.ops.index import open_index
    from cxlib.ops.search import _parse

    kb = KnowledgeBase.open(small)
    folders = [kb.folder(k) for k in kb.config.kinds]
    query = _parse(kb.config, "gamma")
    old = (small / "insights").stat().st_mtime_ns - 3_600_000_000_000  # before the index
    os.utime(small / "insights", ns=(old, old))
    assert service.search_ahead(open_index(kb), query, 20, folders=folders) is not None
    add(small, 4, "Gamma too", "Gamma again.")
    assert service.search_ahead(open_index(kb), query, 20, folders=folders) is None
    assert sorted(found(small, "gamma")) == ["INS-0003", "INS-0004"]  # and it searches after
    assert service.search_ahead(open_index(kb), query, 20, folders=folders) is not None


def test_no_search_is_made_ahead_without_a_usable_index(small: Path, tmp_path: Path) -> None:
    from cxlib.index import service
    from cxlib.kb.store import KnowledgeBase
    from cxlib.ops.index import open_index
    from cxlib.ops.search import _parse

    kb = KnowledgeBase.open(small)
    query = _parse(kb.config, "gamma")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(index_of(small), elsewhere)
    assert service.search_ahead(open_index(kb), query, 20) is None  # none yet
    index_of(small).symlink_to(elsewhere, target_is_directory=True)
    assert service.search_ahead(open_index(kb), query, 20) is None  # refused, not raised
    (elsewhere / "cxlib-manifest.json").write_text("{")
    index_of(small).unlink()
    shutil.move(elsewhere, index_of(small))
    assert service.search_ahead(open_index(kb), query, 20) is None  # in doubt
    assert found(small, "gamma") == ["INS-0003"]  # and the search rebuilds it as before


def test_index_reports_added_changed_removed(small: Path) -> None:
    add(small, 4, "Delta insight", "Delta.")
    path = small / "insights/INS-0003-note.md"
    path.write_text(path.read_text().replace("gamma", "epsilon"))
    (small / "insights/INS-0001-note.md").unlink()
    result = cx("-C", small, "index")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "3 documents: +1 added, ~1 changed, -1 removed"


def test_same_size_edit_keeping_the_mtime_is_found(small: Path) -> None:
    """Size and mtime are trusted only for files modified well before the index last looked; a
    recent file is checked by its content digest, so an edit in the same clock tick is seen."""
    path = small / "insights/INS-0003-note.md"
    future = path.stat().st_mtime_ns + 3_600_000_000_000  # "recent" for the whole test
    os.utime(path, ns=(future, future))
    assert found(small, "gamma") == ["INS-0003"]
    path.write_bytes(path.read_bytes().replace(b"gamma", b"kappa"))
    os.utime(path, ns=(future, future))
    assert found(small, "kappa") == ["INS-0003"]
    assert found(small, "gamma") == []


def test_a_touch_costs_no_reindexing(small: Path) -> None:
    path = small / "insights/INS-0003-note.md"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    report = cx("-C", small, "index", "--format", "json").json()
    assert (report["added"], report["changed"], report["removed"]) == (0, 0, 0)
    assert found(small, "gamma") == ["INS-0003"]


def test_rebuild_starts_over(small: Path) -> None:
    result = cx("-C", small, "index", "--rebuild", "--format", "json")
    assert result.exit_code == 0, result.output
    report = result.json()
    assert report["rebuilt"] == "a rebuild was asked for"
    assert report["added"] == report["documents"] == 3


def test_first_search_builds_the_index_with_a_notice(kb: Path) -> None:
    add(kb, 1, "Alpha insight", "Alpha.")
    result = cx("-C", kb, "search", "alpha")
    assert result.exit_code == 0, result.output
    assert "note: rebuilt the search index: there is no index yet (1 document)" in result.stderr
    assert index_of(kb).is_dir()
    assert index_of(kb).is_relative_to(Path.home() / ".cache" / "cxlib" / "index")
    for folder in (
        index_of(kb),
        index_home(kb),
        index_home(kb).parent,
        index_home(kb).parent.parent,
    ):
        assert oct(folder.stat().st_mode & 0o777) == "0o700", folder
    assert not (kb / ".cxlib" / "index").exists()


def _segment_file(index: Path) -> Path:
    """The terms file of a segment (segments are written as separate files, not compound)."""
    return next(index.glob("MAIN_*.trm"))


def _truncate_segment(index: Path) -> str:
    segment = _segment_file(index)
    with segment.open("r+b") as fh:
        fh.truncate(segment.stat().st_size // 2)
    return "changed size"


def _zero_segment(index: Path) -> str:
    segment = _segment_file(index)
    size = segment.stat().st_size
    with segment.open("r+b") as fh:
        fh.write(b"\0" * size)
    assert segment.stat().st_size == size  # only the content is damaged
    return "it could not be read"


def _delete_toc(index: Path) -> str:
    next(index.glob("_MAIN_*.toc")).unlink()
    return "is missing"


def _garbage_manifest(index: Path) -> str:
    (index / "cxlib-manifest.json").write_text("{not json")
    return "its manifest is missing or unreadable"


def _damaged_entries(index: Path) -> str:
    manifest = index / "cxlib-manifest.json"
    head = manifest.read_bytes().split(b"\n", 1)[0]
    manifest.write_bytes(head + b"\n[1, 2")
    # also make the listing differ, so the entries are needed
    return "manifest is missing or unreadable"


def _other_version(index: Path) -> str:
    manifest = index / "cxlib-manifest.json"
    head, rest = manifest.read_bytes().split(b"\n", 1)
    header = json.loads(head)
    header["stamp"] = "cxlib-index-0/whoosh-2.7.4"
    manifest.write_bytes(json.dumps(header).encode() + b"\n" + rest)
    return "it was made by another version (cxlib-index-0/whoosh-2.7.4)"


def _loose_permissions(index: Path) -> str:
    index.chmod(0o755)
    return "its folder was not made by cxlib for this user"


@pytest.mark.parametrize(
    "damage",
    [
        _truncate_segment,
        _zero_segment,
        _delete_toc,
        _garbage_manifest,
        _damaged_entries,
        _other_version,
        _loose_permissions,
    ],
)
def test_a_damaged_index_is_rebuilt_and_search_answers(small: Path, damage: object) -> None:
    assert callable(damage)
    if damage is _damaged_entries:
        add(small, 4, "Delta insight", "Delta.")
    reason = damage(index_of(small))
    result = cx("-C", small, "search", "gamma", "--format", "json")
    assert result.exit_code == 0, result.output
    assert [h["id"] for h in result.json()] == ["INS-0003"]
    notice = [line for line in result.stderr.splitlines() if line.startswith("note:")]
    assert len(notice) == 1 and "rebuilt the search index" in notice[0], result.stderr
    assert reason in notice[0]
    quiet = cx("-C", small, "search", "gamma")
    assert quiet.exit_code == 0 and quiet.stderr == ""  # healthy again


def test_leftovers_of_an_interrupted_build_are_removed(small: Path) -> None:
    leftover = index_home(small) / "index.new-crashed"
    leftover.mkdir()
    (leftover / "MAIN_x.seg").write_bytes(b"half")
    add(small, 4, "Delta insight", "Delta.")
    assert cx("-C", small, "index").exit_code == 0
    assert not leftover.exists()


def test_an_index_behind_a_symlink_is_refused(small: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    shutil.move(index_of(small), elsewhere)
    index_of(small).symlink_to(elsewhere, target_is_directory=True)
    result = cx("-C", small, "search", "gamma")
    assert result.exit_code == 2
    assert f"{index_of(small)} is a symlink" in result.stderr
    assert (elsewhere / "cxlib-manifest.json").is_file()  # never deleted through the link


def test_validate_passes_with_a_corrupt_index(small: Path) -> None:
    for path in index_of(small).iterdir():
        path.write_bytes(b"garbage")
    assert cx("-C", small, "validate").exit_code == 0


def test_a_busy_writer_says_so_and_search_still_answers(small: Path) -> None:
    add(small, 4, "Delta insight", "Delta wording.")  # a change the search cannot index now
    with writer_lock(lock_of(small), timeout=0):
        busy = cx("-C", small, "index", "--timeout", "0.2")
        assert busy.exit_code == 2
        assert "the search index is busy" in busy.stderr
        assert "more than 0.2 s" in busy.stderr
        stale = cx("-C", small, "search", "gamma", "--timeout", "0.2")
        assert stale.exit_code == 0, stale.output
        assert "these results may miss the latest edits" in stale.stderr
        assert "INS-0003" in stale.stdout
    assert found(small, "delta") == ["INS-0004"]  # the next search catches up


def test_without_an_index_a_busy_lock_is_an_error(kb: Path) -> None:
    add(kb, 1, "Alpha insight", "Alpha.")
    index_home(kb).mkdir(mode=0o700, parents=True)
    with writer_lock(lock_of(kb), timeout=0):
        result = cx("-C", kb, "search", "alpha", "--timeout", "0")
    assert result.exit_code == 2
    assert "the search index is busy" in result.stderr


def _spawn(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "cxlib", "-C", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_concurrent_writers_and_readers_do_not_corrupt_the_index(tmp_path: Path) -> None:
    """Real processes at once: two writers rebuilding, one updating, one searching."""
    root = tmp_path / "northwind"
    example_copy(root)
    assert cx("-C", root, "index").exit_code == 0
    add(root, 90, "Zeppelin insight", "A zeppelin-shaped banner confused everybody.")
    (root / "insights/INS-0016-search-ad-visitors-land-on-mixed-waterproof-results.md").unlink()
    procs = [
        _spawn(root, "index", "--rebuild"),
        _spawn(root, "search", "zeppelin", "--format", "json"),
        _spawn(root, "index", "--rebuild"),
        _spawn(root, "index"),
    ]
    done = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, out, err in done:
        assert code == 0, (out, err)
        assert "Traceback" not in err
    assert [h["id"] for h in json.loads(done[1][1])] == ["INS-0090"]
    assert set(found(root, "free shipping")[:2]) == {"EXP-0003", "EXP-0019"}
    # the index is whole: nothing left to do, and it answers like a fresh build
    report = cx("-C", root, "index", "--format", "json").json()
    assert (report["added"], report["changed"], report["removed"], report["rebuilt"]) == (
        0,
        0,
        0,
        None,
    )
    assert report["documents"] == 47
    before = found(root, "kind:insight")
    assert "INS-0016" not in before and "INS-0090" in before
    assert cx("-C", root, "index", "--rebuild").exit_code == 0
    assert found(root, "kind:insight") == before
    # no half-built index folders left behind
    left = {p.name for p in index_home(root).iterdir()}
    assert sorted(left) == ["index", "index.lock"]
