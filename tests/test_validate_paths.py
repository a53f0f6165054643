"""What ``validate PATHS`` names: files, folders, and paths that name nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from tests.conftest import cx


def test_a_missing_path_is_an_error(base: Path) -> None:
    result = cx("validate", "insights/INS-9999-typo.md", cwd=base)
    assert result.exit_code == 2
    assert "insights/INS-9999-typo.md: No such file or directory" in result.stderr


def test_a_folder_names_the_documents_in_it(base: Path) -> None:
    result = cx("validate", "insights", cwd=base)
    assert result.exit_code == 0, result.output
    count = len(list((base / "insights").glob("*.md")))
    assert f"checked {count} of 47 documents" in result.stderr
    everything = cx("validate", ".", cwd=base)
    assert "checked 47 documents" in everything.stderr


def test_a_finding_inside_a_named_folder_is_reported(base: Path) -> None:
    doc = base / "insights/INS-0002-shipping-costs-surface-too-late.md"
    doc.write_text(doc.read_text().replace("status: validated", "status: done"))
    result = cx("validate", "insights", cwd=base)
    assert result.exit_code == 1
    assert "INS-0002-shipping-costs-surface-too-late.md:" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_a_fifo_is_an_error_and_never_blocks(base: Path) -> None:
    os.mkfifo(base / "insights/INS-0099-pipe.md")
    result = cx("validate", "insights/INS-0099-pipe.md", cwd=base)
    assert result.exit_code == 2
    assert "not a regular file" in result.stderr
