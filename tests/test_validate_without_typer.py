"""``cxlib validate`` is run without typer when its command line is plain (the hook's, on every
commit): each such line must answer exactly as the typer command does — stdout, stderr and exit
code — and any other line must still reach typer."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import example_copy, write
from tests.plain_lines import console, in_process, loaded, typer_loaded

FILE = "insights/INS-0901-broken.md"


@pytest.fixture
def base(tmp_path: Path) -> Path:
    root = example_copy(tmp_path / "kb")
    write(root, FILE, "---\nid: INS-0901\ntitle: T\nstatus: draft\ncolour: red\n---\n")
    write(root, "insights/INS-0902-yaml.md", "---\nid: [\n---\n")
    (tmp_path / "empty").mkdir()
    return root


CASES = [
    ["validate"],
    ["validate", "--format", "json"],
    ["validate", "-f", "github"],
    ["validate", "--strict", "--format=json"],
    ["validate", "--no-cache"],
    ["validate", FILE],
    ["validate", FILE, "--format=json", "--strict"],
    ["validate", "insights"],
    ["validate", "insights/INS-0999-none.md"],
    ["--today", "2031-01-01", "validate"],
    ["--color", "always", "validate", FILE],
    ["validate", FILE, "-C", "{kb}"],
    ["-C", "{empty}", "validate"],
    # Left to typer by the plain reading, and answered as before:
    ["--today", "2031-02-30", "validate"],
    ["validate", "--format", "yaml"],
    ["--color", "blue", "validate"],
    ["validate", "--help"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) for c in CASES])
def test_a_validate_line_answers_as_the_typer_command(base: Path, args: list[str]) -> None:
    argv = [
        a.replace("{kb}", str(base)).replace("{empty}", str(base.parent / "empty")) for a in args
    ]
    answer = console(argv, cwd=base)
    assert answer == in_process(argv, cwd=base)
    assert "Traceback" not in answer[2]


def test_the_output_format_from_the_environment(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer = console(["validate"], cwd=base, env={"CXLIB_OUTPUT_FORMAT": "json"})
    monkeypatch.setenv("CXLIB_OUTPUT_FORMAT", "json")
    assert answer == in_process(["validate"], cwd=base)
    assert answer[1].lstrip().startswith("{")


def test_the_hook_s_line_never_loads_typer(base: Path) -> None:
    code, modules = loaded(["validate", FILE], cwd=base)
    assert code == 1
    assert "cxlib.ops.validate" in modules
    assert not typer_loaded(modules)
