"""A cold ``validate`` against the code its target was set on, the two run in turn.

The target is "no slower than that code" (``bench_cli.COLD_BASELINE``, the tree before the core
was reshaped): its 3.4 s is what it took on the day the target was set, and the same code took
4.0 to 5.8 s on this 2-CPU machine on other days. A fixed number cannot tell a slower tree from
a slower hour; runs in turn can: each pair is run back to back (in alternating order), both trees
on the same base, and the figure is the median of the pair-by-pair ratios.

That code refuses the config of today's generated base, so the base is made by its own
``bench/corpus.py``. Its generator wrote none of the research notes its insights cite as
evidence; a later rule checks that the files a document names exist, so they are written here,
and both trees check the same documents without an error. This tree still reports warnings
from rules the baseline lacks (and does their work): the comparison is, if anything, unfair to
this tree.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from bench_cli import BENCH, OUT, Runs, Turn, clean_env, drop_cache, in_turn

REPO = BENCH.parent
# What the baseline's generator needs of its tree, besides the package it benchmarks.
_TREE_PATHS = ("src", "bench/corpus.py", "examples/northwind/cxlib.toml")
# An evidence item of the baseline's generated insights: "  - research/2021/discover-354.md".
_CITED = re.compile(r"^  - (research/[\w/.-]+\.md)$", re.M)


def _git(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, check=False)


def baseline_tree(rev: str) -> Path | str:
    """The baseline's files under ``bench/out/`` (extracted once), or why they cannot be."""
    found = _git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if found.returncode != 0:
        return f"{rev} is not a commit of this repository (a shallow clone?)"
    full = found.stdout.decode().strip()
    tree = OUT / f"baseline-{full[:12]}"
    if (tree / "src" / "cxlib").is_dir():
        return tree
    archive = _git("archive", "--format=tar", full, *_TREE_PATHS)
    if archive.returncode != 0:
        return f"git archive {rev}: {archive.stderr.decode(errors='replace').strip()}"
    partial = tree.with_name(tree.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)  # only ever a folder this script made
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(partial, filter="data")
    # Compiled now, as this tree's modules are: neither run pays for compiling.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(partial / "src")], env=env)
    partial.rename(tree)
    return tree


def baseline_base(tree: Path, docs: int, seed: int) -> Path:
    """The base the baseline's own generator makes, with the research notes it cites."""
    kb = OUT / f"{tree.name}-kb-{docs}-seed{seed}"
    if (kb / "cxlib.toml").is_file():
        return kb
    partial = kb.with_name(kb.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    print(f"generating {docs} documents with {tree.name}'s corpus.py ...", flush=True)
    generator = [sys.executable, str(tree / "bench" / "corpus.py"), str(partial)]
    subprocess.run(
        [*generator, "--docs", str(docs), "--seed", str(seed)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    for doc in (partial / "insights").glob("*.md"):
        for cited in _CITED.findall(doc.read_text(encoding="utf-8")):
            note = partial / cited
            note.parent.mkdir(parents=True, exist_ok=True)
            note.write_text(f"# Research note\n\nCited by {doc.name}.\n", encoding="utf-8")
    partial.rename(kb)
    return kb


def cold_in_turn(rev: str, docs: int, seed: int, pairs: int) -> tuple[Runs, Runs, Path] | str:
    """This tree's cold validates and the baseline's, run in turn on the baseline's base, and
    that base; or why they cannot be run."""
    tree = baseline_tree(rev)
    if isinstance(tree, str):
        return tree
    kb = baseline_base(tree, docs, seed)
    command = [sys.executable, "-m", "cxlib", "validate"]

    def turn(src: Path) -> Turn:
        env = {**clean_env(), "PYTHONPATH": str(src)}
        return Turn(command, kb, env, before=lambda: drop_cache(kb))

    this, baseline = in_turn([turn(REPO / "src"), turn(tree / "src")], pairs)
    drop_cache(kb)
    return this, baseline, kb
