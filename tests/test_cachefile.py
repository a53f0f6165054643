"""A hostile or corrupt cache is no cache: never a crash, never a hang, never code run.

Every cache (parse and facts shards, the history cache, the index manifest) is read through
:mod:`cxlib.cachefile`; these tests plant what an attacker or a broken disk would leave there.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import cx, example_copy, git

from cxlib import cachefile
from cxlib.index.location import index_home


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "northwind"
    example_copy(root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    assert cx("-C", root, "validate").exit_code == 0
    assert cx("-C", root, "list").exit_code == 0  # writes the parse shards too
    return root


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a process of its own, with a deadline: a hang fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "cxlib", "-C", str(root), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


HOSTILE = {
    "deep nesting": b"[" * 200_000 + b"]" * 200_000,
    "infinite time": b'{"key": "%s", "written_ns": 1e400, "entries": {}}',
    "entries not a mapping": b'{"key": "%s", "written_ns": 1, "entries": [1, 2]}',
    "entry not a mapping": b'{"key": "%s", "written_ns": 1, "entries": {"a.md": 7}}',
    "not json": b"\x00\xff garbage",
    "a list": b"[1, 2, 3]",
}


def _key(shard: Path) -> str:
    raw = cachefile.read_json(shard)
    return str(raw["key"]) if isinstance(raw, dict) else ""


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_shards_are_no_cache(base: Path, name: str) -> None:
    shards = sorted((base / ".cxlib" / "facts").glob("*.json"))
    shards += sorted((base / ".cxlib" / "parsed").glob("*.json"))
    assert shards
    for shard in shards:
        content = HOSTILE[name]
        if b"%s" in content:
            content = content.replace(b"%s", _key(shard).encode())
        shard.write_bytes(content)
    for args in (["validate"], ["list"], ["report", "experiments"]):
        result = _run(base, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_in_place_of_a_cache_never_blocks(base: Path) -> None:
    for shard in [
        *sorted((base / ".cxlib" / "facts").glob("*.json")),
        base / ".cxlib" / "history.json",
    ]:
        shard.unlink(missing_ok=True)
        os.mkfifo(shard)
    result = _run(base, "validate")
    assert result.returncode == 0, result.stderr
    result = _run(base, "log")
    assert result.returncode == 0, result.stderr


def test_a_hostile_history_cache_is_recomputed(base: Path) -> None:
    assert _run(base, "log").returncode == 0  # every document: one cached history pass
    history = base / ".cxlib" / "history.json"
    assert history.is_file()
    history.write_bytes(b'{"key": {"head": 5}, "docs": {"x": {"bad": 1}}}')
    result = _run(base, "log", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"created_by": "Test Owner"' in result.stdout


@pytest.mark.parametrize(
    "content",
    [b"[" * 200_000, b'{"stamp": 1e400}\n{}', b'{"stamp": "x", "files": 3}\n[]', b"\xff\xfe"],
)
def test_a_hostile_manifest_means_a_rebuild(base: Path, content: bytes) -> None:
    assert _run(base, "index").returncode == 0
    (index_home(base) / "index" / "cxlib-manifest.json").write_bytes(content)
    result = _run(base, "search", "free shipping", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "rebuilt the search index" in result.stderr


def test_read_bytes_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    target = tmp_path / "real.json"
    target.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert cachefile.read_bytes(target) == b"{}"
    assert cachefile.read_bytes(link) is None
    assert cachefile.read_bytes(tmp_path) is None
    assert cachefile.read_bytes(tmp_path / "missing.json") is None
    assert cachefile.read_bytes(target, limit=1) is None


def test_write_text_is_atomic_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "cache.json"
    assert cachefile.write_text(target, "[1]")
    assert target.read_text() == "[1]"
    assert cachefile.write_text(target, "[2]")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.json"]
    assert not cachefile.write_text(tmp_path / "missing" / "cache.json", "[3]")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.json"]
