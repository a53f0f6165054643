"""Documents deleted while a command runs (a checkout during a hook) are left out: never an
internal error. Real processes race a real writer; the test asserts that no run failed."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from tests.conftest import example_copy, write

DOC = """---
id: INS-{n:04d}
title: Fleeting note {n}
status: draft
created: 2025-01-10
---

## Summary

Here one moment, gone the next.
"""


def test_documents_that_come_and_go_never_crash_a_command(tmp_path: Path) -> None:
    base = tmp_path / "northwind"
    example_copy(base)
    paths = [base / f"insights/INS-{n:04d}-fleeting.md" for n in range(100, 160)]
    stop = threading.Event()

    def churn() -> None:
        # Delete and recreate the files as fast as the disk allows, until told to stop.
        while not stop.is_set():
            for n, path in enumerate(paths, start=100):
                path.unlink(missing_ok=True)
                write(base, path.relative_to(base).as_posix(), DOC.format(n=n))

    writer = threading.Thread(target=churn)
    writer.start()
    failures = []
    try:
        for args in [["validate"], ["validate", "--no-cache"], ["list"]] * 4:
            done = subprocess.run(
                [sys.executable, "-m", "cxlib", "-C", str(base), *args],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode not in (0, 1) or "internal error" in done.stderr:
                failures.append((args, done.returncode, done.stderr[-500:]))
    finally:
        stop.set()
        writer.join()
    assert failures == []
