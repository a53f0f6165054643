"""whoosh loaded without the network, async and word-form modules it imports and never uses
(``index/backend.py``): a search works without them, and what stood in for them still does
what whoosh asks of it."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from tests.conftest import EXAMPLE
from tests.plain_lines import loaded

SRC = Path(__file__).resolve().parents[1] / "src" / "cxlib"
# What whoosh.compat (urllib.request), cached_property (asyncio) and whoosh.query (English word
# forms) would load.
UNUSED = (
    "urllib.request",
    "http.client",
    "email",
    "ssl",
    "socket",
    "asyncio",
    "whoosh.lang.morph_en",
)


def _run(code: str, cwd: Path | None = None) -> str:
    # A new interpreter: in this one, other tests may have loaded the modules already.
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=cwd
    )
    return done.stdout


def test_a_search_loads_none_of_them(tmp_path: Path) -> None:
    base = tmp_path / "northwind"
    shutil.copytree(EXAMPLE, base)
    # The first search validates the config (pydantic's plugin loader reads package metadata,
    # which loads email and socket) and builds the index; the second is the everyday one.
    assert loaded(["search", "checkout"], base)[0] == 0
    code, modules = loaded(["search", "checkout"], base)
    assert code == 0  # hits found, as with them
    assert "whoosh.searching" in modules
    assert [m for m in UNUSED if m in modules] == []


def test_what_stood_in_still_works_and_the_real_modules_load_after(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("copied through the stand-in")
    out = _run(
        "import sys\n"
        "import cxlib.index.store, cached_property, whoosh.compat\n"
        "print('asyncio' in sys.modules, 'urllib.request' in sys.modules)\n"
        "async def coroutine(): pass\n"
        "def plain(): pass\n"
        "check = cached_property.asyncio.iscoroutinefunction\n"
        "print(check(coroutine), check(plain))\n"
        f"whoosh.compat.urlretrieve({source.as_uri()!r}, {str(tmp_path / 'b.txt')!r})\n"
        "import urllib.request, asyncio\n"
        "print(hasattr(urllib.request, 'urlopen'), hasattr(asyncio, 'run'))\n"
        "from whoosh.query.terms import variations\n"
        "print('whoosh.lang.morph_en' in sys.modules, 'ship' in variations('shipping'))\n"
        "import whoosh.lang.morph_en\n"
        "print(hasattr(whoosh.lang.morph_en, 'rules'))\n"
    )
    assert out.split() == [
        "False",
        "False",
        "True",
        "False",
        "True",
        "True",
        "False",
        "True",
        "True",
    ]
    assert (tmp_path / "b.txt").read_text() == "copied through the stand-in"


def _first_line(
    tree: ast.Module, wanted: Callable[[ast.Import | ast.ImportFrom], bool]
) -> int | None:
    lines = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom) and wanted(node)
    ]
    return min(lines, default=None)


def _whoosh_submodule(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] == "whoosh"
    return any(a.name.startswith("whoosh.") for a in node.names)


def _backend(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        names = {a.name for a in node.names}
        return node.module == "cxlib.index.backend" or (
            node.module == "cxlib.index" and "backend" in names
        )
    return any(a.name == "cxlib.index.backend" for a in node.names)


def test_every_module_that_imports_whoosh_loads_the_backend_first() -> None:
    # Whichever of them is imported first decides how whoosh.compat loads.
    checked = 0
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text())
        whoosh = _first_line(tree, _whoosh_submodule)
        if whoosh is None or path.name == "backend.py":
            continue
        backend = _first_line(tree, _backend)
        assert backend is not None and backend < whoosh, path.relative_to(SRC)
        checked += 1
    assert checked >= 3  # schema, query, store
