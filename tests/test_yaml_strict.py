"""The strict YAML reader: its fast (node) and careful (event) paths agree, refusals are located."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLE

from cxlib.kb.yaml_strict import Loaded, YamlProblem, _load_events, _load_nodes, load

SAMPLES = [
    "id: EXP-1\ntitle: x\nstatus: NO\nnum: 0012\nd: 2024-13-45\nd2: 2024-01-02\n",
    "tags: [a, b]\nresult:\n  outcome: won\n  interval: [1.5, -2]\nl:\n  - x\n  - y: 1\n",
    "empty: []\nnothing: null\nquoted: 'NO'\ndouble: \"0012\"\nmulti: >\n  folded\n  text\n",
]


def _front_matter(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    return text.split("\n---\n", 1)[0][4:] + "\n"


@pytest.mark.parametrize(
    "text", SAMPLES + [_front_matter(p) for p in sorted(EXAMPLE.glob("*/*.md"))]
)
def test_fast_and_careful_paths_agree(text: str) -> None:
    fast, careful = _load_nodes(text, 1), _load_events(text, 1)
    assert fast.data == careful.data
    assert fast.locations == careful.locations


scalars = st.one_of(
    st.text(alphabet="abcXYZ019 -_.:#'\"", min_size=0, max_size=12),
    st.integers(-1000, 1000),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.booleans(),
    st.none(),
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True), scalars, max_size=6))
def test_paths_agree_on_generated_mappings(data: dict[str, object]) -> None:
    import json

    lines = []
    for key, value in data.items():
        rendered = json.dumps(value.isoformat() if isinstance(value, dt.date) else value)
        lines.append(f"{key}: {rendered}")
    text = "\n".join(lines) + "\n"
    assert _outcome(_load_nodes, text) == _outcome(_load_events, text)


def _outcome(loader: Callable[[str, int], Loaded], text: str) -> object:
    """What a loader makes of the text: its values and locations, or its refusal."""
    try:
        loaded = loader(text, 0)
    except YamlProblem as p:  # e.g. a key "on", which YAML 1.1 reads as a boolean
        return (p.code, p.line, p.message)
    return (loaded.data, loaded.locations)


def test_values_and_lines() -> None:
    loaded = load(SAMPLES[0], line_offset=1)
    assert loaded.data["status"] is False  # YAML 1.1; the schema reports it with a hint
    assert loaded.data["num"] == 10  # octal
    assert loaded.data["d"] == "2024-13-45"  # not a date, kept as text
    assert loaded.data["d2"] == dt.date(2024, 1, 2)
    assert loaded.locations["status"].line == 4
    assert loaded.locations["status"].plain_text == "NO"


@pytest.mark.parametrize(
    "text, code, line",
    [
        ("a: 1\na: 2\n", "duplicate-key", 2),
        ("1: x\n", "yaml-key", 1),
        ("? [a]\n: x\n", "yaml-key", 1),
        ("a: !!python/object:os.system x\n", "yaml-tag", 1),
        ("a: &x [1]\nb: *x\n", "yaml-alias", 1),
        ("a: [\n", "yaml-syntax", 2),
        ("a: b: c\n", "yaml-syntax", 1),
        ("x: " + "[" * 5000 + "\n", "yaml-depth", 1),
        ("a: 1\n---\nb: 2\n", "yaml-syntax", 2),
    ],
)
def test_refusals(text: str, code: str, line: int) -> None:
    with pytest.raises(YamlProblem) as caught:
        load(text)
    assert (caught.value.code, caught.value.line) == (code, line)


PLAIN_WORDS = [
    "yes", "Yes", "YES", "no", "NO", "on", "Off", "true", "False", "null", "Null", "NULL", "~",
    "", "0012", "12", "-3", "+4", "1e3", "1.5", ".5", "0x1F", "0o17", "0b101", "1_000", "1:30",
    "2024-01-02", "2024-13-45", "2001-12-14t21:59:43.10-05:00", "=", "<<", "tom", "ok", "nope",
    "offer", "truex", "Nulls", "y", "n", "~x", "-x", ".", "0.", "+.5", ".inf", "-.Inf", ".NaN",
    "1e400", "99999999999999999999",
]  # fmt: skip


@pytest.mark.parametrize("word", PLAIN_WORDS)
def test_paths_agree_on_plain_scalars_met_again(word: str) -> None:
    """A plain scalar's type, resolved once and then remembered, is the same the second time, as
    a value, as a list item and as a key (where anything but text is refused)."""
    text = f"a: {word}\nb: [{word or 'x'}, x]\nc:\n  - {word}\nd: {word}\n"
    for _ in range(2):
        assert _outcome(_load_nodes, text) == _outcome(_load_events, text)
        keyed = f"{word or 'k'}: 1\nz: {word}\n"
        assert _outcome(_load_nodes, keyed) == _outcome(_load_events, keyed)
