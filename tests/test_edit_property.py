"""A property test over generated front-matter: adding a list item changes only that key's lines,
and removing it again gives back the original bytes.

Documents are generated with the variety people write by hand: comments (own-line and after a
value), blank lines, plain / single- / double-quoted scalars, flow and block lists, block scalars,
nulls written three ways, dates and numbers, LF or CRLF, an optional BOM, bodies with ``---``
rules and ``[[ID]]`` links, with or without a final newline. The list being edited takes every
layout cxlib supports.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cxlib.kb.edit import EditableFile
from cxlib.kb.parse import parse_bytes

KEY = "insights"
IDS = [f"INS-{n:04d}" for n in range(1, 30)]

words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
phrase = st.lists(words, min_size=1, max_size=4).map(" ".join)


@st.composite
def scalar(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["plain", "single", "double", "null", "int", "date", "escape"]))
    text = draw(phrase)
    return {
        "plain": text,
        "single": "'" + text.replace("a", "a''") + "'",
        "double": '"' + text + ' \\"q\\" #not-a-comment"',
        "null": draw(st.sampled_from(["null", "~", "Null"])),
        "int": str(draw(st.integers(0, 5000))),
        "date": "2025-0" + str(draw(st.integers(1, 9))) + "-1" + str(draw(st.integers(0, 9))),
        "escape": '"tab\\there: [not, a, list]"',
    }[kind]


@st.composite
def other_key(draw: st.DrawFn, name: str) -> list[str]:
    shape = draw(st.sampled_from(["scalar", "flow", "block", "folded", "empty"]))
    comment = draw(st.sampled_from(["", "  # note", " # x: y"]))
    if shape == "scalar":
        return [f"{name}: {draw(scalar())}{comment}"]
    if shape == "flow":
        items = draw(st.lists(words, max_size=3))
        return [f"{name}: [{', '.join(items)}]{comment}"]
    if shape == "block":
        items = draw(st.lists(words, min_size=1, max_size=3))
        return [f"{name}:{comment}"] + [f"  - {i}" for i in items]
    if shape == "folded":
        lines = draw(st.lists(phrase, min_size=1, max_size=3))
        return [f"{name}: {draw(st.sampled_from(['>', '|', '>-', '|+']))}"] + [
            f"  {x}" for x in lines
        ]
    return [f"{name}:{comment}"]


@st.composite
def target_key(draw: st.DrawFn) -> tuple[list[str], list[str], str]:
    """The edited list's lines, its items, and its layout."""
    items = draw(st.lists(st.sampled_from(IDS[:20]), max_size=4, unique=True))
    comment = draw(st.sampled_from(["", "  # rests on", "   #x"]))

    def quoted(i: str) -> str:
        return draw(st.sampled_from([i, f'"{i}"', f"'{i}'"]))

    layout = draw(st.sampled_from(["flow", "block", "null", "missing"]))
    if layout == "block" and items:
        indent = draw(st.sampled_from(["", "  ", "    "]))
        gap = draw(st.sampled_from([" ", "  "]))
        lines = [f"{KEY}:{comment}"]
        for i in items:
            if draw(st.booleans()) and len(lines) > 1:
                lines.append("")  # a blank line between items
            lines.append(f"{indent}-{gap}{quoted(i)}")
        return lines, items, "block"
    if layout in ("flow", "block"):
        sep = draw(st.sampled_from([", ", ",", " , "]))
        pad = draw(st.sampled_from(["", " "]))
        inner = sep.join(quoted(i) for i in items)
        return [f"{KEY}: [{pad}{inner}{pad}]{comment}"], items, "flow"
    if layout == "null":
        value = draw(st.sampled_from(["", " null", " ~"]))
        return [f"{KEY}:{value}{comment}"], [], "null"
    return [], [], "missing"


@st.composite
def document(draw: st.DrawFn) -> tuple[bytes, list[str], str]:
    names = draw(
        st.lists(
            st.sampled_from(
                [
                    "title",
                    "owner",
                    "tags",
                    "hypothesis",
                    "stage",
                    "kpis",
                    "note",
                    "created",
                    "effort",
                ]
            ),
            unique=True,
            max_size=6,
        )
    )
    blocks = [draw(other_key(n)) for n in names]
    target, items, layout = draw(target_key())
    if target:
        blocks.insert(draw(st.integers(0, len(blocks))), target)
    lines: list[str] = []
    for block in blocks:
        extra = draw(st.sampled_from([[], [""], ["# a comment"], ["", "# spaced comment"]]))
        lines.extend(extra + block)
    body = draw(
        st.lists(
            st.sampled_from(["", "## Why", "Text [[INS-0001]].", "---", "- item", "```", "x"]),
            max_size=8,
        )
    )
    text = "\n".join(["---", *lines, "---", *body])
    if draw(st.booleans()):
        text += "\n"
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    raw = text.replace("\n", newline).encode()
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw, items, layout


_LIST_LINE = re.compile(rf"^(?:{KEY}:|\s*-\s+[\"']?INS-\d{{4}})")


def _others(raw: bytes) -> list[str]:
    """Every line but those of the edited list, with their CRs: all that must not change."""
    return [x for x in raw.decode("utf-8-sig").split("\n") if not _LIST_LINE.match(x)]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document(), st.sampled_from(IDS[20:]))
def test_add_then_remove_changes_only_the_list(
    generated: tuple[bytes, list[str], str], new: str
) -> None:
    raw, items, layout = generated
    parsed = parse_bytes(raw)
    assert not parsed.problems, (parsed.problems, raw)
    assert parsed.data is not None

    added = EditableFile(raw, "doc.md").add_item(KEY, new)
    after = parse_bytes(added).data
    assert after is not None
    assert after[KEY] == [*items, new]
    assert {k: v for k, v in after.items() if k != KEY} == {
        k: v for k, v in parsed.data.items() if k != KEY
    }
    # Only lines of the edited key changed; everything else is byte-identical.
    assert _others(added) == _others(raw)
    assert added.startswith(b"\xef\xbb\xbf") == raw.startswith(b"\xef\xbb\xbf")
    assert (b"\r\n" in added) == (b"\r\n" in raw)

    removed = EditableFile(added, "doc.md").remove_item(KEY, new)
    if layout in ("flow", "block"):
        assert removed == raw
    else:
        # A null or missing list cannot be told from an empty one afterwards: it becomes [].
        assert parse_bytes(removed).data[KEY] == []  # type: ignore[index]
        assert _others(removed) == _others(raw)
