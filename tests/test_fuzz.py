"""Fuzzing the read path with mutated real documents: parsing, the checks, the cache round trip
and each findings formatter must take anything without an exception other than cxlib's own
documented errors (:class:`cxlib.errors.CxError`). A catch-all is not a pass: every exception
that is not a CxError fails the test, with the input that raised it.

The budget is fixed and the examples are derandomised, so a run is repeatable and its cost known.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLE

from cxlib.cli import findings_view
from cxlib.cli.output import Color, Output
from cxlib.errors import CxError
from cxlib.kb.config_file import load_config
from cxlib.kb.parse import parse_bytes
from cxlib.model.checks import check_document
from cxlib.model.findings import Finding
from cxlib.model.kinds import Kind
from cxlib.model.library_rules import check_library
from cxlib.model.source import ParsedFile, json_default, json_object_hook
from cxlib.ops.validate import ValidationReport

CONFIG = load_config(EXAMPLE)
SEEDS: list[tuple[str, Kind, bytes]] = sorted(
    (p.relative_to(EXAMPLE).as_posix(), kind, p.read_bytes())
    for kind, folder in (
        (Kind.INSIGHT, "insights"),
        (Kind.OPPORTUNITY, "opportunities"),
        (Kind.EXPERIMENT, "experiments"),
    )
    for p in (EXAMPLE / folder).glob("*.md")
)
# What breaks parsers: YAML and markdown syntax, line ends, controls, odd Unicode, huge numbers.
PIECES = [
    b"---\n",
    b"...\n",
    b":",
    b": ",
    b"- ",
    b"[",
    b"]",
    b"{",
    b"}",
    b"&a ",
    b"*a",
    b"!!python/object ",
    b"!tag ",
    b"'",
    b'"',
    b"\\",
    b"#",
    b" #",
    b"\t",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\x1b[2J",
    b"\xff",
    b"\xef\xbb\xbf",
    b"\xc2\x9b",
    b"=======\n",
    b"<<<<<<< HEAD\n",
    b"<!--",
    b"-->",
    b"[[EXP-0001",
    b"[[EXP-0001|x]]",
    b"```\n",
    b"# ",
    b"## Learnings\n",
    b"0x" + b"f" * 40,
    b"1e999",
    b".nan",
    b"-.inf",
    b"2024-13-45",
    b"NO",
    b"0012",
    b"1:30",
    b"\xd9\xa0\xd9\xa1",
    b"\xe2\x80\xae",
    b"status: won\n",
    b"result: {outcome: won, effect: -1}\n",
    b"  ",
    b"\n",
    b"\n\n",
]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Kind, bytes]:
    path, kind, raw = draw(st.sampled_from(SEEDS))
    data = bytearray(raw)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if action == "insert":
            piece = draw(st.sampled_from(PIECES) | st.binary(min_size=1, max_size=8))
            data[at:at] = piece
        elif action == "delete":
            data[at : at + draw(st.integers(1, 40))] = b""
        elif action == "replace":
            data[at : at + 1] = draw(st.sampled_from(PIECES))
        else:
            line_end = data.find(b"\n", at)
            line = data[at : line_end + 1] if line_end >= 0 else data[at:]
            data[at:at] = line
    return path, kind, bytes(data)


BUDGET = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _only_documented(work: object, *args: object) -> object:
    """Run ``work``; a CxError is documented behaviour, anything else fails the test."""
    try:
        return work(*args)  # type: ignore[operator]
    except CxError:
        return None


@BUDGET
@given(mutated())
def test_parse_and_check_take_anything(case: tuple[str, Kind, bytes]) -> None:
    path, kind, raw = case
    parsed = parse_bytes(raw)
    assert isinstance(parsed, ParsedFile)
    for p in parsed.problems:
        assert p.code and p.message and p.line >= 0, p
    d = check_document(path, kind, parsed, CONFIG)
    for f in d.findings:
        assert isinstance(f, Finding) and f.path == path
    others = [check_document(p, k, parse_bytes(r), CONFIG) for p, k, r in SEEDS[:5]]
    for f in check_library([d, *others], CONFIG, {path}):
        assert f.path == path


@BUDGET
@given(mutated())
def test_the_cache_round_trip_keeps_every_parse(case: tuple[str, Kind, bytes]) -> None:
    _, _, raw = case
    parsed = parse_bytes(raw)
    text = json.dumps(parsed.to_json(), default=json_default, ensure_ascii=False)
    back = ParsedFile.from_json(json.loads(text, object_hook=json_object_hook))
    assert back.data == parsed.data
    assert dict(back.locations.items()) == dict(parsed.locations.items())
    assert back.sections == parsed.sections
    assert back.wiki_links == parsed.wiki_links
    assert back.problems == parsed.problems


@BUDGET
@given(mutated())
def test_every_findings_format_prints_anything(case: tuple[str, Kind, bytes]) -> None:
    path, kind, raw = case
    d = check_document(path, kind, parse_bytes(raw), CONFIG)
    report = ValidationReport(list(d.findings), checked=1, total=1, skipped=[path])
    for render in (findings_view.as_text, findings_view.as_json, findings_view.as_github):
        out, err = io.StringIO(), io.StringIO()
        _only_documented(render, Output(color=Color.NEVER, out=out, err=err), Path("/kb"), report)
        if render is findings_view.as_json and out.getvalue():
            json.loads(out.getvalue())  # always valid JSON
        if render is findings_view.as_github:
            # one workflow command per line: user text never starts another
            lines = out.getvalue().splitlines()
            assert all(
                line.startswith(("::error ", "::warning ", "::notice::", "checked "))
                for line in lines
            ), lines


@pytest.mark.parametrize("path, kind, raw", SEEDS[:3])
def test_the_seeds_are_real_documents(path: str, kind: Kind, raw: bytes) -> None:
    assert check_document(path, kind, parse_bytes(raw), CONFIG).doc is not None
