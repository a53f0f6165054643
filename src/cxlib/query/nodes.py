"""A parsed query: tests of one field, joined by and, or and not. Plain frozen data, built by
:mod:`cxlib.query.grammar` (or by ``list``'s own filters) and read by
:mod:`cxlib.query.predicates`."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from cxlib.errors import UsageError
from cxlib.model.choices import impossible_date

# The comparisons and the words that test a field; "exists" and "missing" take no value.
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
ORDERINGS = ("<", "<=", ">", ">=")

_INT = re.compile(r"^[+-]?[0-9]{1,15}$")
_FLOAT = re.compile(r"^[+-]?([0-9]{1,15}\.[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")

Value = str | int | float | bool | dt.date


class QueryError(UsageError):
    """A query that cannot be run: the message shows the query with a caret under the place."""


def located(query: str, pos: int, message: str) -> QueryError:
    """``message``, then the query, then a caret under character ``pos`` (0-based)."""
    shown = query.replace("\n", " ").replace("\t", " ")
    return QueryError(
        f"{message}\n  {shown}\n  {' ' * max(0, min(pos, len(shown)))}^",
        hint="a query is FIELD OP VALUE joined by and, or, not and parentheses, e.g. "
        "'result.effect > 2 and stage in [purchase, deliver]' (see the README's Queries)",
    )


@dataclass(frozen=True)
class Literal:
    """A value of the query: quoted text stays text; a bare word is a number, a date,
    true/false, or else text."""

    raw: str
    value: Value
    pos: int  # where it starts in the query (0-based)

    @property
    def is_date(self) -> bool:
        return isinstance(self.value, dt.date)

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, int | float) and not isinstance(self.value, bool)


def literal(query: str, raw: str, pos: int, quoted: bool = False) -> Literal:
    """The typed value of a word of ``query`` (see :class:`Literal`)."""
    if quoted:
        return Literal(raw, raw, pos)
    low = raw.lower()
    if low in ("true", "false"):
        return Literal(raw, low == "true", pos)
    if _INT.match(raw):
        return Literal(raw, int(raw), pos)
    if _FLOAT.match(raw) and math.isfinite(float(raw)):
        return Literal(raw, float(raw), pos)
    if _DATE.match(raw):
        why = impossible_date(raw)
        if why:
            raise located(query, pos, f"{raw} is not a date: {why}")
        return Literal(raw, dt.date.fromisoformat(raw), pos)
    return Literal(raw, raw, pos)


@dataclass(frozen=True)
class FieldTest:
    """One field tested: ``op`` is a comparison, ``in``, ``contains``, ``exists`` or
    ``missing``; ``values`` holds one value (a list's for ``in``, none for exists/missing)."""

    field: str
    op: str
    values: tuple[Literal, ...]
    pos: int  # where the field name starts (0-based)
    query: str = ""  # the text it was parsed from, for located errors ("" when built)


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    part: Node


Node = FieldTest | AllOf | AnyOf | Not
