"""``cxlib search`` is run without typer when its command line is plain: each such line must
answer exactly as the typer command does (stdout, stderr and exit code), and any other line must
still reach typer."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import cx, example_copy
from tests.plain_lines import console, in_process, loaded, typer_loaded


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return example_copy(tmp_path_factory.mktemp("search") / "kb")


CASES = [
    ["search", "free", "shipping"],
    ["search", "shipping", "--format", "json"],
    ["search", "--kind", "experiment", "shipping", "-f", "json", "--limit=2"],
    ["search", "shipping", "--kind", "insights", "--timeout", "5"],
    ["search", "kind:experiment", "outcome:lost"],
    ["search", "zzzunmatched"],  # nothing matches: exit 1
    ["search", "status:nonsense"],  # an invalid query: exit 2
    ["search", "shipping", "--kind", "expriment"],  # an unknown kind
    ["--color", "always", "search", "shipping"],
    ["search", "shipping", "-C", "{kb}"],
    ["--today", "2031-01-01", "search", "returns"],
    # Left to typer by the plain reading, and answered as before:
    ["search"],
    ["search", "shipping", "--limit", "0"],
    ["search", "shipping", "-f=json"],
    ["search", "shipping", "--format", "csv"],
    ["search", "--help"],
    ["--color", "blue", "search", "shipping"],
]


@pytest.mark.parametrize("args", CASES, ids=[" ".join(c) for c in CASES])
def test_a_search_line_answers_as_the_typer_command(base: Path, args: list[str]) -> None:
    argv = [a.replace("{kb}", str(base)) for a in args]
    cx("-C", base, "index")  # the first search of a base says that it builds the index
    answer = console(argv, cwd=base)
    assert answer == in_process(argv, cwd=base)
    assert "Traceback" not in answer[2]


def test_a_plain_search_line_never_loads_typer(base: Path) -> None:
    code, modules = loaded(["search", "shipping"], cwd=base)
    assert code == 0
    assert "cxlib.ops.search" in modules
    assert not typer_loaded(modules)
