"""When the file system refuses the search index (no space, a folder where a file goes), search
and index say so and exit 2; the documents are untouched and validate does not care."""

from __future__ import annotations

import os
import resource
from pathlib import Path

import pytest
from tests.conftest import cx, snapshot
from tests.processes import limited

from cxlib.index.location import index_home


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="POSIX resource limits")
def test_a_write_failure_while_indexing_is_exit_2(base: Path) -> None:
    before = snapshot(base)
    for args in (["index", "--rebuild"], ["search", "free shipping"]):
        code, _, err = limited(base, *args, max_bytes=2048)
        assert code == 2, (args, err)
        assert "cannot write the search index" in err
        assert "Traceback" not in err and "internal error" not in err
    assert snapshot(base) == before
    assert cx("-C", base, "validate").exit_code == 0


def test_a_folder_where_the_lock_file_goes_is_exit_2(base: Path) -> None:
    (index_home(base) / "index.lock").mkdir(parents=True)
    result = cx("-C", base, "search", "free shipping")
    assert result.exit_code == 2, result.output
    assert "cannot write the search index" in result.stderr
    os.rmdir(index_home(base) / "index.lock")
    assert cx("-C", base, "search", "free shipping").exit_code == 0
