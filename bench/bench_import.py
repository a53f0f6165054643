"""Time ``cxlib import growthbook`` of 5,000 experiments saved as 50 pages of 100.

    python bench/bench_import.py [--experiments N] [--runs R]

Each run imports the pages into a new knowledge base made by ``cxlib init`` (with the
example's config and an ``[import.metrics]`` table), as a new process: start-up, reading and
mapping the pages, the id reservation, rendering and validating every document and writing
them all count. The pages are shaped like GrowthBook's ``GET /api/v1/experiments`` responses
(the fixture ``tests/fixtures/import/growthbook/experiments-page-1.json`` gives the shape); a
fifth are stopped with a result summary, the rest running or draft.

| figure | target |
| --- | --- |
| ``cxlib import growthbook`` of 5,000 experiments in 50 pages | < 30 s |
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_cli  # bench/ is sys.path[0] when this file is run as a script

ROOT = Path(__file__).resolve().parents[1]
SHAPE = ROOT / "tests" / "fixtures" / "import" / "growthbook" / "experiments-page-1.json"
EXAMPLE_CONFIG = ROOT / "examples" / "northwind" / "cxlib.toml"
TARGET = 30.0  # seconds
PAGE = 100
WORDS = [
    "cart",
    "checkout",
    "banner",
    "shipping",
    "size",
    "finder",
    "review",
    "delivery",
    "date",
    "chat",
    "points",
]


def pages(count: int, seed: int = 7) -> list[dict[str, object]]:
    """``count`` experiments as pages of at most 100, each experiment a copy of the fixture's
    stopped one with its own id, name, dates and summary."""
    rng = random.Random(seed)
    model = json.loads(SHAPE.read_text())["experiments"][0]
    out: list[dict[str, object]] = []
    experiments = []
    for n in range(count):
        exp = copy.deepcopy(model)
        exp["id"] = f"exp_{n:05d}"
        exp["trackingKey"] = f"tk-{n:05d}"
        exp["name"] = " ".join(rng.sample(WORDS, 4)).capitalize() + f" test {n}"
        exp["status"] = rng.choice(["stopped", "running", "draft", "running", "draft"])
        if exp["status"] != "stopped":
            exp.pop("resultSummary", None)
        experiments.append(exp)
    for start in range(0, count, PAGE):
        chunk = experiments[start : start + PAGE]
        more = start + PAGE < count
        out.append(
            {
                "experiments": chunk,
                "limit": PAGE,
                "offset": start,
                "count": len(chunk),
                "total": count,
                "hasMore": more,
                "nextOffset": start + PAGE if more else None,
            }
        )
    return out


def one_run(cxlib: str, folder: Path, files: list[Path]) -> float:
    kb = folder / "kb"
    subprocess.run([cxlib, "init", str(kb)], check=True, capture_output=True)
    config = EXAMPLE_CONFIG.read_text()
    config += (
        '\n[import.metrics]\n"gb_met_conv" = "conversion-rate"\n"gb_met_returns" = "return-rate"\n'
    )
    (kb / "cxlib.toml").write_text(config)
    start = time.perf_counter()
    done = subprocess.run(
        [cxlib, "-C", str(kb), "import", "growthbook", *map(str, files)],
        capture_output=True,
        text=True,
        env=bench_cli.clean_env(),
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"error: the import failed ({done.returncode}): {done.stderr[-2000:]}")
    made = len(list((kb / "experiments").glob("EXP-*.md")))
    expected = int(done.stdout.rsplit("created ", 1)[1].split(",")[0])
    if made != expected:
        sys.exit(f"error: {made} files for {expected} created")
    shutil.rmtree(kb)
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time cxlib import growthbook.")
    parser.add_argument("--experiments", type=int, default=5_000, metavar="N")
    parser.add_argument("--runs", type=int, default=3, metavar="R")
    args = parser.parse_args(argv)
    cxlib = bench_cli.cxlib_command()
    with tempfile.TemporaryDirectory(prefix="cxlib-bench-import-") as tmp:
        folder = Path(tmp)
        files = []
        for i, page in enumerate(pages(args.experiments), 1):
            path = folder / f"page-{i:02d}.json"
            path.write_text(json.dumps(page))
            files.append(path)
        times = [one_run(cxlib, folder, files) for _ in range(args.runs)]
    median = statistics.median(times)
    verdict = "ok" if median < TARGET else "OVER"
    print(f"{args.experiments} GrowthBook experiments in {len(files)} pages, {args.runs} runs")
    print("| figure | median | target |\n| --- | --- | --- |")
    print(f"| cxlib import growthbook | {median:.2f} s | < {TARGET:.0f} s ({verdict}) |")
    return 0 if median < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
