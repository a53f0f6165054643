"""Wall-clock figures for links, lifecycle edits, the link graph and renumbering on a generated
knowledge base (10,000 documents by default).

    python bench/bench_links.py [--docs N] [--runs R] [--seed S]

Same method as ``bench_cli.py`` (whose helpers it uses): the median of R runs, each a new process,
after one untimed warm-up run, on the base ``corpus.py`` generates under ``bench/out/``. Each
editing figure restores the file before every run, so every run makes the same edit (and, like a
user who just edited a file, re-reads that one file into the parse cache).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import bench_cli  # bench/ is sys.path[0] when this file is run as a script
from bench_cli import Figure, measure


def _pick(kb: Path, folder: str, pattern: str) -> Path:
    for path in sorted((kb / folder).glob("*.md")):
        if re.search(pattern, path.read_text(encoding="utf-8"), re.M):
            return path
    sys.exit(f"error: no document in {folder}/ matches {pattern!r}")


def _restoring(path: Path, content: bytes) -> bench_cli.Prepare:
    return lambda _run: path.write_bytes(content)


def edit_figures(cxlib: str, kb: Path, runs: int) -> list[Figure]:
    opportunity = _pick(kb, "opportunities", r"^insights: \[")
    text = opportunity.read_text(encoding="utf-8")
    insight = next(
        p.name[:8] for p in sorted((kb / "insights").glob("*.md")) if p.name[:8] not in text
    )
    opp_id = opportunity.name[:8]
    original = opportunity.read_bytes()
    experiment = _pick(kb, "experiments", r"^status: planned$")
    exp_original = experiment.read_bytes()
    try:
        figures = [
            measure(
                f"cxlib link {opp_id} {insight}",
                [cxlib, "link", opp_id, insight],
                kb,
                runs,
                1.0,
                prepare=_restoring(opportunity, original),
            )
        ]
        bench_cli.run_once([cxlib, "link", opp_id, insight], kb, bench_cli.clean_env())
        linked = opportunity.read_bytes()
        figures.append(
            measure(
                f"cxlib unlink {opp_id} {insight}",
                [cxlib, "unlink", opp_id, insight],
                kb,
                runs,
                1.0,
                prepare=_restoring(opportunity, linked),
            )
        )
        figures.append(
            measure(
                f"cxlib status {experiment.name[:8]} running",
                [cxlib, "--today", "2025-07-01", "status", experiment.name[:8], "running"],
                kb,
                runs,
                1.0,
                prepare=_restoring(experiment, exp_original),
                note="checks every rule on the result",
            )
        )
    finally:
        opportunity.write_bytes(original)
        experiment.write_bytes(exp_original)
    return figures


def read_figures(cxlib: str, kb: Path, runs: int) -> list[Figure]:
    bench_cli.settle(kb)
    some = sorted((kb / "experiments").glob("*.md"))[
        len(list((kb / "experiments").glob("*.md"))) // 2
    ]
    doc_id = some.name[:8]
    return [
        measure(
            f"cxlib graph {doc_id} (tree)",
            [cxlib, "graph", doc_id],
            kb,
            runs,
            note="backlinks need every document's links",
        ),
        measure(
            "cxlib graph --format mermaid (all)",
            [cxlib, "graph", "--format", "mermaid"],
            kb,
            runs,
            note="every document and link",
        ),
        measure("cxlib graph --format json (all)", [cxlib, "graph", "-f", "json"], kb, runs),
        measure(
            f"cxlib renumber {doc_id} --dry-run",
            [cxlib, "renumber", doc_id, "--dry-run"],
            kb,
            runs,
            note="reads every file for mentions",
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = bench_cli.corpus_parser("Time link/unlink/status/graph/renumber.")
    args = bench_cli.parse(parser, argv)
    cxlib = bench_cli.cxlib_command()
    kb = bench_cli.knowledge_base(args.docs, args.seed)
    bench_cli.settle(kb)
    measure("warm the parse cache", [cxlib, "validate"], kb, 1)
    rows: list[Figure | bench_cli.Ratio] = [
        measure("cxlib --version", [cxlib, "--version"], kb, args.runs, note="start-up floor"),
        measure(
            "cxlib validate (warm)",
            [cxlib, "validate"],
            kb,
            args.runs,
            note="reference: reads the whole parse cache, as graph does",
        ),
    ]
    rows += read_figures(cxlib, kb, args.runs)
    rows += edit_figures(cxlib, kb, args.runs)
    print()
    print(bench_cli.describe(cxlib, kb, args.docs, args.runs))
    print()
    bench_cli.print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
