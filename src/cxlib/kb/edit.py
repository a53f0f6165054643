"""Line-level edits of a document: one front-matter key at a time, or one body section.

An edit rewrites only the lines of the key it changes. Every other byte — the other keys and
their order, comments, quoting, blank lines, the body, LF or CRLF endings, a BOM, the final
newline — is kept because it is never re-rendered: the file is split into lines with their own
endings, a few lines are replaced, and the lines are joined again. (Measured: a YAML round trip
cannot do this — ``frontmatter.dumps`` re-renders everything, and ruamel.yaml turns CRLF into LF
and ``~`` into an empty value.)

Every result is re-parsed with the strict reader and must hold exactly the intended values, with
the body unchanged; otherwise the edit is refused with the reason and a snippet to apply by hand.
Layouts that cannot be edited safely by lines (multi-line flow lists, comments inside a list,
multi-line items, flow mappings) are refused the same way, before anything is written. A list of
records (``variants``, ``result.variants``) is the one value written over several lines: its
whole block is replaced, and refused when a comment inside it would be lost.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cxlib.errors import WriteRefusedError
from cxlib.kb import yaml_write
from cxlib.kb.markdown import fence_after
from cxlib.kb.parse import parse_bytes
from cxlib.model.source import ParsedFile, to_jsonable
from cxlib.model.wikilinks import WikiLink, renumbered, rewrite_line

BOM = b"\xef\xbb\xbf"
_TAIL = re.compile(r"[ \t]*(?:#.*)?$")
_COMMENT_AFTER = re.compile(r"[ \t]#")
_ITEM = re.compile(r"^( *)-([ \t]+)")
_BLOCK_SCALAR = re.compile(r"[|>][-+1-9]*")
_HEADING = re.compile(r"^(#{1,6})[ \t]+\S")


class EditRefusedError(WriteRefusedError):
    """A line-level edit that cannot be made safely; nothing was written."""


@dataclass(frozen=True)
class Line:
    text: str  # without its line ending
    end: str  # "\r\n", "\n", or "" for a last line without a newline


def split_lines(text: str) -> list[Line]:
    """Lines with their own endings (only LF and CRLF end a line; the parser refuses lone CRs)."""
    out: list[Line] = []
    parts = text.split("\n")
    for i, part in enumerate(parts):
        if i == len(parts) - 1:
            if part:
                out.append(Line(part, ""))
        elif part.endswith("\r"):
            out.append(Line(part[:-1], "\r\n"))
        else:
            out.append(Line(part, "\n"))
    return out


def _scalar_end(text: str, start: int, flow: bool = False) -> int | None:
    """End of the one-line scalar starting at ``start`` (inside a flow list when ``flow``); None
    if it continues on the next line."""
    if start >= len(text):
        return start
    quote = text[start]
    if quote == '"':
        i = start + 1
        while i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == '"':
                return i + 1
            i += 1
        return None
    if quote == "'":
        i = start + 1
        while i < len(text):
            if text[i] == "'":
                if text[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                return i + 1
            i += 1
        return None
    comment = _COMMENT_AFTER.search(text, start)
    stop = comment.start() if comment else len(text)
    if flow:
        ends = [i for i in (text.find(c, start, stop) for c in ",]}") if i >= 0]
        stop = min([stop, *ends])
    return len(text[:stop].rstrip())


def _flow_items(text: str, open_at: int) -> tuple[list[tuple[int, int]], int] | None:
    """Spans of the scalar items of a one-line flow list ``[a, "b", 'c']`` and the index of its
    ``]``; None for anything else (nested collections, a list that goes on to the next line, a
    trailing comma)."""
    items: list[tuple[int, int]] = []
    j = open_at + 1
    n = len(text)
    while True:
        while j < n and text[j] in " \t":
            j += 1
        if j >= n:
            return None
        c = text[j]
        if c == "]" and not items:
            return items, j
        if c in "[]{},#":
            return None
        end = _flow_item_end(text, j)
        if end is None:
            return None
        items.append((j, end))
        j = end
        while j < n and text[j] in " \t":
            j += 1
        if j < n and text[j] == "]":
            return items, j
        if j >= n or text[j] != ",":
            return None
        j += 1


def _flow_item_end(text: str, start: int) -> int | None:
    """Where the scalar item of a flow list that starts at ``start`` ends; None when it is an
    unclosed quote or a comment cuts the list."""
    if text[start] in "\"'":
        return _scalar_end(text, start)
    k = start
    while k < len(text) and text[k] not in ",[]{}":
        if text[k] == "#" and text[k - 1] in " \t":
            return None
        k += 1
    return len(text[:k].rstrip())


@dataclass
class _Value:
    """What follows ``key:`` on a key's line."""

    kind: str  # empty, plain, quoted, flow-list, flow-open, flow-map, block-scalar, quoted-open
    start: int
    end: int
    comment: str  # whatever follows the value on the line: spaces and a comment, or ""


def _inline(text: str, at: int) -> _Value:
    i = at
    while i < len(text) and text[i] in " \t":
        i += 1
    if i >= len(text) or text[i] == "#":
        return _Value("empty", at, at, text[at:])
    c = text[i]
    if c == "[":
        flow = _flow_items(text, i)
        if flow is None:
            return _Value("flow-open", i, len(text), "")
        end = flow[1] + 1
        kind = "flow-list"
    elif c == "{":
        return _Value("flow-map", i, len(text), "")
    elif c in "|>":
        m = _BLOCK_SCALAR.match(text, i)
        end = m.end() if m else i + 1
        kind = "block-scalar"
    else:
        found = _scalar_end(text, i)
        if found is None:
            return _Value("quoted-open", i, len(text), "")
        end = found
        kind = "quoted" if c in "\"'" else "plain"
    return _Value(kind, i, end, text[end:])


def _key_line(key: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(key)}([ \t]*):(?=[ \t]|$)")


def _is_comment(text: str) -> bool:
    return text.lstrip().startswith("#")


def has_comment(text: str) -> bool:
    """Whether YAML would read part of ``text`` (one value, or lines of one) as a comment: a
    ``#`` at the start of a line or after a blank, outside quotes (a quote opens only where a
    value starts)."""
    quote = ""
    previous = "\n"
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            escaped = (quote == '"' and ch == "\\") or (quote == "'" and text[i : i + 2] == "''")
            if escaped:
                i, previous = i + 2, "x"
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"" and previous in " \t\n[{,:":
            quote = ch
        elif ch == "#" and previous in " \t\n":
            return True
        previous = ch
        i += 1
    return False


def _record(item: Any) -> str:
    """One item of a list of records on one line: a flow mapping in its keys' order, or a plain
    value (``variants`` also takes names alone)."""
    if isinstance(item, dict):
        pairs = (
            f"{yaml_write.scalar(k, flow=True)}: {yaml_write.scalar(v, flow=True)}"
            for k, v in item.items()
        )
        return "{" + ", ".join(pairs) + "}"
    return yaml_write.scalar(item)


def _records_block(key: str, items: list[Any], indent: str, step: str) -> list[str]:
    """``key:`` and one ``- {...}`` line per item, ``step`` deeper; ``key: []`` when empty."""
    if not items:
        return [f"{indent}{key}: []"]
    return [f"{indent}{key}:", *(f"{indent}{step}- {_record(x)}" for x in items)]


def _canon(data: Any) -> str:
    # Order-sensitive on purpose: an edit must not reorder keys either.
    return json.dumps(to_jsonable(data), ensure_ascii=False, default=str)


def _render_like(old: str, value: Any) -> str:
    """A scalar in the quoting style of the value it replaces, when that style can hold it."""
    if isinstance(value, str) and old.startswith('"'):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and old.startswith("'") and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    return yaml_write.value(value)


class EditableFile:
    """A document split into lines, its front-matter located and read by the strict parser.

    Refuses files that do not read cleanly: merge-conflict markers, invalid or unclosed
    front-matter, bad encodings — the parser's reason is the refusal's reason.
    """

    def __init__(self, raw: bytes, label: str) -> None:
        self.raw = raw
        self.label = label
        self.parsed: ParsedFile = parse_bytes(raw)
        if self.parsed.problems or self.parsed.data is None:
            p = self.parsed.problems[0]
            raise EditRefusedError(
                f"{label}:{p.line}: {p.message}; cxlib edits only files that read cleanly, "
                "nothing was written",
                hint=p.hint or "fix the file by hand first ('cxlib validate' shows what is wrong)",
            )
        self.bom = raw.startswith(BOM)
        self.lines = split_lines(raw[len(BOM) if self.bom else 0 :].decode("utf-8"))
        self.close = next(
            i for i in range(1, len(self.lines)) if self.lines[i].text.rstrip() in ("---", "...")
        )
        self.data: dict[str, Any] = self.parsed.data
        self._snippet: str | None = None  # what the current edit would write, for refusals

    # -- helpers ---------------------------------------------------------------------------
    def _bytes(self, lines: list[Line]) -> bytes:
        text = "".join(line.text + line.end for line in lines)
        return (BOM if self.bom else b"") + text.encode("utf-8")

    @property
    def _newline(self) -> str:
        return self.lines[0].end or "\n"

    def refuse(self, reason: str, snippet: str | None = None) -> EditRefusedError:
        snippet = snippet or self._snippet
        hint = f"make the change by hand:\n{snippet}" if snippet else None
        return EditRefusedError(f"{self.label}: {reason}; nothing was written", hint=hint)

    def _extent(self, key: str) -> tuple[int, int] | None:
        """Line indices [start, stop) of a top-level key and its value; trailing blank lines
        and (outside block scalars) trailing comment lines are not part of it."""
        loc = self.parsed.locations.get(key)
        if key not in self.data or loc is None:
            return None
        start = loc.line - 1
        later = [
            self.parsed.locations[k].line - 1
            for k in self.data
            if k in self.parsed.locations and self.parsed.locations[k].line - 1 > start
        ]
        stop = min([*later, self.close])
        block_scalar = self._value_of_line(key, start).kind == "block-scalar"
        while stop - 1 > start:
            text = self.lines[stop - 1].text
            if not text.strip() or (not block_scalar and _is_comment(text)):
                stop -= 1
            else:
                break
        return start, stop

    def _value_of_line(self, key: str, index: int) -> _Value:
        text = self.lines[index].text
        m = _key_line(key).match(text)
        if m is None:
            raise self.refuse(f"the key '{key}' is written in a form cxlib does not edit")
        value = _inline(text, m.end())
        if value.kind not in ("flow-open", "flow-map", "quoted-open") and not _TAIL.match(
            value.comment
        ):
            raise self.refuse(f"cannot read the line of '{key}' safely")
        return value

    def _insert_key(self, lines: list[Line], new: list[str]) -> None:
        lines[self.close : self.close] = [Line(t, self._newline) for t in new]

    def _finish(
        self, lines: list[Line], expected: dict[str, Any], what: str, snippet: str | None
    ) -> bytes:
        new = self._bytes(lines)
        parsed = parse_bytes(new)
        if parsed.problems or parsed.data is None:
            raise self.refuse(
                f"editing {what} would leave the front-matter unreadable "
                f"({parsed.problems[0].message if parsed.problems else 'no data'})",
                snippet,
            )
        if _canon(parsed.data) != _canon(expected):
            raise self.refuse(f"editing {what} would change more than {what}", snippet)
        close = next(i for i in range(1, len(lines)) if lines[i].text.rstrip() in ("---", "..."))
        if lines[close:] != self.lines[self.close :]:
            raise self.refuse(f"editing {what} would change the body", snippet)
        return new

    def _block_items(self, key: str, start: int, stop: int) -> list[int]:
        """The line of each item of a block list; refuses comments or multi-line items."""
        items = self.data[key]
        where: list[int] = []
        indents: set[str] = set()
        for i in range(len(items)):
            loc = self.parsed.locations.get(f"{key}.{i}")
            if loc is None:
                raise self.refuse(f"cannot locate the items of '{key}'")
            index = loc.line - 1
            text = self.lines[index].text
            m = _ITEM.match(text)
            end = _scalar_end(text, loc.column - 1)
            if m is None or m.end() != loc.column - 1 or end is None or index in where:
                raise self.refuse(f"the list '{key}' has an item cxlib cannot edit by lines")
            if not _TAIL.match(text[end:]):
                raise self.refuse(f"cannot read an item of '{key}' safely")
            where.append(index)
            indents.add(m.group(1))
        if len(indents) > 1:
            raise self.refuse(f"the items of '{key}' are not aligned")
        for index in range(start + 1, stop):
            if index in where or not self.lines[index].text.strip():
                continue
            what = "a comment" if _is_comment(self.lines[index].text) else "a multi-line item"
            raise self.refuse(f"the list '{key}' holds {what}, which cxlib will not move")
        return where

    def _list_value(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.refuse(f"'{key}' is not a list (got {type(value).__name__})")
        if any(isinstance(v, (dict, list)) for v in value):
            raise self.refuse(f"'{key}' holds nested values")
        return value

    # -- list items ------------------------------------------------------------------------
    def add_item(self, key: str, item: str) -> bytes:
        """Append ``item`` to the list ``key`` in the list's own style (block or flow); a missing
        or null key becomes ``key: [item]``."""
        current = self._list_value(key)
        expected = copy.deepcopy(self.data)
        expected[key] = [*current, item]
        snippet = self._snippet = f"{key}: {yaml_write.value(expected[key])}"
        lines = list(self.lines)
        extent = self._extent(key)
        if extent is None:
            self._insert_key(lines, [f"{key}: {yaml_write.value([item])}"])
            return self._finish(lines, expected, f"'{key}'", snippet)
        start, stop = extent
        text = lines[start].text
        value = self._value_of_line(key, start)
        if value.kind == "flow-list" and stop == start + 1:
            spans, close = _flow_items(text, value.start) or ([], value.start + 1)
            if len(spans) != len(current):
                raise self.refuse(f"cannot match the items of '{key}'", snippet)
            rendered = yaml_write.scalar(item, flow=True)
            if spans:
                sep = text[spans[-2][1] : spans[-1][0]] if len(spans) > 1 else ", "
                at = spans[-1][1]
                text = text[:at] + sep + rendered + text[at:]
            else:
                text = text[:close] + rendered + text[close:]
            lines[start] = Line(text, lines[start].end)
        elif value.kind == "empty" and stop > start + 1:
            where = self._block_items(key, start, stop)
            last = where[-1]
            m = _ITEM.match(lines[last].text)
            assert m is not None
            new = f"{m.group(1)}-{m.group(2)}{yaml_write.scalar(item)}"
            lines.insert(last + 1, Line(new, lines[last].end))
        elif stop == start + 1 and (value.kind == "empty" or self.data[key] is None):
            head = (
                text[: value.start].rstrip(" \t") if value.kind != "empty" else text[: value.start]
            )
            lines[start] = Line(
                f"{head} {yaml_write.value([item])}{value.comment}", lines[start].end
            )
        else:
            raise self.refuse(f"the layout of '{key}' cannot be edited safely by lines", snippet)
        return self._finish(lines, expected, f"'{key}'", snippet)

    def remove_item(self, key: str, item: str) -> bytes:
        """Remove every occurrence of ``item`` from the list ``key``; the last one leaves
        ``key: []``."""
        current = self._list_value(key)
        if item not in current:
            return self.raw
        expected = copy.deepcopy(self.data)
        expected[key] = [v for v in current if v != item]
        snippet = self._snippet = f"{key}: {yaml_write.value(expected[key])}"
        extent = self._extent(key)
        assert extent is not None
        start, stop = extent
        lines = list(self.lines)
        value = self._value_of_line(key, start)
        if value.kind == "flow-list" and stop == start + 1:
            text = lines[start].text
            while True:
                flow = _flow_items(text, value.start)
                assert flow is not None
                spans = flow[0]
                values = self._flow_values(text, spans, key, snippet)
                if item not in values:
                    break
                k = values.index(item)
                if len(spans) == 1:
                    cut = spans[0]
                elif k == len(spans) - 1:
                    cut = (spans[k - 1][1], spans[k][1])
                else:
                    cut = (spans[k][0], spans[k + 1][0])
                text = text[: cut[0]] + text[cut[1] :]
            lines[start] = Line(text, lines[start].end)
        elif value.kind == "empty" and stop > start + 1:
            where = self._block_items(key, start, stop)
            drop = [index for index, v in zip(where, current, strict=True) if v == item]
            for index in drop:
                end = _scalar_end(lines[index].text, _ITEM.match(lines[index].text).end())  # type: ignore[union-attr]
                if end is not None and lines[index].text[end:].strip():
                    raise self.refuse(
                        f"the item {item} of '{key}' carries a comment that would be lost", snippet
                    )
            if len(drop) == len(where):
                lines[start] = Line(
                    lines[start].text[: self._colon_end(key, start)] + " []" + value.comment,
                    lines[start].end,
                )
            for index in sorted(drop, reverse=True):
                del lines[index]
        else:
            raise self.refuse(f"the layout of '{key}' cannot be edited safely by lines", snippet)
        return self._finish(lines, expected, f"'{key}'", snippet)

    def _colon_end(self, key: str, index: int) -> int:
        m = _key_line(key).match(self.lines[index].text)
        assert m is not None
        return m.end()

    def _flow_values(
        self, text: str, spans: list[tuple[int, int]], key: str, snippet: str
    ) -> list[Any]:
        from cxlib.kb.yaml_strict import YamlProblem, load

        out = []
        for a, b in spans:
            try:
                out.append(load(f"[{text[a:b]}]\n").data[0])
            except (YamlProblem, IndexError, TypeError):
                raise self.refuse(f"cannot read an item of '{key}'", snippet) from None
        return out

    # -- single values ---------------------------------------------------------------------
    def set_value(self, path: str, value: Any) -> bytes:
        """Set a top-level key, or a key of a top-level block mapping (``result.outcome``), to a
        scalar or a list of scalars."""
        key, _, child = path.partition(".")
        expected = copy.deepcopy(self.data)
        if not child:
            if key not in self.data and value is None:
                return self.raw
            expected[key] = value
            snippet = self._snippet = f"{key}: {yaml_write.value(value)}"
            return self._finish(self._set_top(key, value, snippet), expected, f"'{key}'", snippet)
        self._expect_child(expected, key, child, value)
        snippet = self._snippet = f"{key}:\n  {child}: {yaml_write.value(value)}"
        return self._finish(self._set_nested(key, child, value, snippet), expected, path, snippet)

    def _expect_child(self, expected: dict[str, Any], key: str, child: str, value: Any) -> None:
        """``expected`` with ``key.child`` set to ``value`` (``key`` made a mapping if absent)."""
        parent = expected.get(key)
        if parent is None:
            parent = {}
        if not isinstance(parent, dict):
            raise self.refuse(f"'{key}' is not a mapping")
        parent[child] = value
        expected[key] = parent

    def touch(self, today: dt.date) -> bytes:
        """Set ``updated:`` to ``today``: its value alone where the key exists, else a new line
        right after ``created`` (at the end of the front-matter without one)."""
        if "updated" in self.data:
            return self.set_value("updated", today)
        # The keys in their new order: an edit is checked to reorder nothing else.
        expected: dict[str, Any] = {}
        for key, value in copy.deepcopy(self.data).items():
            expected[key] = value
            if key == "created":
                expected["updated"] = today
        expected.setdefault("updated", today)
        snippet = f"updated: {yaml_write.value(today)}"
        lines = list(self.lines)
        created = self._extent("created")
        at = created[1] if created is not None else self.close
        lines[at:at] = [Line(snippet, self._newline)]
        return self._finish(lines, expected, "'updated'", snippet)

    def _set_top(self, key: str, value: Any, snippet: str) -> list[Line]:
        lines = list(self.lines)
        extent = self._extent(key)
        if extent is None:
            self._insert_key(lines, [f"{key}: {yaml_write.value(value)}"])
            return lines
        start, stop = extent
        text = lines[start].text
        old = self._value_of_line(key, start)
        end = lines[start].end
        if stop == start + 1 and old.kind in ("plain", "quoted", "flow-list"):
            rendered = _render_like(text[old.start : old.end], value)
            lines[start] = Line(text[: old.start] + rendered + text[old.end :], end)
        elif stop == start + 1 and old.kind == "empty":
            lines[start] = Line(f"{text[: old.start]} {yaml_write.value(value)}{old.comment}", end)
        else:
            # A value over several lines: replace them all, refusing to drop a comment.
            inside = [text[old.start : old.end], *(lines[i].text for i in range(start + 1, stop))]
            if old.kind != "block-scalar" and has_comment("\n".join(inside)):
                raise self.refuse(f"'{key}' holds a comment that would be lost", snippet)
            comment = old.comment if old.kind in ("empty", "block-scalar") else ""
            head = text[: self._colon_end(key, start)]
            new = [f"{head} {yaml_write.value(value)}{comment}"]
            if old.kind == "empty" and isinstance(value, list) and value:
                m = _ITEM.match(lines[start + 1].text)
                if m is not None:
                    prefix = f"{m.group(1)}-{m.group(2)}"
                    new = [f"{head}{comment}"] + [f"{prefix}{yaml_write.scalar(v)}" for v in value]
            lines[start:stop] = [Line(t, end) for t in new]
        return lines

    def _set_nested(self, key: str, child: str, value: Any, snippet: str) -> list[Line]:
        lines = list(self.lines)
        rendered = yaml_write.value(value)
        extent = self._extent(key)
        if extent is None:
            self._insert_key(lines, [f"{key}:", f"  {child}: {rendered}"])
            return lines
        start, stop = extent
        text, end = lines[start].text, lines[start].end
        old = self._value_of_line(key, start)
        if self.data[key] is None and stop == start + 1:
            if old.kind not in ("empty", "plain"):
                raise self.refuse(f"the layout of '{key}' cannot be edited safely", snippet)
            lines[start] = Line(text[: self._colon_end(key, start)] + old.comment, end)
            lines.insert(start + 1, Line(f"  {child}: {rendered}", end))
            return lines
        if old.kind != "empty" or not isinstance(self.data[key], dict):
            raise self.refuse(f"'{key}' is not a block mapping cxlib can edit by lines", snippet)
        loc = self.parsed.locations.get(f"{key}.{child}")
        if loc is None:
            first = next(
                i
                for i in range(start + 1, stop)
                if lines[i].text.strip() and not _is_comment(lines[i].text)
            )
            indent = lines[first].text[: len(lines[first].text) - len(lines[first].text.lstrip())]
            lines.insert(stop, Line(f"{indent}{child}: {rendered}", lines[stop - 1].end))
            return lines
        index = loc.line - 1
        line = lines[index].text
        m = re.compile(rf"^( +){re.escape(child)}([ \t]*):(?=[ \t]|$)").match(line)
        if m is None:
            raise self.refuse(f"the key '{key}.{child}' is written in a form cxlib does not edit")
        inner = _inline(line, m.end())
        following = next(
            (lines[i].text for i in range(index + 1, stop) if lines[i].text.strip()), None
        )
        continued = following is not None and (
            len(following) - len(following.lstrip()) > len(m.group(1))
        )
        if inner.kind not in ("plain", "quoted", "empty", "flow-list") or continued:
            raise self.refuse(f"'{key}.{child}' spans several lines", snippet)
        if not _TAIL.match(inner.comment):
            raise self.refuse(f"cannot read the line of '{key}.{child}' safely", snippet)
        if inner.kind == "empty":
            new = f"{line[: inner.start]} {rendered}{inner.comment}"
        else:
            new = line[: inner.start] + _render_like(line[inner.start : inner.end], value)
            new += line[inner.end :]
        lines[index] = Line(new, lines[index].end)
        return lines

    # -- lists of records ------------------------------------------------------------------
    def set_records(self, path: str, items: list[Any]) -> bytes:
        """Set a top-level key, or a key of a top-level block mapping (``result.variants``), to
        a list of records: a block list with one flow mapping per line, ``key: []`` when empty.
        The old value's lines (flow, names, records in either style) are replaced wholly; a
        comment on them is refused, since it could not be kept in place (one on the key's own
        line is kept)."""
        key, _, child = path.partition(".")
        expected = copy.deepcopy(self.data)
        lines = list(self.lines)
        if not child:
            expected[key] = items
            new = _records_block(key, items, "", "  ")
            self._snippet = "\n".join(new)
            extent = self._extent(key)
            if extent is None:
                self._insert_key(lines, new)
            else:
                self._replace_block(lines, key, "", *extent, items, "  ")
            return self._finish(lines, expected, f"'{key}'", self._snippet)
        self._expect_child(expected, key, child, items)
        self._snippet = "\n".join([f"{key}:", *_records_block(child, items, "  ", "  ")])
        lines = self._nested_records(key, child, items, lines)
        return self._finish(lines, expected, path, self._snippet)

    def _nested_records(
        self, key: str, child: str, items: list[Any], lines: list[Line]
    ) -> list[Line]:
        extent = self._extent(key)
        if extent is None:
            self._insert_key(lines, [f"{key}:", *_records_block(child, items, "  ", "  ")])
            return lines
        start, stop = extent
        text, end = lines[start].text, lines[start].end
        old = self._value_of_line(key, start)
        if self.data[key] is None and stop == start + 1 and old.kind in ("empty", "plain"):
            lines[start] = Line(text[: self._colon_end(key, start)] + old.comment, end)
            new = _records_block(child, items, "  ", "  ")
            lines[start + 1 : start + 1] = [Line(t, end) for t in new]
            return lines
        if old.kind != "empty" or not isinstance(self.data[key], dict):
            raise self.refuse(f"'{key}' is not a block mapping cxlib can edit by lines")
        first = next(
            i
            for i in range(start + 1, stop)
            if lines[i].text.strip() and not _is_comment(lines[i].text)
        )
        indent = lines[first].text[: len(lines[first].text) - len(lines[first].text.lstrip())]
        loc = self.parsed.locations.get(f"{key}.{child}")
        if loc is None:
            new = _records_block(child, items, indent, indent)
            lines[stop:stop] = [Line(t, lines[stop - 1].end) for t in new]
            return lines
        begin = loc.line - 1
        later = [
            self.parsed.locations[f"{key}.{k}"].line - 1
            for k in self.data[key]
            if f"{key}.{k}" in self.parsed.locations
            and self.parsed.locations[f"{key}.{k}"].line - 1 > begin
        ]
        finish = min([*later, stop])
        while finish - 1 > begin and (
            not lines[finish - 1].text.strip() or _is_comment(lines[finish - 1].text)
        ):
            finish -= 1
        self._replace_block(lines, f"{key}.{child}", indent, begin, finish, items, indent)
        return lines

    def _replace_block(
        self,
        lines: list[Line],
        name: str,
        indent: str,
        start: int,
        stop: int,
        items: list[Any],
        step: str,
    ) -> None:
        """Replace the lines [start, stop) of the key ``name`` (its last part written at
        ``indent``) by the records ``items``, keeping a comment on the key's line."""
        text, end = lines[start].text, lines[start].end
        last = name.rpartition(".")[2]
        m = re.compile(rf"^{re.escape(indent)}{re.escape(last)}([ \t]*):(?=[ \t]|$)").match(text)
        if m is None:
            raise self.refuse(f"the key '{name}' is written in a form cxlib does not edit")
        old = _inline(text, m.end())
        if old.comment and not _TAIL.match(old.comment):
            raise self.refuse(f"cannot read the line of '{name}' safely")
        inside = [text[old.start : old.end]]
        if old.kind != "block-scalar":  # a block scalar's lines are text, not YAML
            inside += [lines[i].text for i in range(start + 1, stop)]
        if has_comment("\n".join(inside)):
            raise self.refuse(f"'{name}' holds a comment that would be lost")
        head = text[: m.end()]
        new = [f"{head}{old.comment}", *_records_block(last, items, indent, step)[1:]]
        lines[start:stop] = [Line(t, end) for t in (new if items else [f"{head} []{old.comment}"])]

    # -- renumbering -----------------------------------------------------------------------
    def replace_id(self, fields: list[str], old: str, new: str) -> bytes:
        """Replace the id ``old`` by ``new`` wherever it is the whole value of one of ``fields``
        (a scalar or a list item), keeping each value's quoting."""
        expected = copy.deepcopy(self.data)
        lines = list(self.lines)
        targets: list[tuple[int, int, bool]] = []  # (line, column of the scalar, in a flow list)
        for name in fields:
            value = self.data.get(name)
            if value == old:
                expected[name] = new
                index = self.parsed.locations[name].line - 1
                targets.append((index, self._value_of_line(name, index).start, False))
            elif isinstance(value, list):
                key_line = self.parsed.locations[name].line - 1
                flow = self._value_of_line(name, key_line).kind == "flow-list"
                for i, v in enumerate(value):
                    if v == old:
                        expected[name][i] = new
                        loc = self.parsed.locations[f"{name}.{i}"]
                        targets.append((loc.line - 1, loc.column - 1, flow))
        if not targets:
            return self.raw
        for index, column, flow in sorted(targets, reverse=True):
            text = lines[index].text
            end = _scalar_end(text, column, flow)
            token = text[column:end] if end is not None else ""
            if token not in (old, f'"{old}"', f"'{old}'"):
                raise self.refuse(f"cannot rewrite {old} on line {index + 1}")
            lines[index] = Line(
                text[:column] + token.replace(old, new) + text[end:], lines[index].end
            )
        return self._finish(lines, expected, f"{old}", None)

    # -- the body --------------------------------------------------------------------------
    def replace_wiki_links(self, old: str, new: str) -> bytes:
        """Point every body link to ``old`` at ``new``, in whichever form it is written
        (``[[old]]``, ``[[old-slug|text]]``, ``[[old#heading]]``…), on the lines where the parser
        sees links (not in code blocks or HTML comments)."""
        return self.rewrite_wiki_links(
            lambda link: renumbered(link, old, new) if link.id.upper() == old else None,
            lambda target: new if target.upper() == old else target,
            f"the links to {old}",
        )

    def rewrite_wiki_links(
        self,
        change: Callable[[WikiLink], WikiLink | None],
        retarget: Callable[[str], str] = lambda target: target,
        what: str = "the links",
    ) -> bytes:
        """Rewrite the body links ``change`` gives a new form for; the links must still point
        where ``retarget`` says they should, and nothing else may change."""
        lines = list(self.lines)
        for number in sorted({n for _t, n in self.parsed.wiki_links}):
            line = lines[number - 1]
            text, count = rewrite_line(line.text, change)
            if count:
                lines[number - 1] = Line(text, line.end)
        if lines == list(self.lines):
            return self.raw
        new_raw = self._bytes(lines)
        parsed = parse_bytes(new_raw)
        expected = [(retarget(t.upper()), n) for t, n in self.parsed.wiki_links]
        if (
            parsed.problems
            or _canon(parsed.data) != _canon(self.data)
            or [(t.upper(), n) for t, n in parsed.wiki_links] != expected
        ):
            raise self.refuse(f"rewriting {what} would change more than those links")
        return new_raw

    def append_to_section(self, title: str, text: str) -> bytes:
        """Add ``text`` at the end of the body section ``## title`` (created at the end of the
        file when missing); nothing else changes."""
        section = self.parsed.section(title)
        new_text = [t.rstrip() for t in text.strip("\n").replace("\r\n", "\n").split("\n")]
        lines = list(self.lines)
        nl = self._newline
        if section is None:
            if lines and lines[-1].end == "":
                lines[-1] = Line(lines[-1].text, nl)
            at = len(lines)
            block = ["", f"## {title}", "", *new_text]
        else:
            heading = section.line - 1
            m = _HEADING.match(lines[heading].text)
            level = len(m.group(1)) if m else 2
            stop = len(lines)
            fence: str | None = None
            for i in range(heading + 1, len(lines)):
                t = lines[i].text
                is_fence, fence = fence_after(t, fence)
                if is_fence:
                    continue
                h = None if fence else _HEADING.match(t)
                if h and len(h.group(1)) <= level:
                    stop = i
                    break
            at = stop
            while at - 1 > heading and not lines[at - 1].text.strip():
                at -= 1
            if at == len(lines) and lines[-1].end == "":
                lines[-1] = Line(lines[-1].text, nl)
            block = ["", *new_text]
        lines[at:at] = [Line(t, nl) for t in block]
        new_raw = self._bytes(lines)
        parsed = parse_bytes(new_raw)
        after = parsed.section(title)
        if (
            parsed.problems
            or _canon(parsed.data) != _canon(self.data)
            or after is None
            or not after.has_content
        ):
            raise self.refuse(f"adding to the '## {title}' section failed its check")
        return new_raw
