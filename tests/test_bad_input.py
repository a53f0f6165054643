"""One knowledge base with one planted fault of each kind: every fault is reported with its file,
line and code, the exit code is 1, and no file changes."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from tests.conftest import cx, snapshot, write

HEAD = "---\nid: {id}\ntitle: A title\nstatus: draft\ncreated: 2025-01-10\n"
BOMB = (
    "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
)


def doc(doc_id: str, extra: str = "", body: str = "\nText.\n") -> str:
    return HEAD.format(id=doc_id) + extra + "---\n" + body


# (path, content, expected code, expected 1-based line)
CASES: list[tuple[str, str | bytes, str, int]] = [
    (
        "experiments/EXP-0101-malformed-yaml.md",
        "---\nid: EXP-0101\ntitle: Bad\ntags: [a, b\nstatus: draft\n---\n",
        "yaml-syntax",
        5,
    ),
    (
        "experiments/EXP-0102-no-front-matter.md",
        "# Just a heading\n\nText.\n",
        "missing-front-matter",
        1,
    ),
    ("experiments/EXP-0103-empty-front-matter.md", "---\n---\nBody\n", "missing-field", 1),
    (
        "experiments/EXP-0104-list-front-matter.md",
        "---\n- a\n- b\n---\n",
        "front-matter-not-mapping",
        2,
    ),
    (
        "experiments/EXP-0105-scalar-front-matter.md",
        "---\njust text\n---\n",
        "front-matter-not-mapping",
        2,
    ),
    ("experiments/EXP-0106-wrong-type.md", doc("EXP-0106", "tags: {a: 1}\n"), "invalid-value", 6),
    (
        "experiments/EXP-0107-unknown-enum.md",
        "---\nid: EXP-0107\ntitle: T\nstatus: done\ncreated: 2025-01-10\n---\n",
        "invalid-value",
        4,
    ),
    (
        "experiments/EXP-0108-bad-date.md",
        "---\nid: EXP-0108\ntitle: T\nstatus: draft\ncreated: 2024-13-45\n---\n",
        "invalid-date",
        5,
    ),
    (
        "opportunities/OPP-0101-score-out-of-range.md",
        "---\nid: OPP-0101\ntitle: T\nstatus: idea\ncreated: 2025-01-10\ncustomer_value: 7\n---\n",
        "out-of-range",
        6,
    ),
    (
        "experiments/EXP-0109-running-without-start.md",
        "---\nid: EXP-0109\ntitle: T\nstatus: running\ncreated: 2025-01-10\n"
        "insights: [INS-0001]\nhypothesis: We believe X\nprimary_metric: conversion-rate\n---\n",
        "experiment-start",
        4,
    ),
    ("experiments/EXP-0110-duplicate-a.md", doc("EXP-0110"), "duplicate-id", 2),
    ("experiments/EXP-0110-duplicate-b.md", doc("EXP-0110"), "duplicate-id", 2),
    (
        "experiments/EXP-0111-broken-link.md",
        doc("EXP-0111", "insights:\n  - INS-0001\n  - INS-0999\n"),
        "broken-link",
        8,
    ),
    ("insights/EXP-0112-wrong-prefix.md", doc("EXP-0112"), "id-prefix", 2),
    ("experiments/EXP-0113-name-disagrees.md", doc("EXP-0114"), "id-mismatch", 2),
    (
        "experiments/EXP-0115-latin1.md",
        doc("EXP-0115", "owner: Jos\xe9\n").encode("latin-1"),
        "encoding",
        6,
    ),
    (
        "experiments/EXP-0116-conflict.md",
        "---\nid: EXP-0116\n<<<<<<< HEAD\ntitle: Ours\n=======\ntitle: Theirs\n>>>>>>> b\n"
        "status: draft\ncreated: 2025-01-10\n---\n",
        "merge-conflict",
        3,
    ),
    ("experiments/EXP-0117-alias-bomb.md", "---\n" + BOMB + "---\n", "yaml-alias", 2),
    (
        "experiments/EXP-0118-huge.md",
        doc("EXP-0118", body="x" * (3 * 1024 * 1024)),
        "file-too-large",
        0,
    ),
    (
        "experiments/EXP-0119-duplicate-key.md",
        doc("EXP-0119", "title: Again\n"),
        "duplicate-key",
        6,
    ),
    ("experiments/EXP-0120-tabs.md", doc("EXP-0120", "tags:\n\t- a\n"), "yaml-tab", 7),
    ("experiments/EXP-0121-non-string-key.md", doc("EXP-0121", "1: one\n"), "yaml-key", 6),
    (
        "experiments/EXP-0122-python-tag.md",
        doc("EXP-0122", "owner: !!python/object/apply:os.system ['true']\n"),
        "yaml-tag",
        6,
    ),
    (
        "experiments/EXP-0123-yaml11-no.md",
        "---\nid: EXP-0123\ntitle: T\nstatus: NO\ncreated: 2025-01-10\n---\n",
        "invalid-value",
        4,
    ),
    (
        "experiments/EXP-0124-yaml11-id.md",
        "---\nid: 0012\ntitle: T\nstatus: draft\ncreated: 2025-01-10\n---\n",
        "invalid-value",
        2,
    ),
    ("experiments/EXP-0125-toml.md", "+++\nid = 'EXP-0125'\n+++\n", "unsupported-format", 1),
    ("experiments/EXP-0126-json.md", '{"id": "EXP-0126"}\n', "unsupported-format", 1),
    ("experiments/EXP-0127-leading-blank.md", "\n" + doc("EXP-0127"), "front-matter-position", 2),
    (
        "experiments/EXP-0128-unclosed.md",
        HEAD.format(id="EXP-0128") + "Body\n",
        "front-matter-unclosed",
        1,
    ),
    ("experiments/EXP-0129-control.md", doc("EXP-0129", "owner: a\x07b\n"), "control-character", 6),
    ("experiments/EXP-0130-lone-cr.md", doc("EXP-0130").replace("\n", "\r"), "line-endings", 1),
    ("experiments/EXP-0131-deep.md", doc("EXP-0131", "x: " + "[" * 20_000 + "\n"), "yaml-depth", 6),
    ("experiments/EXP-0132-utf16.md", doc("EXP-0132").encode("utf-16"), "encoding", 1),
    ("experiments/EXP-0133-unknown-stage.md", doc("EXP-0133", "stage: moon\n"), "unknown-stage", 6),
    (
        "experiments/EXP-0134-unknown-metric.md",
        doc("EXP-0134", "primary_metric: vibes\n"),
        "unknown-metric",
        6,
    ),
    ("experiments/EXP-0135-self-link.md", doc("EXP-0135", "follows: [EXP-0135]\n"), "self-link", 6),
    (
        "opportunities/OPP-0102-prioritized-incomplete.md",
        "---\nid: OPP-0102\ntitle: T\nstatus: prioritized\ncreated: 2025-01-10\n---\n",
        "opportunity-owner",
        4,
    ),
    (
        "experiments/EXP-0136-concluded-no-learnings.md",
        "---\nid: EXP-0136\ntitle: T\nstatus: concluded\ncreated: 2025-01-10\n"
        "insights: [INS-0001]\nhypothesis: We believe X\nprimary_metric: conversion-rate\n"
        "start: 2025-02-01\nend: 2025-03-01\nresult:\n  outcome: lost\ndecision: abandon\n---\n"
        "\n## Learnings\n\n<!-- nothing yet -->\n",
        "experiment-learnings",
        16,
    ),
    # the experiment record: every value out of range is a located finding
    (
        "experiments/EXP-0141-allocation.md",
        doc("EXP-0141", "variants: [{name: a, allocation: -5}, {name: b, allocation: 105}]\n"),
        "out-of-range",
        6,
    ),
    ("experiments/EXP-0142-alpha.md", doc("EXP-0142", "alpha: 1.5\n"), "out-of-range", 6),
    ("experiments/EXP-0143-power.md", doc("EXP-0143", "power: 0\n"), "out-of-range", 6),
    (
        "experiments/EXP-0144-negative-sample.md",
        doc("EXP-0144", "result:\n  variants: [{name: a, sample_size: -3}]\n"),
        "out-of-range",
        7,
    ),
    ("experiments/EXP-0145-nan.md", doc("EXP-0145", "baseline: .nan\n"), "yaml-number", 6),
    ("experiments/EXP-0146-nan-text.md", doc("EXP-0146", "mde: nan\n"), "invalid-value", 6),
    ("experiments/EXP-0147-huge.md", doc("EXP-0147", "mde: 1e308\n"), "out-of-range", 6),
    (
        "experiments/EXP-0148-guardrail.md",
        doc("EXP-0148", "result:\n  guardrails: [{metric: nps, status: fine}]\n"),
        "invalid-value",
        7,
    ),
    (
        "experiments/EXP-0149-rule.md",
        doc("EXP-0149", "decision_rule: {ship_if: win or}\n"),
        "invalid-value",
        6,
    ),
]

VALID = {
    "insights/INS-0001-shipping-costs.md": "---\nid: INS-0001\n"
    "title: Shipping costs surface too late\nstatus: validated\n"
    "owner: Ana\ncreated: 2025-01-10\nevidence: [https://example.com/survey]\n"
    "confidence: high\n---\n\n## Summary\n\nText.\n",
    # A UTF-8 BOM and CRLF line endings are accepted.
    "insights/INS-0002-bom-crlf.md": "\ufeff---\r\nid: INS-0002\r\ntitle: Bom and CRLF\r\n"
    "status: draft\r\n"
    "created: 2025-01-10\r\n---\r\n\r\nBody\r\n",
}


@pytest.fixture
def faulty(kb: Path, tmp_path: Path) -> Path:
    for rel, text in {**VALID, **{c[0]: c[1] for c in CASES}}.items():
        write(kb, rel, text)
    secret = tmp_path / "secret.md"
    secret.write_text("---\nid: EXP-0999\ntitle: secret\n---\n")
    os.symlink(secret, kb / "experiments" / "EXP-0140-outside.md")
    return kb


def test_every_planted_fault_is_reported_with_file_line_and_code(faulty: Path) -> None:
    before = snapshot(faulty)
    started = time.perf_counter()
    result = cx("-C", faulty, "validate", "--format", "json")
    assert result.exit_code == 1, result.output
    report = result.json()
    found = {(f["path"], f["code"], f["line"]) for f in report["findings"]}
    for rel, _, code, line in CASES:
        assert (rel, code, line) in found, (
            rel,
            code,
            line,
            sorted(x for x in found if x[0] == rel),
        )
    assert ("experiments/EXP-0140-outside.md", "symlink", 0) in found
    # Valid files (including BOM + CRLF) have no findings at all.
    assert not [f for f in report["findings"] if f["path"] in VALID]
    # Nothing was read through the symlink: its target's id never shows up.
    assert "EXP-0999" not in result.stdout
    assert snapshot(faulty) == before
    assert time.perf_counter() - started < 30  # the alias bomb and deep nesting do not hang


def test_messages_are_for_people(faulty: Path) -> None:
    report = cx("-C", faulty, "validate", "--format", "json").json()
    by_path = {f["path"]: f for f in report["findings"]}
    assert "quote it: 'NO'" in by_path["experiments/EXP-0123-yaml11-no.md"]["hint"]
    assert "quote it: '0012'" in by_path["experiments/EXP-0124-yaml11-id.md"]["hint"]
    assert (
        "must be one of draft, planned, running"
        in by_path["experiments/EXP-0107-unknown-enum.md"]["message"]
    )
    dup = [f for f in report["findings"] if f["code"] == "duplicate-id"]
    assert any("EXP-0110-duplicate-b.md" in f["message"] for f in dup)
    assert (
        "duplicate key 'title' (lines 3 and 6)"
        in by_path["experiments/EXP-0119-duplicate-key.md"]["message"]
    )
    assert "TOML" in by_path["experiments/EXP-0125-toml.md"]["message"]
    power = by_path["experiments/EXP-0143-power.md"]
    assert "must be more than 0" in power["message"] and not power["hint"]  # 0 needs no quotes
    rule = by_path["experiments/EXP-0149-rule.md"]["message"]
    assert "the rule ends without a condition" in rule
    loss = by_path["experiments/EXP-0136-concluded-no-learnings.md"]["message"]
    assert "a loss or an inconclusive result needs its learnings most of all" in loss


def test_text_output_is_located_and_has_no_traceback(faulty: Path) -> None:
    result = cx("-C", faulty, "validate")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "experiments/EXP-0108-bad-date.md:5:" in result.stdout
    assert "[invalid-date]" in result.stdout
    assert "error(s)" in result.stderr


def test_github_annotations_are_escaped_and_capped(faulty: Path) -> None:
    result = cx("-C", faulty, "validate", "--format", "github")
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 10
    assert any(line.startswith("::notice::") for line in result.stdout.splitlines())
    for line in errors:
        props, _, message = line[len("::error ") :].partition("::")
        assert "\n" not in message and "\r" not in message
        assert "file=" in props


def test_unknown_field_is_a_warning_and_an_error_with_strict(kb: Path) -> None:
    write(
        kb,
        "insights/INS-0001-x.md",
        "---\nid: INS-0001\ntitle: T\nstatus: draft\ncreated: 2025-01-10\nconfidnce: high\n---\n",
    )
    relaxed = cx("-C", kb, "validate", "--format", "json")
    assert relaxed.exit_code == 0, relaxed.output
    (finding,) = relaxed.json()["findings"]
    assert (finding["code"], finding["severity"], finding["line"]) == (
        "unknown-field",
        "warning",
        6,
    )
    assert finding["hint"] == "did you mean 'confidence'?"
    strict = cx("-C", kb, "validate", "--strict", "--format", "json")
    assert strict.exit_code == 1


def test_strict_fails_on_a_warning(kb: Path) -> None:
    """A concluded experiment without a decision is a warning: exit 0, and 1 with --strict."""
    write(
        kb,
        "experiments/EXP-0001-x.md",
        "---\nid: EXP-0001\ntitle: T\nstatus: concluded\nowner: Ana\ncreated: 2025-01-10\n"
        "insights: [INS-0001]\nhypothesis: H\nprimary_metric: conversion-rate\n"
        "start: 2025-02-01\nend: 2025-03-01\nresult: {outcome: inconclusive}\n---\n"
        "\n## Learnings\n\nNothing moved.\n",
    )
    write(
        kb,
        "insights/INS-0001-x.md",
        "---\nid: INS-0001\ntitle: T\nstatus: draft\ncreated: 2025-01-10\n---\n",
    )
    relaxed = cx("-C", kb, "validate", "--format", "json")
    assert relaxed.exit_code == 0, relaxed.output
    assert [f["code"] for f in relaxed.json()["findings"]] == ["decision-pending"]
    strict = cx("-C", kb, "validate", "--strict")
    assert strict.exit_code == 1 and "decision-pending" in strict.output


@pytest.mark.parametrize(
    ("doc_id", "assignment", "says", "hint"),
    [
        ("EXP-0022", "start=2026-13-01", "2026-13-01 is not a date: month 13", None),
        ("EXP-0022", "start=2026-02-30", "2026-02-30 is not a date: 2026-02 has no day 30", None),
        ("EXP-0022", "start=2026-2-3", "not a valid date", "write dates as YYYY-MM-DD"),
        ("OPP-0008", "effort=two", "'effort': needs a whole number, written in digits", None),
        ("OPP-0008", "reach=2.5", "'reach': needs a whole number (got 2.5)", None),
    ],
)
def test_a_bad_value_is_said_in_plain_words(
    base: Path, doc_id: str, assignment: str, says: str, hint: str | None
) -> None:
    before = snapshot(base)
    result = cx("-C", base, "set", doc_id, assignment)
    assert result.exit_code == 2, result.output
    assert says in result.stderr and "Input should be" not in result.stderr
    assert (hint in result.stderr) if hint else ("YYYY-MM-DD" not in result.stderr)
    assert snapshot(base) == before


@pytest.mark.parametrize(
    ("title", "says", "hint"),
    [
        (
            "Shoppers: they hate fees",
            "a value with ': ' in it needs quotes",
            'title: "Shoppers: they hate fees"',
        ),
        ("[Draft] fees", "a value that starts with '[' needs quotes", 'title: "[Draft] fees"'),
        ("@team fees", "a value that starts with '@' needs quotes", 'title: "@team fees"'),
    ],
)
def test_text_that_yaml_reads_as_syntax_gets_the_quoted_line(
    kb: Path, title: str, says: str, hint: str
) -> None:
    write(
        kb,
        "insights/INS-0001-x.md",
        f"---\nid: INS-0001\ntitle: {title}\nstatus: draft\ncreated: 2025-01-10\n---\n",
    )
    result = cx("-C", kb, "validate", "--format", "json")
    assert result.exit_code == 1
    [finding] = result.json()["findings"]
    assert (finding["code"], finding["line"], finding["column"]) == ("yaml-syntax", 3, 8)
    assert says in finding["message"] and finding["hint"] == f"write it as {hint}"
