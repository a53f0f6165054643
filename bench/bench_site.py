"""Wall-clock figures for ``cxlib site``: the example base, a generated 10,000-document base, and
a rebuild after one changed document.

    python bench/bench_site.py [--docs N] [--runs R] [--seed S] [--no-search]

Each figure is a new ``cxlib site`` process timed with ``time.perf_counter`` (start-up counts, as
it does for a user): the example (47 documents) built into a new folder, median of R runs, target
under 3 s; the generated base built into a new folder once (its parse cache warm: validate ran on
it before, as it does on every commit), target under 60 s; then one document's text changed and
the site built again into the same folder, target under 30 s (a rebuild must take "well under"
the first build's 60 s; half of it is the bar set here): only the pages that show the
document are rewritten (a manifest of page hashes in the folder says which changed) and the
Pagefind index is rebuilt. The generated base comes from ``bench/corpus.py`` into ``bench/out/``
(git-ignored) and is reused while the generator is unchanged.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import bench_cli  # bench/ is sys.path[0] when this file is run as a script

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
EXAMPLE = BENCH.parent / "examples" / "northwind"


def build(cxlib: str, kb: Path, site: Path, search: bool) -> tuple[float, str]:
    """Seconds one ``cxlib site`` took, and what it said."""
    cmd = [cxlib, "-C", str(kb), "site", "-o", str(site)] + ([] if search else ["--no-search"])
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=bench_cli.clean_env(), capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} exited {proc.returncode}\n{proc.stderr}")
    return took, proc.stderr.strip().splitlines()[0]


def row(name: str, seconds: list[float], target: float) -> str:
    med = statistics.median(seconds)
    verdict = "PASS" if med < target else "MISS"
    return f"{name:<52} {med:>8.2f} {min(seconds):>8.2f} {'< ' + str(target) + ' s':>9}  {verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-search", action="store_true", help="time the pages alone")
    args = parser.parse_args(argv)
    search = not args.no_search
    cxlib = bench_cli.cxlib_command()
    OUT.mkdir(parents=True, exist_ok=True)

    example = OUT / "site-example-kb"
    shutil.rmtree(example, ignore_errors=True)
    shutil.copytree(EXAMPLE, example, ignore=shutil.ignore_patterns(".cxlib"))
    small: list[float] = []
    for _ in range(args.runs):
        site = OUT / "site-example"
        shutil.rmtree(site, ignore_errors=True)
        small.append(build(cxlib, example, site, search)[0])

    kb = bench_cli.knowledge_base(args.docs, args.seed)
    bench_cli.settle(kb)
    subprocess.run([cxlib, "-C", str(kb), "validate"], capture_output=True, check=False)
    site = OUT / f"site-{args.docs}"
    shutil.rmtree(site, ignore_errors=True)
    print(f"building the site of {args.docs} documents ...", flush=True)
    cold, said = build(cxlib, kb, site, search)

    doc = bench_cli.document_files(kb)[len(bench_cli.document_files(kb)) // 2]
    original = doc.read_bytes()
    try:
        doc.write_bytes(original + b"\nOne more line of learnings, written for the benchmark.\n")
        again, said_again = build(cxlib, kb, site, search)
    finally:
        doc.write_bytes(original)

    print()
    print(
        f"cxlib site benchmark: the example and {args.docs} documents (seed {args.seed}), "
        f"search {'on (Pagefind)' if search else 'off'}"
    )
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs")
    print()
    print(f"{'figure':<52} {'median s':>8} {'min s':>8} {'target':>9}")
    print(row(f"example ({len(list(EXAMPLE.rglob('*.md')))} documents), new folder", small, 3.0))
    print(row(f"{args.docs} documents, new folder (once)", [cold], 60.0))
    # Pagefind has no incremental mode: its whole index is rebuilt (about 11 s at 10,000 pages).
    print(row(f"{args.docs} documents, one document changed (once)", [again], 30.0))
    print()
    print(f"first build: {said}")
    print(f"rebuild:     {said_again}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
