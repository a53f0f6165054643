"""Reading a user's query: whoosh's query language, made strict where it is silently lenient.

whoosh turns an unknown ``field:`` into plain words and ignores ``>``/``<`` exclusivity on dates;
here an unknown field, a malformed date and an unknown enumeration value (``status:finised``) are
errors that say what is wrong. Dates are ISO only (``2025``, ``2025-03``, ``2025-03-01``), so a
query never depends on the clock.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Mapping, Set
from typing import Any

from cxlib.index import backend  # noqa: F401  (first: how whoosh loads; see there)

# isort: split
from whoosh import qparser, query
from whoosh.qparser import syntax, taggers

from cxlib.index.errors import InvalidQueryError
from cxlib.index.records import DATE_FIELDS
from cxlib.index.schema import DEFAULT_FIELDS, KEYWORD_FIELDS, TEXT_FIELDS, make_schema

ALIASES = {
    "tag": ["tags"],
    "metric": ["metrics"],
    "primary": ["primary_metric"],
    "segment": ["segments"],
    "link": ["links"],
}
# Fields whose values come from a fixed list (the models' enumerations and cxlib.toml).
VOCABULARY_FIELDS = frozenset(
    [
        "kind",
        "status",
        "outcome",
        "decision",
        "type",
        "source",
        "stage",
        "touchpoint",
        "team",
        "segment",
        "metric",
        "primary",
    ]
)
QUERY_FIELDS = (*KEYWORD_FIELDS, *TEXT_FIELDS, *DATE_FIELDS)
DATE_HELP = (
    "use 2025, 2025-03 or 2025-03-01, >2025-01-01 (also >=, <, <=), or [2025-01-01 TO 2025-06-30]"
)
_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")
_RANGE = re.compile(r"^\[\s*(\S*?)\s*\b(?:to|TO|To)\b\s*(\S*?)\s*\]$")
_COMPARE = re.compile(r"^(>=|=>|<=|=<|>|<)?(.*)$")

# A parsed query, as the rest of cxlib names it without knowing the backend.
Parsed = query.Query


class _BadDate(ValueError):
    pass


def _span(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day a partial ISO date covers."""
    m = _DATE.match(text)
    if not m:
        raise _BadDate("not a date")
    year = int(m.group(1))
    try:
        if m.group(3):
            day = dt.date(year, int(m.group(2)), int(m.group(3)))
            return day, day
        if m.group(2):
            month = int(m.group(2))
            last = calendar.monthrange(year, month)[1]
            return dt.date(year, month, 1), dt.date(year, month, last)
    except (ValueError, calendar.IllegalMonthError):
        raise _BadDate("no such date") from None
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def date_bounds(field: str, value: str) -> tuple[dt.date | None, dt.date | None]:
    """Inclusive first and last day matched by a date clause's value (None: unbounded)."""
    try:
        return _bounds(value)
    except _BadDate as e:
        raise InvalidQueryError(f"{field}:{value}: {e}", hint=DATE_HELP) from None


def _bounds(value: str) -> tuple[dt.date | None, dt.date | None]:
    ranged = _RANGE.match(value)
    if ranged:
        low, high = ranged.group(1), ranged.group(2)
        if not low and not high:
            raise _BadDate("a range needs at least one date")
        return (_span(low)[0] if low else None, _span(high)[1] if high else None)
    if value.startswith(("[", "{")):
        raise _BadDate("not a date range")
    m = _COMPARE.match(value)
    assert m is not None  # the pattern matches any text
    op, text = m.group(1) or "", m.group(2)
    first, last = _span(text)
    one_day = dt.timedelta(days=1)
    if op == ">":
        return last + one_day, None
    if op in (">=", "=>"):
        return first, None
    if op == "<":
        return None, first - one_day
    if op in ("<=", "=<"):
        return None, last
    return first, last


class _DateNode(syntax.SyntaxNode):  # type: ignore[misc]
    has_fieldname = True

    def __init__(self, fieldname: str, low: dt.date | None, high: dt.date | None) -> None:
        self.fieldname = fieldname
        self.low = low
        self.high = high
        self.boost = 1.0

    def r(self) -> str:
        return f"{self.low}..{self.high}"

    def query(self, parser: Any) -> query.Query:
        start = dt.datetime.combine(self.low, dt.time.min) if self.low else None
        end = dt.datetime.combine(self.high, dt.time.max) if self.high else None
        return query.DateRange(self.fieldname, start, end)


class _DateTagger(taggers.RegexTagger):  # type: ignore[misc]
    def __init__(self, fields: tuple[str, ...]) -> None:
        names = "|".join(sorted(fields, key=len, reverse=True))
        super().__init__(rf"(?P<field>{names}):(?P<value>\[[^\]]*\]|\{{[^}}]*\}}|[^\s()]+)")

    def create(self, parser: Any, match: re.Match[str]) -> _DateNode:
        low, high = date_bounds(match.group("field"), match.group("value"))
        return _DateNode(match.group("field"), low, high)


class _DatePlugin(qparser.Plugin):  # type: ignore[misc]
    """``created:2025``, ``start:>=2025-03``, ``end:[2025-01-01 TO 2025-06-30]`` as exact ranges
    (on the built-in dates and the declared date fields)."""

    def __init__(self, fields: tuple[str, ...]) -> None:
        self.fields = fields

    def taggers(self, parser: Any) -> list[tuple[Any, int]]:
        # Before the field and range taggers, so whoosh never sees a date clause.
        return [(_DateTagger(self.fields), -10)]


class _KnownFieldsPlugin(qparser.Plugin):  # type: ignore[misc]
    """An unknown ``field:`` is an error, not silently a word (whoosh's default)."""

    def __init__(self, fields: Set[str], declared: tuple[str, ...] = ()) -> None:
        self.fields = fields
        self.named = (*QUERY_FIELDS, *declared)  # as the hint lists them

    def filters(self, parser: Any) -> list[tuple[Any, int]]:
        # After aliases are resolved (90), before whoosh turns unknown fields into text (100).
        return [(self.check, 95)]

    def check(self, parser: Any, group: Any) -> Any:
        for node in group:
            if isinstance(node, syntax.FieldnameNode) and node.fieldname not in self.fields:
                raise InvalidQueryError(
                    f"unknown field '{node.fieldname}:' in the query",
                    hint=f"fields: {', '.join(self.named)}; to search for the text itself, "
                    f'put it in quotes: "{node.fieldname}:..."',
                )
            if isinstance(node, syntax.GroupNode):
                self.check(parser, node)
        return group


def make_parser(custom: Mapping[str, str] | None = None) -> qparser.QueryParser:
    """The parser of queries over the built-in fields and ``custom`` (declared, name to type)."""
    custom = custom or {}
    schema = make_schema(custom)
    # A document's own id outranks every document that merely mentions it.
    parser = qparser.MultifieldParser(list(DEFAULT_FIELDS), schema, fieldboosts={"id": 20.0})
    dates = (*DATE_FIELDS, *(name for name, kind in custom.items() if kind == "date"))
    parser.add_plugin(_DatePlugin(dates))
    parser.add_plugin(qparser.FieldAliasPlugin(ALIASES))
    parser.add_plugin(_KnownFieldsPlugin({*schema.names(), "*"}, tuple(custom)))
    return parser


def parse_query(
    text: str,
    vocabulary: Callable[[], Mapping[str, Set[str]]],
    custom: Mapping[str, str] | None = None,
) -> query.Query:
    """The whoosh query for ``text``; InvalidQueryError says what is wrong with it. ``custom``:
    the fields cxlib.toml declares, name to type (a one-of field is checked like an
    enumeration when ``vocabulary()`` gives its values).

    ``vocabulary()`` gives the values each enumerated field may take (lower case); a term
    outside them is an error with the valid values as the hint. Wildcards are not checked. It is
    called only for a query that names such a field (it costs imports a free-text query avoids).
    """
    if not text.strip():
        raise InvalidQueryError("the query is empty", hint='e.g. cxlib search "free shipping"')
    try:
        parsed = make_parser(custom).parse(text)
    except InvalidQueryError:
        raise
    except Exception as e:  # whoosh's parser raises whatever its plugins raise
        raise InvalidQueryError(f"cannot read the query: {e}") from None
    if parsed is query.NullQuery:
        raise InvalidQueryError(
            f"the query {text!r} has nothing to search for",
            hint="give a word, a phrase or a field:value (common words such as 'the' are ignored)",
        )
    known: Mapping[str, Set[str]] | None = None
    for leaf in parsed.leaves():
        enumerated = leaf.fieldname in VOCABULARY_FIELDS or leaf.fieldname in (custom or {})
        if type(leaf) is not query.Term or not enumerated:
            continue
        known = known if known is not None else vocabulary()
        allowed = known.get(leaf.fieldname)
        if allowed is None:
            continue
        if leaf.text not in allowed:
            raise InvalidQueryError(
                f"{leaf.fieldname}:{leaf.text}: no document can have this {leaf.fieldname}",
                hint=f"{leaf.fieldname} is one of: {', '.join(sorted(allowed))}",
            )
    return parsed
