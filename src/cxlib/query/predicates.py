"""A query as a test of one document's data: each node compiled once into a function.

Semantics (the README's "Queries" says the same for users):

- a field holding a list, or a path through a list of records (``result.guardrails.metric``),
  matches when any of its values does; ``!=`` when none equals the value;
- ``=`` compares text in any case (``Won`` is ``won``), numbers as numbers, dates as dates;
- ``<``, ``<=``, ``>``, ``>=`` compare numbers with numbers and dates with dates only;
- ``contains``: a list holding the value (text in any case), or text holding it (in any case);
- ``exists``: the field has a value (not empty, not null); ``missing``: it has none.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from cxlib.model.choices import choice_hint
from cxlib.model.config import ProgramConfig
from cxlib.model.kinds import Kind
from cxlib.query.builtin import DATE
from cxlib.query.fields import known_fields, present_fields, raw_at, values_at
from cxlib.query.nodes import (
    ORDERINGS,
    AllOf,
    AnyOf,
    FieldTest,
    Literal,
    Node,
    Not,
    QueryError,
    located,
)

Data = Mapping[str, Any]
Predicate = Callable[[Data], bool]

_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def always(_: Data) -> bool:
    return True


class Catalogue:
    """The fields the documents of ``kinds`` may be asked about, found lazily: the models'
    and cxlib.toml's first, the keys the documents hold only when a name is neither."""

    def __init__(
        self, config: ProgramConfig, kinds: Sequence[Kind], datas: Callable[[], Iterable[Data]]
    ) -> None:
        self.kinds = kinds
        self.known = known_fields(config, kinds)
        self._datas = datas
        self._present: dict[str, str] | None = None

    def kind_of(self, test: FieldTest) -> str:
        """:data:`DATE` or the other; refuses a field no document of the kinds can have."""
        if test.field in self.known:
            return self.known[test.field]
        if self._present is None:
            self._present = present_fields(self._datas())
        if test.field in self._present:
            return self._present[test.field]
        names = [*self.known, *self._present]
        which = self.kinds[0].value if len(self.kinds) == 1 else "document"
        raise _error(
            test, test.pos, f"no {which} has a field '{test.field}'", choice_hint(test.field, names)
        )


def _error(test: FieldTest, pos: int, message: str, hint: str | None = None) -> QueryError:
    if not test.query:  # built from list's options: they are checked before
        return QueryError(message, hint)
    e = located(test.query, pos, message)
    if hint:
        e.hint = hint
    return e


def compile_node(node: Node, catalogue: Catalogue | None) -> Predicate:
    """The test of one document ``node`` stands for; the fields are checked against
    ``catalogue`` (None: trusted, as list's own options are)."""
    if isinstance(node, AllOf):
        parts = [compile_node(p, catalogue) for p in node.parts]
        return lambda data: all(p(data) for p in parts)
    if isinstance(node, AnyOf):
        parts = [compile_node(p, catalogue) for p in node.parts]
        return lambda data: any(p(data) for p in parts)
    if isinstance(node, Not):
        inner = compile_node(node.part, catalogue)
        return lambda data: not inner(data)
    return _compile_test(node, catalogue)


def _compile_test(test: FieldTest, catalogue: Catalogue | None) -> Predicate:
    dated = catalogue is not None and catalogue.kind_of(test) == DATE
    _check_values(test, dated)
    parts = tuple(test.field.split("."))
    if test.op in ("exists", "missing"):
        want = test.op == "exists"
        return lambda data: bool(_filled(values_at(data, parts))) == want
    if test.op == "contains":
        needle = test.values[0]
        return lambda data: any(_contains(v, needle) for v in raw_at(data, parts))
    if test.op in ORDERINGS:
        compare, bound = _ORDER[test.op], test.values[0]
        return lambda data: any(_ordered(v, bound, compare) for v in values_at(data, parts))
    values = test.values
    if test.op == "!=":
        return lambda data: not any(_equal(v, values[0]) for v in values_at(data, parts))
    return lambda data: any(_equal(v, x) for v in values_at(data, parts) for x in values)


def _check_values(test: FieldTest, dated: bool) -> None:
    for value in test.values:
        if dated and not value.is_date and test.op != "contains":
            raise _error(
                test,
                value.pos,
                f"{test.field} is a date: compare it with a date like 2026-01-01 "
                f"(got {value.raw!r})",
            )
        if test.op in ORDERINGS and not (value.is_number or value.is_date):
            raise _error(
                test,
                value.pos,
                f"'{test.op}' compares numbers or dates; {value.raw!r} is neither",
            )


def _filled(values: list[Any]) -> list[Any]:
    return [v for v in values if v != "" and v != [] and v != {}]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _equal(value: Any, lit: Literal) -> bool:
    wanted = lit.value
    if isinstance(value, dict | list):
        return False
    if isinstance(wanted, bool) or isinstance(value, bool):
        return _text(value) == _text(wanted).lower()
    if lit.is_number:
        return _is_number(value) and value == wanted
    if lit.is_date:
        return isinstance(value, dt.date) and value == wanted
    return _text(value).casefold() == lit.raw.casefold()


def _ordered(value: Any, lit: Literal, compare: Callable[[Any, Any], bool]) -> bool:
    if lit.is_number:
        return _is_number(value) and compare(value, lit.value)
    return isinstance(value, dt.date) and compare(value, lit.value)


def _contains(value: Any, lit: Literal) -> bool:
    if isinstance(value, list):
        return any(_equal(v, lit) for v in value)
    if isinstance(value, str):
        return lit.raw.casefold() in value.casefold()
    return _equal(value, lit)


def compile_where(
    queries: Sequence[str],
    config: ProgramConfig,
    kinds: Sequence[Kind],
    datas: Callable[[], Iterable[Data]],
) -> Predicate:
    """One test for every query given (``--where`` may be given several times: they are
    and-ed); the fields they name are checked against the documents of ``kinds``."""
    from cxlib.query.grammar import parse

    if not queries:
        return always
    catalogue = Catalogue(config, kinds, datas)
    tests = [compile_node(parse(q), catalogue) for q in queries]
    if len(tests) == 1:
        return tests[0]
    return lambda data: all(t(data) for t in tests)
