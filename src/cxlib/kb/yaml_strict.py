"""The one YAML dialect cxlib reads: a strict subset of YAML, parsed from libyaml's event stream.

Building values from events (rather than PyYAML's composer) lets us refuse anchors, aliases, tags,
duplicate keys, non-string keys and deep nesting *as they are met*, so an alias bomb costs
microseconds, and lets us record the line of every key for located error messages.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from cxlib.model.source import NUMBER_DIGITS, NUMBER_LIMIT, Scalar

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# First characters of every plain scalar YAML's implicit resolvers could read as something other
# than a string (bool, int, float, null, timestamp, merge, value).
_MAYBE_TYPED = frozenset("yYnNtTfFoO~0123456789+-.<=")


class _Loader(_Base):  # type: ignore[misc,valid-type]
    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # Most values are prose; skip the resolvers' regular expressions for them.
        if kind is yaml.ScalarNode and implicit[0] and value and value[0] not in _MAYBE_TYPED:
            return _STR_TAG
        return super().resolve(kind, value, implicit)


class _Composer(_Base):  # type: ignore[misc,valid-type]
    """libyaml's composer, every node left untyped: it asks Python for each node's tag, and
    the node walk (:class:`_NodeTree`) types only the plain scalars that may be other than text
    (a fifth of the parse, 10,000 documents: 0.4 s)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        return _STR_TAG

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


MAX_DEPTH = 16
_STR_TAG = "tag:yaml.org,2002:str"
_SUSPECT = re.compile(r"[&*!]")
# C0 and C1 controls but tab and line feed, which are text. libyaml refuses them raw, so a
# decoded string holds one only through a double-quoted escape (\e, \x1b, \u009b).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class YamlProblem(Exception):
    """A located reason to refuse the front-matter. ``line`` is 1-based within the YAML text."""

    def __init__(
        self, code: str, message: str, line: int, column: int = 0, hint: str | None = None
    ):
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.hint = (
            code,
            message,
            line,
            column,
            hint,
        )


@dataclass
class Loaded:
    data: Any
    # "result.outcome" / "tags.2" → where the key (or list item) starts
    locations: dict[str, Scalar] = field(default_factory=dict)


class _Scalars:
    """Scalar values as cxlib accepts them, for the node tree and the event tree alike: text
    without control characters, numbers finite and bounded (a 4,000-digit integer cannot even
    be printed, and an infinity or NaN makes no valid JSON)."""

    def __init__(self, text: str, line_offset: int) -> None:
        self.line_offset = line_offset
        # No backslash, no escape: then no string can hold a control character.
        self.escapes = "\\" in text
        self.constructor = yaml.constructor.SafeConstructor()

    def text(self, value: str, mark: Any) -> str:
        if self.escapes:
            bad = _CONTROL.search(value)
            if bad is not None:
                raise YamlProblem(
                    "yaml-control",
                    f"control character U+{ord(bad.group()):04X} in a quoted value "
                    "(a YAML escape such as \\e, \\x1b or \\u009b)",
                    mark.line + 1 + self.line_offset,
                    mark.column + 1,
                    hint="remove the escape; documents are plain text",
                )
        return value

    def typed(self, node: yaml.ScalarNode) -> Any:
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError, yaml.YAMLError):
            # "2024-13-45" matches the timestamp pattern but is no date: keep the text so the
            # schema reports it as an invalid date instead of PyYAML crashing.
            return node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self._bounded(value, node)
        return value

    def _bounded(self, value: float, node: yaml.ScalarNode) -> None:
        source = _source(node.value)
        if isinstance(value, float) and not math.isfinite(value):
            message = f"{source} is not a finite number"
        elif abs(value) >= NUMBER_LIMIT:
            message = f"number too large: {source} (numbers stay below 1e{NUMBER_DIGITS})"
        else:
            return
        raise YamlProblem(
            "yaml-number",
            message,
            node.start_mark.line + 1 + self.line_offset,
            node.start_mark.column + 1,
            hint=f"write a number below 1e{NUMBER_DIGITS}, or quote the value if it is text: "
            f"'{source}'",
        )


def _source(text: str) -> str:
    """A value's source text, cut short: the number itself may be too long to print."""
    return text if len(text) <= 24 else text[:20] + "..."


class _Builder:
    def __init__(self, scalars: _Scalars) -> None:
        self.resolver = yaml.resolver.Resolver()
        self.scalars = scalars

    def scalar(self, ev: yaml.ScalarEvent) -> Any:
        if ev.implicit[0]:
            tag = self.resolver.resolve(yaml.ScalarNode, ev.value, ev.implicit)
        else:
            tag = _STR_TAG
        if tag == _STR_TAG:
            return self.scalars.text(ev.value, ev.start_mark)
        node = yaml.ScalarNode(tag, ev.value, ev.start_mark, ev.end_mark, ev.style)
        return self.scalars.typed(node)


def _refuse_special(ev: Any, line_offset: int) -> None:
    line, col = ev.start_mark.line + 1 + line_offset, ev.start_mark.column + 1
    if isinstance(ev, yaml.AliasEvent) or getattr(ev, "anchor", None) is not None:
        raise YamlProblem(
            "yaml-alias",
            "YAML anchors/aliases are not allowed (& and *)",
            line,
            col,
            hint="write the value out in full",
        )
    tag = getattr(ev, "tag", None)
    if tag is not None and tag != "!":
        raise YamlProblem(
            "yaml-tag",
            f"unsupported YAML tag {tag!r}",
            line,
            col,
            hint="remove the tag; quote the value if it must stay text",
        )


def load(text: str, line_offset: int = 0) -> Loaded:
    """Parse one YAML document into plain Python values, recording where each key starts.

    ``line_offset`` is added to every line, so lines name the file, not the YAML chunk.
    """
    try:
        if _SUSPECT.search(text) is None:
            # No '&', '*' or '!' anywhere: no anchor, alias or tag is possible, so libyaml may
            # compose the node tree in C (about twice as fast as walking events in Python).
            return _load_nodes(text, line_offset)
        return _load_events(text, line_offset)
    except yaml.MarkedYAMLError as e:
        raise _problem_from(e, text, line_offset) from None
    except yaml.YAMLError as e:
        raise YamlProblem("yaml-syntax", f"YAML error: {e}", 1 + line_offset) from None
    except RecursionError:
        raise YamlProblem("yaml-depth", "nesting too deep", 1 + line_offset) from None


def _problem_from(e: yaml.MarkedYAMLError, text: str, line_offset: int) -> YamlProblem:
    mark = e.problem_mark or e.context_mark
    line = (mark.line + 1 if mark else 1) + line_offset
    column = mark.column + 1 if mark else 0
    problem = e.problem or "invalid YAML"
    if "tab character" in problem or "'\\t'" in problem or _char_at(text, mark) == "\t":
        return YamlProblem(
            "yaml-tab",
            f"tab characters are not allowed for indentation (line {line})",
            line,
            column,
            hint="indent with spaces",
        )
    if "nesting depth" in problem:
        return YamlProblem("yaml-depth", "nesting too deep", line, column)
    if (
        "expected a single document" in problem
        or "but found another document" in (e.context or "") + problem
    ):
        return YamlProblem(
            "yaml-syntax", "only one YAML document is allowed in front-matter", line, column
        )
    moved = _where_it_opened(e, text, line_offset) or _needs_quotes(e, text, line_offset)
    if moved is not None:
        return moved
    context = f" {e.context}" if e.context else ""
    opened, opener = e.context_mark, _opener(e.context)
    if opened is not None and opener and mark is not None and opened.line != mark.line:
        context += f" ({opener} opened on line {opened.line + 1 + line_offset})"
    return YamlProblem(
        "yaml-syntax",
        f"YAML syntax error: {problem}{context}",
        line,
        column,
        hint="check quoting, brackets and indentation on that line",
    )


_KEY_VALUE = re.compile(r"^(\s*[A-Za-z_][\w-]*):[ \t]+(.*?)\s*$")


def _needs_quotes(e: yaml.MarkedYAMLError, text: str, line_offset: int) -> YamlProblem | None:
    """The two errors a person meets writing plain text as a value, in their words: a ': '
    inside it (a title "Shoppers: they hate fees") and a first character YAML reads as syntax
    ("[Draft] ..."). The hint is the line with the value quoted."""
    mark = e.problem_mark
    if mark is None:
        return None
    lines = text.split("\n")
    row = e.context_mark.line if e.context_mark is not None else mark.line
    found = None
    for candidate in dict.fromkeys((mark.line, row)):
        m = _KEY_VALUE.match(lines[candidate]) if 0 <= candidate < len(lines) else None
        if m and m.group(2) and not m.group(2).startswith(("'", '"')):
            found = candidate, m
            break
    if found is None:
        return None
    number, m = found
    key, value = m.group(1), m.group(2)
    problem = e.problem or ""
    if "mapping values are not allowed" in problem and ": " in value:
        why = "a value with ': ' in it needs quotes"
    elif value[0] in "&*!|>%@`" or (value[0] in "[{" and not value.endswith(("]", "}"))):
        why = f"a value that starts with '{value[0]}' needs quotes"
    else:
        return None
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return YamlProblem(
        "yaml-syntax",
        f"YAML syntax error: {why}",
        number + 1 + line_offset,
        len(key) + 3,
        hint=f'write it as {key.strip()}: "{quoted}"',
    )


def _where_it_opened(e: yaml.MarkedYAMLError, text: str, line_offset: int) -> YamlProblem | None:
    """An error libyaml notices only after the quote or bracket that caused it, located at that
    quote or bracket: one never closed (libyaml stops at the closing '---'), or a quoted value
    that ran on over lines into the key where parsing failed."""
    mark = e.problem_mark
    opened, opener = e.context_mark, _opener(e.context)
    if opened is not None and opener and _at_end(text, mark):
        message = f"{opener} opened here is not closed"
    else:
        opened = _quote_running_into(text, mark)
        if opened is None:
            return None
        line = mark.line + 1 + line_offset
        message = (
            f"the quoted value opened here is not closed on its line: it runs on to line "
            f"{line} ({e.problem})"
        )
    return YamlProblem(
        "yaml-syntax",
        f"YAML syntax error: {message}",
        opened.line + 1 + line_offset,
        opened.column + 1,
        hint="close the quote or bracket on its line, or quote the whole value",
    )


def _quote_running_into(text: str, mark: Any) -> Any:
    """Where a quoted value starts that spans lines and ends on the line of ``mark``; None if
    the last quoted value before ``mark`` does not."""
    if mark is None:
        return None
    last = None
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                last = token
    except yaml.YAMLError:
        pass
    if last is not None and last.start_mark.line < last.end_mark.line == mark.line:
        return last.start_mark
    return None


def _char_at(text: str, mark: Any) -> str:
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines):
        return ""
    line: str = lines[mark.line]
    return line[mark.column : mark.column + 1]


def _at_end(text: str, mark: Any) -> bool:
    """Whether ``mark`` is the end of ``text``: nothing but the end follows it."""
    lines = text.split("\n")
    return mark is not None and (
        mark.line > len(lines) - 1
        or (mark.line == len(lines) - 1 and mark.column >= len(lines[-1]))
    )


_OPENERS = {
    "quoted scalar": "the quoted value",
    "flow sequence": "the [ list",
    "flow mapping": "the { mapping",
}


def _opener(context: str | None) -> str:
    """What libyaml was inside of when it failed, if it is something a quote or bracket opens."""
    return next((name for what, name in _OPENERS.items() if what in (context or "")), "")


def _load_nodes(text: str, line_offset: int) -> Loaded:
    loader = _Composer(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    tree = _NodeTree(_Scalars(text, line_offset))
    data = None if root is None else tree.value(root, "", 0)
    return Loaded(data, tree.locations)


_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode
_RESOLVER = yaml.resolver.Resolver()  # its implicit resolvers only: it keeps no state for these
# What each short plain scalar read as so far, a pure function of its text (text: _TEXT; else
# its value, which is immutable: a number, a boolean, None, a date): keys such as "title",
# "tags" or "owner" and values such as "50" or a date recur from document to document, and
# reading one runs several regular expressions and a constructor. Bounded in number and length.
_PLAIN_READ: dict[str, Any] = {}
_TEXT = object()
_READ_KEPT = 20_000
_READ_KEPT_UP_TO = 32  # characters


class _NodeTree:
    """Plain values from a node tree libyaml composed untyped (see :class:`_Composer`), and where
    each key and list item starts. The hot path of every cold read: written for speed."""

    def __init__(self, scalars: _Scalars) -> None:
        self.line_offset = scalars.line_offset + 1
        self.scalars = scalars
        self.locations: dict[str, Scalar] = {}

    def value(self, node: yaml.Node, path: str, depth: int) -> Any:
        if depth > MAX_DEPTH:
            raise YamlProblem(
                "yaml-depth",
                f"nesting too deep (more than {MAX_DEPTH} levels)",
                node.start_mark.line + self.line_offset,
                node.start_mark.column + 1,
            )
        kind = node.__class__
        if kind is _ScalarNode:
            return self.scalar(node)
        if kind is _SequenceNode:
            return self.sequence(node, path, depth)
        return self.mapping(node, path, depth)

    def scalar(self, node: yaml.Node) -> Any:
        text = node.value
        # A plain scalar (no tag is possible here) is text unless YAML reads it as something
        # else; a quoted one is always text.
        if node.style or (text and text[0] not in _MAYBE_TYPED):
            return self.scalars.text(text, node.start_mark)
        known = _PLAIN_READ.get(text, _PLAIN_READ)  # the dict itself: not read yet
        if known is _PLAIN_READ:
            tag = _RESOLVER.resolve(_ScalarNode, text, (True, False))
            if tag == _STR_TAG:
                known = _TEXT
            else:
                node.tag = tag
                known = self.scalars.typed(node)  # a refusal (a number too large) is not kept
            if len(text) <= _READ_KEPT_UP_TO and len(_PLAIN_READ) < _READ_KEPT:
                _PLAIN_READ[text] = known
        if known is _TEXT:
            return self.scalars.text(text, node.start_mark)
        return known

    def sequence(self, node: yaml.Node, path: str, depth: int) -> list[Any]:
        items = []
        locations, offset, deeper = self.locations, self.line_offset, depth + 1
        for i, child in enumerate(node.value):
            sub = f"{path}.{i}" if path else str(i)
            mark = child.start_mark
            locations[sub] = loc = Scalar(mark.line + offset, mark.column + 1)
            item = self.value(child, sub, deeper)
            if child.__class__ is _ScalarNode and not child.style and item.__class__ is not str:
                loc.plain_text = child.value
            items.append(item)
        return items

    def mapping(self, node: yaml.Node, path: str, depth: int) -> dict[str, Any]:
        mapping: dict[str, Any] = {}
        locations, offset, deeper = self.locations, self.line_offset, depth + 1
        for key_node, child in node.value:
            mark = key_node.start_mark
            loc = Scalar(mark.line + offset, mark.column + 1)
            if key_node.__class__ is not _ScalarNode:
                raise YamlProblem("yaml-key", "keys must be plain strings", loc.line, loc.column)
            key = self.value(key_node, path, deeper)
            if key.__class__ is not str:
                raise _key_not_string(key, key_node.value, loc)
            sub = f"{path}.{key}" if path else key
            if key in mapping:
                raise _duplicate_key(key, locations[sub], loc)
            locations[sub] = loc
            item = self.value(child, sub, deeper)
            if child.__class__ is _ScalarNode and not child.style and item.__class__ is not str:
                loc.plain_text = child.value
            mapping[key] = item
        return mapping


def _key_not_string(key: Any, source: str, loc: Scalar) -> YamlProblem:
    return YamlProblem(
        "yaml-key",
        f"keys must be strings, got {type(key).__name__} {source!r}",
        loc.line,
        loc.column,
        hint=f"quote the key: '{source}'",
    )


def _duplicate_key(key: str, first: Scalar, again: Scalar) -> YamlProblem:
    return YamlProblem(
        "duplicate-key",
        f"duplicate key '{key}' (lines {first.line} and {again.line})",
        again.line,
        again.column,
    )


def _remember_text(loc: Scalar, ev: Any, value: Any) -> None:
    """Keep the source text of an unquoted scalar that YAML did not read as a string
    (``NO`` → false, ``0012`` → 10): the schema's messages quote it back with a hint."""
    plain = isinstance(ev, yaml.ScalarEvent) and ev.implicit[0] and not ev.style
    if plain and not isinstance(value, str):
        loc.plain_text = ev.value


def _load_events(text: str, line_offset: int) -> Loaded:
    builder = _Builder(_Scalars(text, line_offset))
    tree = _EventTree(line_offset)
    documents = 0
    for ev in yaml.parse(text, Loader=_Loader):
        if isinstance(ev, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            continue
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise YamlProblem(
                    "yaml-syntax",
                    "only one YAML document is allowed in front-matter",
                    ev.start_mark.line + 1 + line_offset,
                )
            continue
        _refuse_special(ev, line_offset)
        if isinstance(ev, yaml.ScalarEvent):
            tree.add(builder.scalar(ev), ev, False)
        elif isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            tree.open(ev)
        elif isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            tree.stack.pop()
    return tree.out


class _EventTree:
    """Plain values built from parser events as they arrive, and where each key and list item
    starts."""

    def __init__(self, line_offset: int) -> None:
        self.line_offset = line_offset
        self.out = Loaded(data=None)
        # Stack entries: [container, path, pending_key_or_None, key_location]
        self.stack: list[list[Any]] = []
        self.return_path: dict[int, str] = {}

    def open(self, ev: Any) -> None:
        """Start a mapping or a sequence inside the current container."""
        if len(self.stack) >= MAX_DEPTH:
            raise YamlProblem(
                "yaml-depth",
                f"nesting too deep (more than {MAX_DEPTH} levels)",
                ev.start_mark.line + 1 + self.line_offset,
                ev.start_mark.column + 1,
            )
        value: Any = {} if isinstance(ev, yaml.MappingStartEvent) else []
        self.add(value, ev, True)
        self.stack.append([value, self.return_path.get(id(value), ""), None, None])

    def add(self, value: Any, ev: Any, is_collection: bool) -> None:
        """Put a value into the current container: a list item, a mapping key, or its value."""
        loc = Scalar(ev.start_mark.line + 1 + self.line_offset, ev.start_mark.column + 1)
        if not self.stack:
            self.out.data = value
            return
        frame = self.stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            sub = f"{path}.{len(container)}" if path else str(len(container))
            container.append(value)
            _remember_text(loc, ev, value)
            self.out.locations[sub] = loc
            if is_collection:
                self.return_path[id(value)] = sub
            return
        if frame[2] is None:  # a key
            if is_collection:
                raise YamlProblem("yaml-key", "keys must be plain strings", loc.line, loc.column)
            if not isinstance(value, str):
                raise _key_not_string(value, ev.value, loc)
            if value in container:
                first = self.out.locations[f"{path}.{value}" if path else value]
                raise _duplicate_key(value, first, loc)
            frame[2], frame[3] = value, loc
            container[value] = None
            return
        key, key_loc = frame[2], frame[3]
        sub = f"{path}.{key}" if path else key
        container[key] = value
        _remember_text(key_loc, ev, value)
        self.out.locations[sub] = key_loc
        frame[2] = None
        if is_collection:
            self.return_path[id(value)] = sub
