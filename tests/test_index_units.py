"""The index's pure parts: date clauses, snippets, records and the manifest comparison."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from cxlib.index.errors import InvalidQueryError
from cxlib.index.manifest import RACY_NS, Manifest, compare
from cxlib.index.query import date_bounds
from cxlib.index.records import body_text, build_record
from cxlib.index.results import END, START, Snippet
from cxlib.kb.parse import parse_bytes
from cxlib.model.kinds import Kind

D = dt.date


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        ("2025", (D(2025, 1, 1), D(2025, 12, 31))),
        ("2024-02", (D(2024, 2, 1), D(2024, 2, 29))),
        ("2025-03-07", (D(2025, 3, 7), D(2025, 3, 7))),
        (">2025-03-07", (D(2025, 3, 8), None)),
        (">=2025-03", (D(2025, 3, 1), None)),
        ("=>2025", (D(2025, 1, 1), None)),
        ("<2025-03", (None, D(2025, 2, 28))),
        ("<=2025-03", (None, D(2025, 3, 31))),
        (">2025", (D(2026, 1, 1), None)),
        ("[2025-01-01 TO 2025-06-30]", (D(2025, 1, 1), D(2025, 6, 30))),
        ("[2025 to 2025-02]", (D(2025, 1, 1), D(2025, 2, 28))),
        ("[2025-04 TO]", (D(2025, 4, 1), None)),
        ("[TO 2024]", (None, D(2024, 12, 31))),
    ],
)
def test_date_bounds(value: str, bounds: tuple[D | None, D | None]) -> None:
    assert date_bounds("created", value) == bounds


@pytest.mark.parametrize(
    "value", ["yesterday", "2025-02-30", "25-01-01", "[2025 2026]", "{2025 TO 2026}", "[TO]", ">"]
)
def test_bad_dates_are_refused(value: str) -> None:
    with pytest.raises(InvalidQueryError) as caught:
        date_bounds("start", value)
    assert caught.value.message.startswith(f"start:{value}")
    assert caught.value.hint and "2025-03-01" in caught.value.hint


def test_snippet_offsets_and_merged_neighbours() -> None:
    marked = f"the  {START}free{END} {START}shipping{END}\nbanner {START}ship{END}"
    snippet = Snippet.from_marked(marked)
    assert snippet.text == "the free shipping banner ship"
    assert [snippet.text[a:b] for a, b in snippet.matches] == ["free shipping", "ship"]
    assert snippet.marked("[", "]") == "the [free shipping] banner [ship]"


def test_record_from_a_document_and_from_a_broken_one() -> None:
    raw = (
        b"---\nid: EXP-0007\ntitle: Banner\nstatus: concluded\ncreated: 2025-01-02\n"
        b"tags: [cart, Free Shipping]\nprimary_metric: conversion-rate\n"
        b"guardrail_metrics: [aov]\nresult:\n  outcome: lost\nend: not-a-date\n"
        b"opportunity: OPP-0001\n---\n\n## Learnings\n\n<!-- guidance -->\nSee [[INS-0002]].\n"
    )
    record = build_record("experiments/EXP-0007-banner.md", Kind.EXPERIMENT, raw, parse_bytes(raw))
    assert (record.id, record.title, record.status, record.outcome) == (
        "EXP-0007",
        "Banner",
        "concluded",
        "lost",
    )
    assert record.tags == ["cart", "Free Shipping"]
    assert record.metrics == ["conversion-rate", "aov"]
    assert record.links == ["INS-0002", "OPP-0001"]
    assert record.dates == {"created": D(2025, 1, 2)}  # the bad end date is left out
    assert "guidance" not in record.body and "See [[INS-0002]]" in record.body
    broken = b"no front-matter at all, just zeppelin text\n"
    record = build_record("insights/INS-0009-x.md", Kind.INSIGHT, broken, parse_bytes(broken))
    assert record.id == "INS-0009" and "zeppelin" in record.body
    assert body_text(raw).split() == ["Learnings", "See", "[[INS-0002]]."]


@dataclass(frozen=True)
class F:
    path: str
    kind: Kind
    size: int
    mtime_ns: int
    inode: int
    ctime_ns: int = 0


def test_compare_trusts_old_signatures_and_reads_the_rest(tmp_path: Path) -> None:
    contents = {"a.md": b"alpha", "b.md": b"beta", "c.md": b"gamma"}
    now = 10 * RACY_NS
    old = now - 5 * RACY_NS
    listing = [F(p, Kind.INSIGHT, len(b), old, i) for i, (p, b) in enumerate(contents.items())]
    manifest = Manifest(stamp="s")
    for f in listing:
        manifest.record(f, contents[f.path], now)
    manifest.seal(now)
    reads: list[str] = []

    def read(path: str) -> bytes:
        reads.append(path)
        return contents[path]

    assert not compare(listing, manifest, read).needs_manifest
    assert reads == []  # the listing digest alone answers
    touched = F("a.md", Kind.INSIGHT, 5, old + 1, 0)
    contents["b.md"] = b"BETA"
    changed = F("b.md", Kind.INSIGHT, 4, old + 2, 1)
    new = F("d.md", Kind.INSIGHT, 1, old, 3)
    contents["d.md"] = b"d"
    changes = compare([touched, changed, new], manifest, read)
    assert [f.path for f in changes.touched] == ["a.md"]
    assert [f.path for f in changes.changed] == ["b.md"]
    assert [f.path for f in changes.added] == ["d.md"]
    assert changes.removed == ["c.md"]
    assert sorted(reads) == ["a.md", "b.md"]  # the trusted and the new are not read
    manifest.save(tmp_path)
    again = Manifest.load(tmp_path, entries=True)
    assert again is not None and again.entries == manifest.entries
