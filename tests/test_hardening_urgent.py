"""The hardening issue's urgent items: a planted search index never runs code, `=======` inside a
value crashes nothing, every scan over user text is linear, and a command-line value never loses
text after a `#`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import cx, example_copy, git, snapshot, write
from tests.gitrepo import commit, run_git
from tests.growth import LARGE, SMALL, best_times, grows_linearly

from cxlib.index.location import index_home

# -- 1. a planted search index ------------------------------------------------------------------


class _Payload:
    """Unpickling this creates the marker folder: what a crafted whoosh table of contents does
    (a real attack would call ``os.system``)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.mkdir, (str(self.marker),))


def _plant(folder: Path, marker: Path) -> None:
    """Turn the whoosh index in ``folder`` into a payload: an object appended to the table of
    contents' segment list, with the manifest's sizes fixed so no size check notices."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.index import TOC

    from cxlib.index import store
    from cxlib.index.manifest import Manifest

    storage = FileStorage(str(folder))
    toc = TOC.read(storage, "MAIN")
    toc.segments = [*toc.segments, _Payload(marker)]
    (folder / f"_MAIN_{toc.generation}.toc").unlink()  # whoosh will not overwrite it
    toc.write(storage, "MAIN")
    manifest = Manifest.load(folder, entries=True)
    assert manifest is not None
    manifest.files = store.backend_files(folder)
    manifest.save(folder)


def _crafted_index(base: Path, marker: Path) -> Path:
    """An index built by cxlib for ``base``, copied out of the user's cache and planted."""
    assert cx("-C", base, "index").exit_code == 0
    crafted = base.parent / "crafted-index"
    shutil.copytree(index_home(base) / "index", crafted)
    _plant(crafted, marker)
    shutil.rmtree(index_home(base))  # cxlib starts with no index of its own
    return crafted


def _payload_is_live(folder: Path, marker: Path) -> None:
    """Opening the planted folder with the backend, as the first version did, runs the payload
    (in another process: whoosh leaves the file open when the table of contents fails)."""
    code = "import sys; from cxlib.index import store; store.Reader(sys.argv[1])"
    subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, check=False)
    assert marker.exists()
    marker.rmdir()


def _run_every_index_command(base: Path, marker: Path) -> None:
    for args in (
        ["search", "free shipping"],
        ["similar", "EXP-0003"],
        ["new", "insight", "Shipping costs again", "--no-input"],
        ["index"],
        ["search", "kind:experiment"],
    ):
        result = cx("-C", base, *args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert not marker.exists(), f"cxlib {' '.join(args)} ran code from the working tree"


def _example_copy(root: Path) -> Path:
    example_copy(root)
    return root


def test_a_planted_index_in_a_tarball_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    base = _example_copy(tmp_path / "made" / "northwind")
    crafted = _crafted_index(base, marker)
    (base / ".cxlib").mkdir(mode=0o700, exist_ok=True)
    shutil.copytree(crafted, base / ".cxlib" / "index")
    tarball = tmp_path / "base.tar"
    with tarfile.open(tarball, "w") as tar:
        tar.add(base, arcname="northwind")
    old = os.umask(0o077)  # so the folder passes an owner-and-mode check, as an attacker wants
    try:
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp_path / "unpacked", filter="tar")
    finally:
        os.umask(old)
    unpacked = tmp_path / "unpacked" / "northwind"
    assert not (unpacked / ".git").exists()
    _payload_is_live(unpacked / ".cxlib" / "index", marker)
    _run_every_index_command(unpacked, marker)
    assert index_home(unpacked).is_dir()  # cxlib built its own index instead


def test_a_planted_index_in_a_submodule_never_runs(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    base = _example_copy(tmp_path / "upstream")
    crafted = _crafted_index(base, marker)
    module = tmp_path / "module"
    module.mkdir()
    run_git(module, "init", "-q", "-b", "main")
    shutil.copytree(crafted, module / "index")
    commit(module, "cache")
    run_git(base, "init", "-q", "-b", "main")
    (base / ".gitignore").unlink(missing_ok=True)
    shutil.rmtree(base / ".cxlib", ignore_errors=True)  # the cache that making the index left
    run_git(
        base, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(module), ".cxlib"
    )
    commit(base, "base with a submodule")
    old = os.umask(0o077)
    try:
        clone = tmp_path / "clone"
        run_git(
            tmp_path,
            "-c",
            "protocol.file.allow=always",
            "clone",
            "-q",
            "--recurse-submodules",
            str(base),
            str(clone),
        )
    finally:
        os.umask(old)
    assert (clone / ".cxlib" / "index" / "cxlib-manifest.json").is_file()
    _payload_is_live(clone / ".cxlib" / "index", marker)
    _run_every_index_command(clone, marker)


def test_the_index_lives_in_the_cache_home_named_by_the_real_path(tmp_path: Path) -> None:
    base = _example_copy(tmp_path / "northwind")
    link = tmp_path / "link"
    link.symlink_to(base, target_is_directory=True)
    assert index_home(link) == index_home(base)
    assert index_home(base).name.startswith("northwind-")
    xdg = tmp_path / "xdg"
    assert index_home(base, {"XDG_CACHE_HOME": str(xdg)}).parent == xdg / "cxlib" / "index"
    # a relative XDG_CACHE_HOME is invalid by the spec and ignored
    assert index_home(base, {"XDG_CACHE_HOME": "rel"}).is_relative_to(Path.home())


# -- 2. "=======" inside front-matter ----------------------------------------------------------

SEPARATOR_DOC = """---
id: {id}
title: "Before ======= after"
status: draft
created: 2025-01-10
# ===== a banner comment =====
---

## Summary

Text.
"""


def test_equals_signs_inside_a_value_are_not_a_conflict(kb: Path) -> None:
    write(kb, "insights/INS-0001-equals.md", SEPARATOR_DOC.format(id="INS-0001"))
    result = cx("-C", kb, "validate")
    assert result.exit_code == 0, result.output
    shown = cx("-C", kb, "show", "INS-0001", "--format", "json")
    assert shown.exit_code == 0, shown.output
    assert shown.json()["front_matter"]["title"] == "Before ======= after"


def test_a_real_conflict_marker_is_still_refused(kb: Path) -> None:
    text = SEPARATOR_DOC.format(id="INS-0001").replace("status: draft\n", "=======\n")
    write(kb, "insights/INS-0001-equals.md", text)
    result = cx("-C", kb, "validate")
    assert result.exit_code == 1
    assert "insights/INS-0001-equals.md:4: error: unresolved merge conflict marker" in result.stdout


def test_equals_signs_in_a_large_base_parse_in_workers_without_error(tmp_path: Path) -> None:
    """900 documents: a cold validate parses in worker processes (two CPUs or more)."""
    root = tmp_path / "big"
    assert cx("init", root).exit_code == 0
    for n in range(1, 901):
        write(root, f"insights/INS-{n:04d}-equals.md", SEPARATOR_DOC.format(id=f"INS-{n:04d}"))
    result = subprocess.run(
        [sys.executable, "-m", "cxlib", "-C", str(root), "validate", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


# -- 3. every scan over user text is linear -----------------------------------------------------

HEAD = b"---\nid: INS-0001\ntitle: T\nstatus: draft\ncreated: 2025-01-10\n---\n"


def _parse_and_index(raw: bytes) -> None:
    from cxlib.index.records import build_record
    from cxlib.kb.parse import parse_bytes
    from cxlib.model.kinds import Kind

    build_record("insights/INS-0001-x.md", Kind.INSIGHT, raw, parse_bytes(raw))


def _html_cell(text: bytes) -> None:
    from cxlib.reports import html

    # With a site to link to, so the scan that links ids runs over the cell too.
    html._cell(text.decode(), html.DocumentLinks(["EXP-0001"], "https://cx.example/library"))


# name → (what scans, input of about n bytes)
SCANS: dict[str, tuple[Callable[[bytes], None], Callable[[int], bytes]]] = {
    "unclosed comments": (_parse_and_index, lambda n: HEAD + b"<!--" * (n // 4)),
    "unclosed wiki links": (_parse_and_index, lambda n: HEAD + b"[[A-1|" * (n // 6)),
    "long heading": (_parse_and_index, lambda n: HEAD + b"# " + b"#" * n + b"x\n"),
    "many headings": (_parse_and_index, lambda n: HEAD + b"# h\n" * (n // 4)),
    "long word in a report cell": (_html_cell, lambda n: b"x" * n),
}


@pytest.mark.parametrize("name", list(SCANS))
def test_scans_are_linear(name: str) -> None:
    work, make = SCANS[name]
    one, eight = best_times(work, make(SMALL), make(LARGE))
    assert eight < 1.0, f"{name}: {eight:.2f} s for 2 MB"
    assert grows_linearly(one, eight), f"{name}: 0.25 MB {one:.3f} s, 2 MB {eight:.3f} s"


def test_a_document_of_pathological_text_validates_quickly(kb: Path) -> None:
    body = "<!--" * 20_000 + "\n" + "[[A-1|" * 20_000 + "\n# " + "#" * 100_000 + "x\n"
    write(kb, "insights/INS-0001-odd.md", SEPARATOR_DOC.format(id="INS-0001") + body)
    start = time.perf_counter()
    result = cx("-C", kb, "validate")
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - start < 5


# -- 11. a value given on the command line is text unless it clearly is YAML -------------------


@pytest.fixture
def example(tmp_path: Path) -> Path:
    base = _example_copy(tmp_path / "northwind")
    git(base, "init", "-q", "-b", "main")
    return base


def _front_line(path: Path, key: str) -> str:
    return next(line for line in path.read_text().splitlines() if line.startswith(f"{key}:"))


def test_set_keeps_text_after_a_hash(example: Path) -> None:
    path = next((example / "experiments").glob("EXP-0001-*.md"))
    result = cx("-C", example, "set", "EXP-0001", "title=Fix #123 in checkout")
    assert result.exit_code == 0, result.output
    assert _front_line(path, "title") == 'title: "Fix #123 in checkout"'
    shown = cx("-C", example, "show", "EXP-0001", "--format", "json").json()
    assert shown["front_matter"]["title"] == "Fix #123 in checkout"


def test_new_set_keeps_text_after_a_hash(example: Path) -> None:
    result = cx(
        "-C",
        example,
        "new",
        "experiment",
        "Checkout copy",
        "--no-input",
        "--set",
        "audience=returning #members only",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    path = example / result.json()["path"]
    assert _front_line(path, "audience") == 'audience: "returning #members only"'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#123", "#123"),
        ("3", 3),
        ("[cac, clv]", ["cac", "clv"]),
        ('["a #1", b]', ["a #1", "b"]),
        ("'it''s #1'", "it's #1"),
        ("2025-03-01", "2025-03-01"),
        ("a: b", "a: b"),
        ("3 # about", "3 # about"),
    ],
)
def test_values_are_text_unless_clearly_yaml(value: str, expected: object) -> None:
    import datetime as dt

    from cxlib.ops.set import parse_value

    got = parse_value("k", value)
    assert (got.isoformat() if isinstance(got, dt.date) else got) == expected


def test_a_number_with_a_comment_is_refused_and_nothing_changes(example: Path) -> None:
    before = snapshot(example)
    result = cx("-C", example, "set", "EXP-0003", "result.effect=3 # about")
    assert result.exit_code != 0
    assert "result.effect" in result.output
    assert snapshot(example) == before


def test_text_after_a_closing_quote_is_refused(example: Path) -> None:
    before = snapshot(example)
    result = cx("-C", example, "set", "EXP-0001", 'title="Fix" #123')
    assert result.exit_code == 2
    assert "text after the closing quote" in result.stderr
    assert snapshot(example) == before
