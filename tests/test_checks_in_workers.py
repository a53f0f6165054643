"""A cold whole-base validate parses and checks in worker processes (from
``PARSE_WORKERS_FROM`` files on two or more CPUs): its answer, and every answer after it from the
caches it filled, is the answer of the checks made in one process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import HOUR_AGO, ROOT, cx, write

from cxlib.kb.tuning import PARSE_WORKERS_FROM

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="forked parse workers: Linux with two or more CPUs",
)

# One document per kind of single-file finding, besides the generated ones.
BROKEN = {
    "insights/INS-9001-yaml.md": "---\nid: INS-9001\ntitle: [unclosed\n---\n",
    "insights/INS-9002-unknown.md": (
        "---\nid: INS-9002\ntitle: T\nstatus: draft\ncreated: 2024-01-01\ncolour: red\n---\n"
    ),
    "insights/INS-9003-missing.md": "---\nid: INS-9003\nstatus: draft\n---\n",
    "insights/INS-9004-personal.md": (
        "---\nid: INS-9004\ntitle: T\nstatus: draft\ncreated: 2024-01-01\n---\n\n"
        "## Summary\n\nCall Jane at jane.doe@example.com or +44 20 7946 0958.\n"
    ),
    "insights/INS-9005-mismatch.md": (
        "---\nid: INS-9006\ntitle: T\nstatus: draft\ncreated: 2024-01-01\n---\n"
    ),
    "experiments/EXP-9001-won-down.md": (
        "---\nid: EXP-9001\ntitle: T\nstatus: concluded\ncreated: 2024-01-01\n"
        "result:\n  outcome: won\n  effect: -3\n---\n\n[[OPP-99999]]\n"
    ),
    "insights/INS-9007-control.md": '---\nid: INS-9007\ntitle: "a\\x1b"\n---\n',
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("workers") / "base"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "corpus.py"), str(out), "--docs", "900"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for rel, text in BROKEN.items():
        write(out, rel, text)
    for path in out.rglob("*.md"):  # outside the racy window: the caches' entries are used
        os.utime(path, (HOUR_AGO, HOUR_AGO))
    return out


def _validate(base: Path, *args: str) -> tuple[int, str]:
    result = cx("-C", base, "--today", "2025-07-01", "validate", "--format", "json", *args)
    return result.exit_code, result.stdout


def test_workers_check_as_one_process_does(generated: Path, tmp_path: Path) -> None:
    assert len(list(generated.glob("*/*.md"))) >= PARSE_WORKERS_FROM
    serial = _validate(generated, "--no-cache")
    assert serial[0] == 1 and '"code": "unknown-field"' in serial[1]
    cold = _validate(generated)
    assert cold == serial
    assert _validate(generated) == serial  # answered from what the cold run recorded
    facts = generated / ".cxlib" / "facts"
    assert len(list(facts.glob("*.json"))) > 1
    for rel in BROKEN:
        # Answered from the facts the workers recorded for the file.
        assert _validate(generated, rel) == _validate(generated, rel, "--no-cache"), rel
