"""search and similar on a real whoosh index on disk, over the example knowledge base.

The expected ids are computed from the files themselves (read with python-frontmatter, an
independent reader), so a query that returns one document too many or too few fails.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import frontmatter
import pytest
from tests.conftest import EXAMPLE, cx, example_copy

from cxlib.index.location import index_home

Doc = dict[str, Any]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the example base with its index built once (not a git repository)."""
    target = tmp_path_factory.mktemp("search") / "northwind"
    example_copy(target)
    built = cx("-C", target, "index")
    assert built.exit_code == 0, built.output
    assert "47 documents: +47 added" in built.stdout
    return target


@pytest.fixture(scope="module")
def docs() -> dict[str, Doc]:
    out = {}
    for path in sorted(EXAMPLE.glob("*/*.md")):
        post = frontmatter.load(path)
        out[post["id"]] = {**post.metadata, "kind": path.parent.name.rstrip("s"), "body": post}
    out_kinds = {d["kind"] for d in out.values()}
    assert out_kinds == {"insight", "opportunitie", "experiment"}
    for d in out.values():
        d["kind"] = {"opportunitie": "opportunity"}.get(d["kind"], d["kind"])
    return out


def ids(root: Path, *query: str, limit: int = 100) -> list[str]:
    result = cx("-C", root, "search", *query, "--limit", str(limit), "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return [hit["id"] for hit in result.json()]


def outcome(d: Doc) -> str | None:
    return (d.get("result") or {}).get("outcome")


def metrics(d: Doc) -> set[str]:
    return {d.get("primary_metric"), *d.get("guardrail_metrics", []), *d.get("kpis", [])} - {None}


def links(d: Doc) -> set[str]:
    found = {m.upper() for m in re.findall(r"\[\[([A-Za-z]+-\d+)\]\]", d["body"].content)}
    for name in ("opportunity", "insights", "follows", "evidence", "counter_evidence"):
        value = d.get(name)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and re.fullmatch(r"[A-Z]+-\d+", v):
                found.add(v)
    return found


FIELDED: list[tuple[str, Callable[[Doc], bool]]] = [
    ("kind:experiment outcome:lost", lambda d: d["kind"] == "experiment" and outcome(d) == "lost"),
    ("status:concluded", lambda d: d["status"] == "concluded"),
    (
        "kind:insight stage:purchase",
        lambda d: d["kind"] == "insight" and d.get("stage") == "purchase",
    ),
    ("tag:shipping", lambda d: "shipping" in d.get("tags", [])),
    ("owner:jonas", lambda d: "Jonas" in d.get("owner", "")),
    ('owner:"tomás ferreira"', lambda d: d.get("owner") == "Tomás Ferreira"),
    ("team:checkout", lambda d: d.get("team") == "checkout"),
    ("touchpoint:cart", lambda d: d.get("touchpoint") == "cart"),
    ("metric:conversion-rate", lambda d: "conversion-rate" in metrics(d)),
    ("primary:conversion-rate", lambda d: d.get("primary_metric") == "conversion-rate"),
    ("link:OPP-0001", lambda d: "OPP-0001" in links(d)),
    ("id:exp-0003", lambda d: d["id"] == "EXP-0003"),
    (
        "EXP-0003",  # the document, and those that link to it or name it in prose
        lambda d: (
            d["id"] == "EXP-0003" or "EXP-0003" in links(d) or "EXP-0003" in words_of(d).upper()
        ),
    ),
    ("created:2025", lambda d: d["created"].year == 2025),
    ("created:>=2026-01-01", lambda d: d["created"] >= dt.date(2026, 1, 1)),
    ("created:>2025-10-27", lambda d: d["created"] > dt.date(2025, 10, 27)),
    ("created:<2025-03", lambda d: d["created"] < dt.date(2025, 3, 1)),
    ("created:<=2025-02-24", lambda d: d["created"] <= dt.date(2025, 2, 24)),
    (
        "end:[2025-04-01 TO 2025-06-30]",
        lambda d: "end" in d and dt.date(2025, 4, 1) <= d["end"] <= dt.date(2025, 6, 30),
    ),
    ("start:[2026-01-01 TO]", lambda d: "start" in d and d["start"] >= dt.date(2026, 1, 1)),
    (
        "kind:experiment NOT outcome:won",
        lambda d: d["kind"] == "experiment" and outcome(d) != "won",
    ),
    ("outcome:won OR outcome:lost", lambda d: outcome(d) in ("won", "lost")),
    (
        "(tag:shipping OR tag:delivery) kind:opportunity",
        lambda d: d["kind"] == "opportunity" and {"shipping", "delivery"} & set(d.get("tags", [])),
    ),
]


@pytest.mark.parametrize(("query", "predicate"), FIELDED, ids=[q for q, _ in FIELDED])
def test_fielded_queries_return_exactly_the_matching_ids(
    example: Path, docs: dict[str, Doc], query: str, predicate: Callable[[Doc], bool]
) -> None:
    expected = {i for i, d in docs.items() if predicate(d)}
    assert expected, f"{query} matches nothing in the example; the test would prove nothing"
    assert set(ids(example, query)) == expected


def test_known_answers(example: Path) -> None:
    assert set(ids(example, "kind:experiment outcome:lost")) == {"EXP-0003", "EXP-0012", "EXP-0014"}
    assert ids(example, "stage:use") == ["INS-0014"]
    assert ids(example, "--kind", "insight", "shipping")[0] == "INS-0002"
    assert ids(example, "exp-0019")[0] == "EXP-0019"  # its own id outranks every mention


def words_of(d: Doc) -> str:
    parts = [d["title"], d.get("hypothesis", ""), d["body"].content, *d.get("tags", [])]
    return " ".join(parts).lower()


@pytest.mark.parametrize(
    ("query", "include", "exclude"),
    [
        ('"progress bar"', r"progress bar", None),
        ("autocomplet*", r"\bautocomplet", None),
        ("thresholds", r"\bthresholds?\b", None),  # stemmed: the singular is found too
        ("checkout NOT mobile", r"\bcheckouts?\b", r"\bmobiles?\b"),
        ("carousel OR autocomplete", r"\bcarousels?\b|\bautocompletes?\b", None),
    ],
)
def test_text_queries(
    example: Path, docs: dict[str, Doc], query: str, include: str, exclude: str | None
) -> None:
    expected = {
        i
        for i, d in docs.items()
        if re.search(include, words_of(d)) and not (exclude and re.search(exclude, words_of(d)))
    }
    assert expected
    assert set(ids(example, query)) == expected


def test_ranked_results_with_highlighted_snippets(example: Path) -> None:
    result = cx("-C", example, "search", "free shipping", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    hits = cx("-C", example, "search", "free shipping", "--format", "json").json()
    assert {h["id"] for h in hits[:2]} == {"EXP-0003", "EXP-0019"}  # the two cart tests
    top = hits[0]
    assert lines[0].split()[:3] == [top["id"], "experiment", f"concluded/{top['outcome']}"]
    assert lines[0].endswith(top["title"])
    assert lines[1].strip() == top["path"]
    assert "**free shipping**" in lines[2].lower()
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    first = hits[0]
    assert {"id", "kind", "title", "status", "outcome", "path", "score", "snippet"} <= set(first)
    marked = [first["snippet"][a:b].lower() for a, b in first["highlights"]]
    assert "free shipping" in marked
    assert all(re.fullmatch(r"(free |ship\w*| )+", m) for m in marked), marked


def test_nothing_matched_is_exit_1_with_an_empty_list(example: Path) -> None:
    result = cx("-C", example, "search", "zeppelin", "--format", "json")
    assert result.exit_code == 1
    assert result.json() == []
    plain = cx("-C", example, "search", "zeppelin")
    assert plain.exit_code == 1 and plain.stdout == ""


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("stauts:concluded", "unknown field 'stauts:'"),
        ("status:finised", "status:finised: no document can have this status"),
        ("kind:widget", "kind is one of: experiment, insight, opportunity"),
        ("created:2025-13", "created:2025-13: no such date"),
        ("created:last-week", "created:last-week: not a date"),
        ("end:[2025 TO 2024-13-01]", "no such date"),
        ("created:[TO]", "a range needs at least one date"),
        ("   ", "the query is empty"),
    ],
)
def test_invalid_queries_are_exit_2_saying_what_is_wrong(
    example: Path, query: str, message: str
) -> None:
    result = cx("-C", example, "search", query)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == ""


def test_similar_lists_the_known_near_duplicate_first(example: Path) -> None:
    result = cx("-C", example, "similar", "EXP-0019", "--format", "json")
    assert result.exit_code == 0, result.output
    hits = result.json()
    assert hits[0]["id"] == "EXP-0003"
    assert hits[0]["score"] > 2 * hits[1]["score"]
    assert "EXP-0019" not in {h["id"] for h in hits}
    table = cx("-C", example, "similar", "exp-0019", "--limit", "3")
    assert table.exit_code == 0
    rows = table.stdout.splitlines()
    assert rows[0].split() == ["ID", "KIND", "STATUS", "SCORE", "TITLE"]
    assert rows[1].split()[:3] == ["EXP-0003", "experiment", "concluded/lost"]
    assert len(rows) == 4
    assert (
        cx("-C", example, "similar", "EXP-0003", "--format", "json").json()[0]["id"] == "EXP-0019"
    )


@pytest.mark.parametrize("bad", ["EXP-9999", "../etc/passwd", ""])
def test_similar_unknown_id(example: Path, bad: str) -> None:
    result = cx("-C", example, "similar", bad)
    assert result.exit_code == 2
    assert "id" in result.stderr


@pytest.fixture
def indexed_copy(tmp_path: Path) -> Path:
    target = tmp_path / "northwind"
    example_copy(target)
    assert cx("-C", target, "index").exit_code == 0
    return target


def test_new_shows_similar_earlier_documents_on_stderr(indexed_copy: Path) -> None:
    result = cx(
        "-C",
        indexed_copy,
        "new",
        "experiment",
        "Free shipping progress bar on product pages",
        "--no-input",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "id": "EXP-0023",
        "path": "experiments/EXP-0023-free-shipping-progress-bar-on-product-pages.md",
    }
    lines = result.stderr.splitlines()
    assert lines[0] == "similar documents already in the library (have we done this before?):"
    listed = {line.split()[0]: line for line in lines[1:]}
    assert {"EXP-0019", "EXP-0003"} <= set(listed)
    assert "concluded/lost" in listed["EXP-0003"]
    assert "Free shipping threshold banner in the cart" in listed["EXP-0003"]
    assert 2 <= len(listed) <= 5
    # the notice comes from the index as it stood; the new file is indexed by the next search
    assert "EXP-0023" in ids(indexed_copy, "id:EXP-0023")


def test_new_without_an_index_builds_it_and_never_hints(kb: Path) -> None:
    result = cx(
        "-C", kb, "new", "insight", "Shipping costs surface late", "--no-input", "-f", "json"
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "INS-0001"
    assert result.stderr == ""  # no similar document yet, and no "run cxlib index"
    assert index_home(kb).exists()
