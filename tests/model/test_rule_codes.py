"""Every finding code, one at a time: for each code of :class:`cxlib.model.codes.Code`, a minimal
document that yields exactly that code and no other, and a one-line change that yields none.

The checks are called directly (parse, the single-file checks, the cross-document checks, the
history rule), apart from the CLI tests; the example's cxlib.toml is the config, with one field
declared as a program's own (``[fields.opportunity.squad]``, required from delivered on).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE, ROOT

from cxlib.kb.config_file import load_config
from cxlib.kb.files import scan
from cxlib.kb.parallel import parse_file
from cxlib.kb.parse import parse_bytes
from cxlib.kb.repository_files import missing_files
from cxlib.model.checks import check_document
from cxlib.model.codes import RULES, Code, Scope
from cxlib.model.config import CustomField, FieldType
from cxlib.model.file_refs import file_refs
from cxlib.model.history_rules import check_created_against_git
from cxlib.model.kinds import Kind
from cxlib.model.library import LoadedDoc
from cxlib.model.library_rules import check_library
from cxlib.model.review_dates import dated, review_findings

CONFIG = dataclasses.replace(
    load_config(EXAMPLE),
    fields={
        Kind.OPPORTUNITY: {
            "squad": CustomField(type=FieldType.TEXT, required_from="delivered"),
        }
    },
)

INSIGHT = """\
---
id: INS-0001
title: Shipping costs surface too late
status: validated
owner: Ana
created: 2025-01-10
stage: purchase
source: survey
evidence: [https://example.com/survey]
confidence: high
segments: [mobile]
---

## Summary

Shoppers learn the shipping cost only at the last step.
"""

OPPORTUNITY = """\
---
id: OPP-0001
title: Show shipping costs early
status: prioritized
owner: Ana
created: 2025-01-12
stage: purchase
insights: [INS-0001]
customer_value: 4
business_value: 3
effort: 2
kpis: [conversion-rate]
---

## Why

Late costs surprise shoppers.

## What

Show the cost in the cart.

## How

A banner.
"""

EXPERIMENT = """\
---
id: EXP-0001
title: Shipping cost in the cart
status: concluded
owner: Ana
team: checkout
created: 2025-01-15
stage: purchase
opportunity: OPP-0001
hypothesis: We believe that showing costs early will lift conversion
primary_metric: conversion-rate
start: 2025-02-01
end: 2025-03-01
result: {outcome: won}
decision: ship
---

## Learnings

Early costs help.
"""

# The base experiment with two variants splitting the traffic evenly.
TWO_ARMS = EXPERIMENT.replace(
    "decision: ship",
    "decision: ship\nvariants: [{name: control, allocation: 50}, {name: b, allocation: 50}]",
)

# The base experiment with a structured decision rule, and with a recorded guardrail.
RULED = EXPERIMENT.replace("decision: ship", "decision: ship\ndecision_rule: {ship_if: win}")
GUARDED = EXPERIMENT.replace(
    "result: {outcome: won}",
    "guardrail_metrics: [return-rate]\n"
    "result: {outcome: won, guardrails: [{metric: return-rate, status: ok}]}",
)

BASES = {
    Kind.INSIGHT: ("insights/INS-0001-shipping.md", INSIGHT),
    Kind.OPPORTUNITY: ("opportunities/OPP-0001-early.md", OPPORTUNITY),
    Kind.EXPERIMENT: ("experiments/EXP-0001-cart.md", EXPERIMENT),
}


@dataclass
class Case:
    """A base document with one line changed (``line`` → ``bad``); ``path`` overrides the path
    of the bad version only, ``extra`` adds other documents to the library."""

    kind: Kind
    line: str | None  # a line of the base (None: the change is at the end of the body)
    bad: str | bytes
    path: str | None = None
    extra: tuple[tuple[str, str], ...] = ()
    base: str | None = None  # another clean document of the kind than the usual base


def _texts(case: Case) -> tuple[tuple[str, bytes], tuple[str, bytes]]:
    """The (path, bytes) of the bad document and of the fixed one (the base itself)."""
    path, base = BASES[case.kind]
    base = case.base or base
    raw = base.encode()
    bad = case.bad.encode() if isinstance(case.bad, str) else case.bad
    if case.line is None:
        broken = raw + bad
    else:
        assert case.line.encode() in raw, case.line
        broken = raw.replace(case.line.encode(), bad, 1)
    return (case.path or path, broken), (path, raw)


def _library(path: str, raw: bytes, extra: tuple[tuple[str, str], ...]) -> list[LoadedDoc]:
    # The base documents the others link to, the document under test, and any extra ones.
    docs = {p: text.encode() for kind, (p, text) in BASES.items()}
    docs = {p: b for p, b in docs.items() if p.split("/")[0] != path.split("/")[0]}
    docs[path] = raw
    docs.update((p, text.encode()) for p, text in extra)
    out = []
    for p, b in docs.items():
        kind = CONFIG.kind_for_folder(p.split("/")[0])
        assert kind is not None
        out.append(check_document(p, kind, parse_bytes(b), CONFIG))
    return out


def codes_of(path: str, raw: bytes, extra: tuple[tuple[str, str], ...] = ()) -> list[str]:
    """Every finding about ``path``: its single-file checks and the cross-document ones."""
    docs = _library(path, raw, extra)
    findings = [f for d in docs for f in d.findings] + check_library(docs, CONFIG)
    return sorted(f.code for f in findings if f.path == path)


LONG = "x" * (3 * 1024 * 1024)
EXTRA_INSIGHT = (("insights/INS-0002-other.md", INSIGHT.replace("INS-0001", "INS-0002")),)

# Codes checked by the parse and the single-file and cross-document checks, one case each.
CASES: dict[Code, Case] = {
    Code.ENCODING: Case(Kind.INSIGHT, "at the last step.", b"at the last \xff step."),
    Code.LINE_ENDINGS: Case(Kind.INSIGHT, "at the last step.", "at the\rlast step."),
    Code.CONTROL_CHARACTER: Case(Kind.INSIGHT, "at the last step.", "at the last\x07 step."),
    Code.MERGE_CONFLICT: Case(Kind.INSIGHT, "## Summary", "<<<<<<< HEAD"),
    Code.FILE_TOO_LARGE: Case(Kind.INSIGHT, "at the last step.", LONG),
    Code.MISSING_FRONT_MATTER: Case(Kind.INSIGHT, "---\nid:", "--\nid:"),
    Code.FRONT_MATTER_POSITION: Case(Kind.INSIGHT, "---\nid:", "\n---\nid:"),
    Code.FRONT_MATTER_UNCLOSED: Case(
        Kind.INSIGHT, "segments: [mobile]\n---\n", "segments: [mobile]\n"
    ),
    Code.FRONT_MATTER_NOT_MAPPING: Case(
        Kind.INSIGHT,
        "{id: INS-0001, title: T, status: draft, created: 2025-01-10}",
        "[id: INS-0001, title: T, status: draft, created: 2025-01-10]",
        base="---\n{id: INS-0001, title: T, status: draft, created: 2025-01-10}\n---\n",
    ),
    Code.FRONT_MATTER_TOO_LARGE: Case(Kind.INSIGHT, "owner: Ana", "owner: Ana\n# " + "x" * 70_000),
    Code.UNSUPPORTED_FORMAT: Case(Kind.INSIGHT, "---\nid:", "{\nid:"),
    Code.YAML_SYNTAX: Case(Kind.INSIGHT, "segments: [mobile]", "segments: [mobile"),
    Code.YAML_TAB: Case(Kind.INSIGHT, "segments: [mobile]", "segments:\n\t- mobile"),
    Code.DUPLICATE_KEY: Case(Kind.INSIGHT, "owner: Ana", "owner: Ana\nowner: Bo"),
    Code.YAML_KEY: Case(Kind.INSIGHT, "owner: Ana", "owner: Ana\n1: one"),
    Code.YAML_ALIAS: Case(Kind.INSIGHT, "segments: [mobile]", "segments: &s [mobile]"),
    Code.YAML_TAG: Case(Kind.INSIGHT, "owner: Ana", "owner: !!str Ana"),
    Code.YAML_DEPTH: Case(Kind.INSIGHT, "segments: [mobile]", "segments: " + "[" * 40 + "]" * 40),
    Code.YAML_CONTROL: Case(Kind.INSIGHT, "owner: Ana", 'owner: "Ana\\e[2J"'),
    Code.YAML_NUMBER: Case(Kind.OPPORTUNITY, "effort: 2", "effort: 2\nreach: 0x" + "f" * 40),
    Code.MISSING_FIELD: Case(Kind.INSIGHT, "title: Shipping costs surface too late\n", ""),
    Code.UNKNOWN_FIELD: Case(Kind.INSIGHT, "owner: Ana", "owner: Ana\ncolour: red"),
    Code.INVALID_VALUE: Case(Kind.INSIGHT, "confidence: high", "confidence: total"),
    Code.INVALID_DATE: Case(Kind.INSIGHT, "created: 2025-01-10", "created: 2025-13-45"),
    Code.OUT_OF_RANGE: Case(Kind.OPPORTUNITY, "effort: 2", "effort: 9"),
    Code.FILE_NAME: Case(Kind.INSIGHT, "owner: Ana", "owner: Ana", path="insights/shipping.md"),
    Code.ID_MISMATCH: Case(Kind.INSIGHT, "id: INS-0001", "id: INS-0003"),
    Code.ID_PREFIX: Case(
        Kind.INSIGHT,
        "id: INS-0001",
        "id: IN-0001",
        path="insights/IN-0001-shipping.md",
        extra=EXTRA_INSIGHT[:0],
    ),
    Code.UNKNOWN_STAGE: Case(Kind.INSIGHT, "stage: purchase", "stage: orbit"),
    Code.UNKNOWN_TOUCHPOINT: Case(
        Kind.INSIGHT, "stage: purchase", "stage: purchase\ntouchpoint: moon"
    ),
    Code.TOUCHPOINT_WITHOUT_STAGE: Case(Kind.INSIGHT, "stage: purchase", "touchpoint: cart"),
    Code.UNKNOWN_TEAM: Case(Kind.EXPERIMENT, "team: checkout", "team: aliens"),
    Code.UNKNOWN_SEGMENT: Case(Kind.INSIGHT, "segments: [mobile]", "segments: [martians]"),
    Code.UNKNOWN_METRIC: Case(Kind.OPPORTUNITY, "kpis: [conversion-rate]", "kpis: [happiness]"),
    Code.METRIC_NOT_BUSINESS: Case(
        Kind.EXPERIMENT, "primary_metric: conversion-rate", "primary_metric: page-load-time"
    ),
    Code.INSIGHT_EVIDENCE: Case(Kind.INSIGHT, "evidence: [https://example.com/survey]\n", ""),
    Code.INSIGHT_CONFIDENCE: Case(Kind.INSIGHT, "confidence: high\n", ""),
    Code.OPPORTUNITY_OWNER: Case(Kind.OPPORTUNITY, "owner: Ana\n", ""),
    Code.INSIGHT_OWNER: Case(Kind.INSIGHT, "owner: Ana", "owner: TBD"),
    Code.EXPERIMENT_OWNER: Case(Kind.EXPERIMENT, "owner: Ana\n", ""),
    Code.OPPORTUNITY_SCORES: Case(Kind.OPPORTUNITY, "effort: 2\n", ""),
    Code.OPPORTUNITY_INSIGHT: Case(Kind.OPPORTUNITY, "insights: [INS-0001]\n", ""),
    Code.OPPORTUNITY_SECTION: Case(Kind.OPPORTUNITY, "## How", "## Hoe"),
    Code.EXPERIMENT_ORIGIN: Case(Kind.EXPERIMENT, "opportunity: OPP-0001\n", ""),
    Code.EXPERIMENT_START: Case(Kind.EXPERIMENT, "start: 2025-02-01\n", ""),
    Code.EXPERIMENT_HYPOTHESIS: Case(
        Kind.EXPERIMENT,
        "hypothesis: We believe that showing costs early will lift conversion\n",
        "",
    ),
    Code.EXPERIMENT_METRIC: Case(Kind.EXPERIMENT, "primary_metric: conversion-rate\n", ""),
    Code.EXPERIMENT_END: Case(Kind.EXPERIMENT, "end: 2025-03-01\n", ""),
    Code.EXPERIMENT_OUTCOME: Case(Kind.EXPERIMENT, "result: {outcome: won}\n", ""),
    Code.EXPERIMENT_LEARNINGS: Case(Kind.EXPERIMENT, "## Learnings", "## Notes"),
    Code.FIELD_REQUIRED: Case(Kind.OPPORTUNITY, "status: prioritized", "status: delivered"),
    Code.INSIGHT_LOOP: Case(Kind.INSIGHT, "source: survey", "source: experiment"),
    Code.EXPERIMENT_DATES: Case(Kind.EXPERIMENT, "end: 2025-03-01", "end: 2025-01-20"),
    Code.UPDATED_BEFORE_CREATED: Case(
        Kind.INSIGHT, "owner: Ana", "owner: Ana\nupdated: 2024-01-01"
    ),
    Code.END_BEFORE_CREATED: Case(Kind.EXPERIMENT, "created: 2025-01-15", "created: 2025-03-05"),
    Code.PLANNED_END_BEFORE_START: Case(
        Kind.EXPERIMENT, "start: 2025-02-01", "start: 2025-02-01\nplanned_end: 2025-01-31"
    ),
    Code.RESULT_TOO_EARLY: Case(Kind.EXPERIMENT, "status: concluded", "status: running"),
    Code.OUTCOME_EFFECT: Case(
        Kind.EXPERIMENT, "result: {outcome: won}", "result: {outcome: won, effect: -1.1}"
    ),
    Code.INTERVAL_ORDER: Case(
        Kind.EXPERIMENT,
        "result: {outcome: won}",
        "result: {outcome: won, effect: 4, interval: [5, 3]}",
    ),
    Code.INTERVAL_EFFECT: Case(
        Kind.EXPERIMENT,
        "result: {outcome: won}",
        "result: {outcome: won, effect: 6, interval: [3, 5]}",
    ),
    Code.P_VALUE_INTERVAL: Case(
        Kind.EXPERIMENT,
        "result: {outcome: won}",
        "result: {outcome: won, effect: 4, p_value: 0.64, interval: [3, 5]}",
    ),
    Code.NOT_SIGNIFICANT: Case(
        Kind.EXPERIMENT,
        "result: {outcome: won}",
        "result: {outcome: won, effect: 1.2, interval: [-0.4, 2.8]}",
    ),
    Code.DECISION_OUTCOME: Case(
        Kind.EXPERIMENT, "result: {outcome: won}", "result: {outcome: lost}"
    ),
    Code.IMPLEMENTED_NOT_SHIPPED: Case(
        Kind.EXPERIMENT,
        "decision: ship",
        "decision: iterate",
        base=EXPERIMENT.replace("status: concluded", "status: implemented"),
    ),
    Code.DECISION_PENDING: Case(Kind.EXPERIMENT, "decision: ship\n", ""),
    Code.DECISION_RULE: Case(Kind.EXPERIMENT, "decision: ship", "decision: iterate", base=RULED),
    Code.AMENDMENT_TOO_LATE: Case(
        Kind.EXPERIMENT,
        "decision: ship",
        "decision: ship\nplanned_end: 2025-03-01\namendments:\n"
        "  - {date: 2025-03-02, field: audience, reason: widened}",
    ),
    Code.GUARDRAIL_BREACHED: Case(
        Kind.EXPERIMENT, "status: ok}", "status: breached}", base=GUARDED
    ),
    Code.GUARDRAIL_UNDECLARED: Case(
        Kind.EXPERIMENT, "{metric: return-rate,", "{metric: average-order-value,", base=GUARDED
    ),
    Code.ALLOCATION_SUM: Case(
        Kind.EXPERIMENT,
        "decision: ship",
        "decision: ship\nvariants: [{name: control, allocation: 50}, {name: b, allocation: 40}]",
    ),
    Code.RESULT_VARIANT_NAME: Case(
        Kind.EXPERIMENT,
        "result: {outcome: won}",
        "result: {outcome: won, variants: [{name: ghost, sample_size: 10}]}",
        base=TWO_ARMS,
    ),
    Code.CONVERSIONS_EXCEED: Case(
        Kind.EXPERIMENT,
        "result: {outcome: won}",
        "result: {outcome: won, variants: [{name: control, sample_size: 10, conversions: 11}]}",
        base=TWO_ARMS,
    ),
    Code.SRM: Case(
        Kind.EXPERIMENT,
        "result: {outcome: won}",
        "result: {outcome: won, variants: [{name: control, sample_size: 10000}, "
        "{name: b, sample_size: 10500}]}",
        base=TWO_ARMS,
    ),
    Code.PERSONAL_EMAIL: Case(Kind.INSIGHT, "last step.", "last step, wrote ana.r@example.com."),
    Code.PERSONAL_PHONE: Case(Kind.INSIGHT, "last step.", "last step, said +49 30 1234567."),
    Code.PERSONAL_IBAN: Case(Kind.INSIGHT, "last step.", "last step: DE89 3704 0044 0532 0130 00"),
    Code.PERSONAL_CARD: Case(Kind.INSIGHT, "/survey]", "/survey, 'paid with 4111 1111 1111 1111']"),
    Code.PERSONAL_ADDRESS: Case(Kind.INSIGHT, "last step.", "last step (Lindenweg 7)."),
    Code.PERSONAL_NAME: Case(  # a name of the example's [privacy] deny list
        Kind.INSIGHT, "title: Shipping", "title: Greta Holmberg finds shipping"
    ),
    Code.EXPERIMENT_ON_IDEA: Case(
        Kind.EXPERIMENT,
        "opportunity: OPP-0001",
        "opportunity: OPP-0002",
        extra=(
            (
                "opportunities/OPP-0002-idea.md",
                OPPORTUNITY.replace("OPP-0001", "OPP-0002")
                .replace("status: prioritized", "status: idea")
                .replace("insights: [INS-0001]", "insights: []"),
            ),
        ),
    ),
    # EXP-0001 (won, significance unknown: weight 1) contradicts it; the survey alone (1)
    # supports it: contested, and it is validated.
    Code.INSIGHT_STANDING: Case(
        Kind.INSIGHT, "segments: [mobile]", "segments: [mobile]\ncounter_evidence: [EXP-0001]"
    ),
    Code.DUPLICATE_ID: Case(
        Kind.INSIGHT, "owner: Ana", "owner: Ana", extra=(("insights/INS-0001-again.md", INSIGHT),)
    ),
    Code.BROKEN_LINK: Case(Kind.OPPORTUNITY, "insights: [INS-0001]", "insights: [INS-0009]"),
    Code.SELF_LINK: Case(Kind.INSIGHT, None, "\nSee [[INS-0001]].\n"),
    Code.LINK_KIND: Case(Kind.EXPERIMENT, "opportunity: OPP-0001", "opportunity: INS-0001"),
    Code.DUPLICATE_LINK: Case(
        Kind.OPPORTUNITY, "insights: [INS-0001]", "insights: [INS-0001, INS-0001]"
    ),
}


def test_the_base_documents_are_clean() -> None:
    for path, text in BASES.values():
        assert codes_of(path, text.encode()) == []


@pytest.mark.parametrize("code", list(CASES), ids=str)
def test_each_code_alone(code: Code) -> None:
    case = CASES[code]
    (bad_path, bad), (path, fixed) = _texts(case)
    assert codes_of(bad_path, bad, case.extra) == [code.value]
    # the fix: the base line back (and the base path)
    assert codes_of(path, fixed, case.extra if code != Code.DUPLICATE_ID else ()) == []


def test_the_fix_is_one_line() -> None:
    for code, case in CASES.items():
        (_, bad), (_, fixed) = _texts(case)
        if code in (Code.FILE_TOO_LARGE, Code.FRONT_MATTER_TOO_LARGE):
            continue  # one line, but a long one
        changed = set(bad.splitlines()) ^ set(fixed.splitlines())
        assert len(changed) <= 3, (code, changed)  # a line replaced, added or removed


def test_symlinked_document(tmp_path: Path) -> None:
    (tmp_path / "insights").mkdir()
    target = tmp_path / "elsewhere.md"
    target.write_text(INSIGHT)
    link = tmp_path / "insights" / "INS-0001-shipping.md"
    link.symlink_to(target)
    files, findings = scan(tmp_path, CONFIG)
    assert [f.code for f in findings] == [Code.SYMLINK] and files == []
    link.unlink()
    link.write_text(INSIGHT)  # the file itself instead of a link
    files, findings = scan(tmp_path, CONFIG)
    assert findings == [] and [f.path for f in files] == ["insights/INS-0001-shipping.md"]


def test_unreadable_document(tmp_path: Path) -> None:
    (tmp_path / "insights" / "INS-0001-shipping.md").mkdir(parents=True)  # cannot be read
    parsed = parse_file(tmp_path, "insights/INS-0001-shipping.md", 0)
    assert [p.code for p in parsed.problems] == [Code.UNREADABLE]
    (tmp_path / "insights" / "INS-0001-shipping.md").rmdir()
    (tmp_path / "insights" / "INS-0001-shipping.md").write_text(INSIGHT)
    parsed = parse_file(tmp_path, "insights/INS-0001-shipping.md", len(INSIGHT))
    assert parsed.problems == []


def test_missing_file(tmp_path: Path) -> None:
    """A body image, a screenshot and an evidence path must name files of the repository."""
    (tmp_path / ".git").mkdir()  # the repository's top, as git marks it
    path = BASES[Kind.EXPERIMENT][0]
    (tmp_path / "experiments").mkdir()
    shot = (
        "variants: [{name: control, allocation: 50}, {name: b, allocation: 50, screenshot: b.png}]"
    )
    raw = TWO_ARMS.replace(
        "variants: [{name: control, allocation: 50}, {name: b, allocation: 50}]", shot
    ).replace("Early costs help.", "Early costs help.\n\n![b](/assets/b.png)")

    def codes() -> list[tuple[str, int, str]]:
        d = check_document(path, Kind.EXPERIMENT, parse_bytes(raw.encode()), CONFIG)
        found = missing_files(tmp_path, file_refs(path, Kind.EXPERIMENT, d.parsed))
        return [(f.code, f.line, f.field or "") for f in found]

    lines = raw.splitlines()
    body_line = lines.index("![b](/assets/b.png)") + 1
    assert codes() == [
        (Code.MISSING_FILE, lines.index(shot) + 1, "variants.1.screenshot"),
        (Code.MISSING_FILE, body_line, "body"),
    ]
    (tmp_path / "b.png").write_bytes(b"png")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "b.png").write_bytes(b"png")
    assert codes() == []
    # evidence names a path from the knowledge base's folder
    ins_path, ins = BASES[Kind.INSIGHT]
    ins = ins.replace("evidence: [https://example.com/survey]", "evidence: [research/s.pdf]")
    d = check_document(ins_path, Kind.INSIGHT, parse_bytes(ins.encode()), CONFIG)
    [finding] = missing_files(tmp_path, file_refs(ins_path, Kind.INSIGHT, d.parsed))
    assert (finding.code, finding.field) == (Code.MISSING_FILE, "evidence.0")
    assert "'research/s.pdf', which does not exist (research/s.pdf)" in finding.message
    (tmp_path / "research").mkdir()
    (tmp_path / "research" / "s.pdf").write_bytes(b"%PDF")
    assert missing_files(tmp_path, file_refs(ins_path, Kind.INSIGHT, d.parsed)) == []


def test_created_against_git() -> None:
    path, text = BASES[Kind.INSIGHT]
    d = check_document(path, Kind.INSIGHT, parse_bytes(text.encode()), CONFIG)
    late = check_created_against_git([d], {path: dt.date(2025, 3, 1)})
    assert [f.code for f in late] == [Code.CREATED_VS_GIT]
    assert check_created_against_git([d], {path: dt.date(2025, 1, 10)}) == []


def test_review_expired() -> None:
    """A validated insight whose declared review_by passed; a later date is the fix."""
    path, text = BASES[Kind.INSIGHT]
    today = dt.date(2026, 6, 2)

    def codes(review_by: str) -> list[str]:
        raw = text.replace("confidence: high", f"confidence: high\nreview_by: {review_by}")
        d = check_document(path, Kind.INSIGHT, parse_bytes(raw.encode()), CONFIG)
        data = d.parsed.data or {}
        item = dated(path, Kind.INSIGHT, data, d.parsed.line_of("review_by"))
        found = [f.code for f in d.findings] + [
            f.code for f in review_findings([item] if item else [], today)
        ]
        return sorted(found)

    assert codes("2026-06-01") == [Code.REVIEW_EXPIRED]
    assert codes("2026-06-02") == []
    assert Code.REVIEW_EXPIRED.rule.scope == Scope.DATE


def test_every_code_has_a_case() -> None:
    elsewhere = {Code.SYMLINK, Code.UNREADABLE, Code.CREATED_VS_GIT, Code.MISSING_FILE}
    elsewhere.add(Code.REVIEW_EXPIRED)  # depends on today: test_review_expired
    # The pre-registration lock compares a file with its history: tests/test_prereg.py.
    elsewhere |= {Code.PREREGISTRATION_CHANGED, Code.AMENDMENT_AFTER_RESULTS}
    assert set(CASES) | elsewhere == set(Code)


def test_every_code_has_a_rule_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`([a-z0-9-]+)`", readme))
    for code in Code:
        assert code in RULES and RULES[code].hint, code
        assert code.value in documented, f"{code.value} is not in the README's rule table"


def test_scopes() -> None:
    assert {c for c in Code if c.rule.scope == Scope.LIBRARY} == {
        Code.DUPLICATE_ID,
        Code.BROKEN_LINK,
        Code.SELF_LINK,
        Code.LINK_KIND,
        Code.DUPLICATE_LINK,
        Code.EXPERIMENT_ON_IDEA,
        Code.INSIGHT_STANDING,
    }
    assert Code.CREATED_VS_GIT.rule.scope == Scope.HISTORY
