"""Every scan over user text is linear: time each pathological input at 1 MB and 2 MB.

    python bench/bench_scans.py [--runs R]

Each row is one input built to make a backtracking pattern retry from every character (many
unclosed ``<!--``, many unclosed ``[[A-1|``, a heading line of 2 MB, 500,000 headings, one long
word in a report cell, and for the personal-data guard: runs of ``@``, digits, IBAN starts,
street words and house numbers, denied first names, allowed strings), run through what reads
it: the document parser and the search record builder, the HTML report's cell formatter, or the
guard's scanner. Targets: 2 MB under 1 s, and the 2 MB time under
3x the 1 MB time (twice the text, about twice the time).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from cxlib.index.records import build_record
from cxlib.kb.parse import parse_bytes
from cxlib.kb.tuning import collector_paused
from cxlib.model.kinds import Kind
from cxlib.model.personal_data import Scanner
from cxlib.reports import html

HEAD = b"---\nid: INS-0001\ntitle: T\nstatus: draft\ncreated: 2025-01-10\n---\n"
TARGET_SECONDS = 1.0
TARGET_RATIO = 3.0


def parse_and_index(raw: bytes) -> None:
    build_record("insights/INS-0001-x.md", Kind.INSIGHT, raw, parse_bytes(raw))


def report_cell(raw: bytes) -> None:
    html._cell(raw.decode())


# The personal-data guard as validate runs it: with a deny list and an allow list, the
# collector paused (a pathological text has hundreds of thousands of matches).
GUARD = Scanner(deny=("Jane Doe", "Jörg Müller"), allow=("support@example.com",))


def personal_data(raw: bytes) -> None:
    with collector_paused():
        GUARD.scan(raw.decode())


CASES: dict[str, tuple[Callable[[bytes], None], Callable[[int], bytes]]] = {
    "unclosed <!-- comments": (parse_and_index, lambda n: HEAD + b"<!--" * (n // 4)),
    "unclosed [[A-1| links": (parse_and_index, lambda n: HEAD + b"[[A-1|" * (n // 6)),
    "one heading line": (parse_and_index, lambda n: HEAD + b"# " + b"#" * n + b"x\n"),
    "many headings": (parse_and_index, lambda n: HEAD + b"# h\n" * (n // 4)),
    "many fences": (parse_and_index, lambda n: HEAD + b"```\n" * (n // 4)),
    "long word in a report cell": (report_cell, lambda n: b"x" * n),
    "personal: many @": (personal_data, lambda n: b"@" * n),
    "personal: long local parts": (personal_data, lambda n: (b"a" * 60 + b"@") * (n // 61)),
    "personal: dotted domains": (personal_data, lambda n: b"a.b@c." * (n // 6)),
    "personal: one long number": (personal_data, lambda n: b"1 " * (n // 2)),
    "personal: digits": (personal_data, lambda n: b"0" * n),
    "personal: IBAN starts": (personal_data, lambda n: b"DE89 " * (n // 5)),
    "personal: street numbers": (personal_data, lambda n: b"Lindenweg 7 " * (n // 12)),
    "personal: numbers then words": (personal_data, lambda n: b"12 Aa " * (n // 6)),
    "personal: denied first names": (personal_data, lambda n: b"jane " * (n // 5)),
    "personal: allowed strings": (personal_data, lambda n: b"support@example.com " * (n // 20)),
}


def best_of(runs: int, work: Callable[[bytes], None], data: bytes) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work(data)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (the best counts)")
    args = parser.parse_args()
    print(f"{'input':30} {'1 MB':>8} {'2 MB':>8} {'ratio':>6}   target: 2 MB < 1 s, ratio < 3")
    missed = 0
    for name, (work, make) in CASES.items():
        one = best_of(args.runs, work, make(1_000_000))
        two = best_of(args.runs, work, make(2_000_000))
        ratio = two / one if one else 0.0
        ok = two < TARGET_SECONDS and ratio < TARGET_RATIO
        missed += not ok
        print(f"{name:30} {one:7.3f}s {two:7.3f}s {ratio:6.2f}   {'ok' if ok else 'MISSED'}")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
