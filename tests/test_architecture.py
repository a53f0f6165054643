"""The shape of the code: dependencies point inward; heavy imports stay out of start-up."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from tests.plain_lines import loaded as console_loaded

SRC = Path(__file__).resolve().parents[1] / "src" / "cxlib"
# query/ is pure (a grammar and predicates over plain data) and sits with model/; site/ and
# importers/ are use cases, beside ops/.
LAYERS = {
    "model": 0,
    "query": 0,
    "kb": 1,
    "index": 1,
    "reports": 1,
    "ops": 2,
    "site": 2,
    "importers": 2,
    "cli": 3,
}
# Exactly one module may import each I/O library.
OWNERS = {
    "git": "kb/git.py",
    "whoosh": "index/",
    "yaml": ("kb/yaml_strict.py", "kb/yaml_write.py"),
    "frontmatter": "importers/markdown.py",
    "typer": "cli/",
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


MODULES = sorted(p for p in SRC.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(SRC).as_posix())
def test_dependencies_point_inward(path: Path) -> None:
    rel = path.relative_to(SRC).as_posix()
    layer = rel.split("/")[0]
    if layer not in LAYERS:
        return
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "cxlib" and len(parts) > 1 and parts[1] in LAYERS:
            assert LAYERS[parts[1]] <= LAYERS[layer], f"{rel} imports {name}"
            if layer in {"kb", "index", "reports"} and parts[1] != layer:
                assert parts[1] in ("model", "query"), f"{rel} imports {name}"


@pytest.mark.parametrize("library, owner", OWNERS.items())
def test_each_io_library_has_one_home(library: str, owner: object) -> None:
    users = [
        p.relative_to(SRC).as_posix()
        for p in MODULES
        if any(n == library or n.startswith(library + ".") for n in _imports(p))
    ]
    if owner is None:
        assert users == []
        return
    allowed = owner if isinstance(owner, tuple) else (owner,)
    assert all(u.startswith(allowed) for u in users), users


def test_operations_reach_the_index_only_through_its_service() -> None:
    """ops see the index's service, result and error types, never the backend modules (schema,
    query, store), so the backend can be swapped by replacing those alone."""
    allowed = {"cxlib.index.service", "cxlib.index.results", "cxlib.index.errors"}
    for path in sorted((SRC / "ops").glob("*.py")):
        used = set()
        for node in ast.walk(ast.parse(path.read_text())):
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            if module == "cxlib.index":
                used.update(f"cxlib.index.{a.name}" for a in node.names)  # type: ignore[attr-defined]
            elif module.startswith("cxlib.index."):
                used.add(module)
            elif isinstance(node, ast.Import):
                used.update(a.name for a in node.names if a.name.startswith("cxlib.index"))
        assert used <= allowed, (path.name, used - allowed)


# Libraries too heavy for start-up: each costs tens of milliseconds on every command.
HEAVY = (
    "pydantic",
    "yaml",
    "git",
    "whoosh",
    "markdown_it",
    "rich.markdown",
    "rich.prompt",
    "statistics",
    "multiprocessing",
)
# What the pre-commit hook (validate of one file) never needs.
NOT_IN_THE_HOOK = ("git", "whoosh", "markdown_it", "rich.markdown", "rich.prompt")
# ... and, once the config and the file were validated before, what their validation needs.
WARM_HOOK = ("pydantic", "yaml", "frontmatter")
# Modules a warm hook on an experiment has no use for, each a millisecond or more of its
# start-up: it writes no cache (tempfile), prints no CSV, no HTML, moves no review date, weighs
# no insight's standing.
WARM_HOOK_UNUSED = ("tempfile", "csv", "html", "calendar", "cxlib.model.standing")


def _loaded(args: list[str], watched: tuple[str, ...], cwd: Path | None = None) -> list[str]:
    """Which of ``watched`` a run of ``args`` through typer's application loads."""
    code = (
        "import sys\nfrom cxlib.cli.main import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print('LOADED:' + ' '.join(m for m in {watched!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd
    )
    loaded = next(line for line in out.stdout.splitlines() if line.startswith("LOADED:"))
    return loaded.removeprefix("LOADED:").split()


def test_help_does_not_import_heavy_libraries() -> None:
    assert _loaded(["--help"], HEAVY) == []


def test_validating_one_file_imports_only_what_it_needs(tmp_path: Path) -> None:
    import shutil

    from tests.conftest import EXAMPLE

    base = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, base)
    one = next((base / "experiments").glob("EXP-0003-*.md")).relative_to(base).as_posix()
    assert _loaded(["validate", one], NOT_IN_THE_HOOK, cwd=base) == []
    # Warm (the config validated before, the file unchanged), not even the validators load.
    assert _loaded(["validate", one], NOT_IN_THE_HOOK + WARM_HOOK, cwd=base) == []
    # As pre-commit runs it: by the console, where a plain validate line never reaches typer.
    code, modules = console_loaded(["validate", one], base)
    assert code == 0
    warm = NOT_IN_THE_HOOK + WARM_HOOK + WARM_HOOK_UNUSED
    assert [m for m in warm if m in modules] == []


def test_every_file_architecture_names_exists() -> None:
    # ARCHITECTURE.md is where a newcomer starts: a module it names must be there to be found.
    # Names are relative to the package (``kb/store.py``) or to the repository (``tests/...``).
    import re

    repo = SRC.parents[1]
    text = (repo / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = {
        name
        for name in re.findall(r"`([^`\s<]+\.(?:py|md)|[a-z_]+/)`", text)
        if not name.startswith(".")
    }
    assert len(named) > 40  # the pattern still finds the file names
    missing = sorted(n for n in named if not (SRC / n).exists() and not (repo / n).exists())
    assert missing == []
