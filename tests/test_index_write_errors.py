"""When the file system refuses the search index (no space, a folder where a file goes), search
and index say so and exit 2; the documents are untouched and validate does not care."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, cx, snapshot

from cxlib.index.location import index_home


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns(".cxlib"))
    return root


def _limited(root: Path, *args: str, max_bytes: int) -> subprocess.CompletedProcess[str]:
    """The CLI with the kernel refusing to write past ``max_bytes`` in any file (EFBIG): a real
    write failure, as a full disk gives one."""

    def limit() -> None:  # pragma: no cover - runs in the child
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return subprocess.run(
        [sys.executable, "-m", "cxlib", "-C", str(root), *args],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        check=False,
    )


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="POSIX resource limits")
def test_a_write_failure_while_indexing_is_exit_2(base: Path) -> None:
    before = snapshot(base)
    for args in (["index", "--rebuild"], ["search", "free shipping"]):
        result = _limited(base, *args, max_bytes=2048)
        assert result.returncode == 2, (args, result.stderr)
        assert "cannot write the search index" in result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert snapshot(base) == before
    assert cx("-C", base, "validate").exit_code == 0


def test_a_folder_where_the_lock_file_goes_is_exit_2(base: Path) -> None:
    (index_home(base) / "index.lock").mkdir(parents=True)
    result = cx("-C", base, "search", "free shipping")
    assert result.exit_code == 2, result.output
    assert "cannot write the search index" in result.stderr
    os.rmdir(index_home(base) / "index.lock")
    assert cx("-C", base, "search", "free shipping").exit_code == 0
