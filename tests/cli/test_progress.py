"""Long work shows that it is under way: a progress bar on a terminal, one line elsewhere."""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import example_copy

from cxlib.cli.output import Output


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a pseudo-terminal")
def test_the_first_search_on_a_terminal_shows_a_progress_bar(tmp_path: Path) -> None:
    base = tmp_path / "northwind"
    example_copy(base)
    main, terminal = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {
        "TERM": "xterm-256color",
        "COLUMNS": "100",
    }
    done = subprocess.run(
        [sys.executable, "-m", "cxlib", "-C", str(base), "search", "shipping"],
        stdout=subprocess.PIPE,
        stderr=terminal,
        env=env,
        timeout=120,
        check=False,
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # EIO: the terminal is closed and drained
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    assert done.returncode == 0, shown
    assert b"indexing" in shown
    assert b"SHIPPING" in done.stdout.upper()  # the answer itself went to stdout, not the bar


def test_elsewhere_a_long_indexing_is_said_once_when_it_starts() -> None:
    err = io.StringIO()
    with Output(err=err).progress("indexing", announce=1000) as progress:
        assert progress is not None
        for done in range(0, 6000, 100):
            progress(done, 6000)
    assert err.getvalue() == "indexing 6,000 documents ...\n"


def test_short_work_elsewhere_says_nothing() -> None:
    err = io.StringIO()
    with Output(err=err).progress("indexing", announce=1000) as progress:
        assert progress is not None
        progress(0, 40)
    with Output(err=err).progress("validating") as progress:
        assert progress is None
    assert err.getvalue() == ""
