"""The query language and its parser.

A query is tests of fields joined by ``and``, ``or`` and ``not``, with parentheses::

    result.effect > 2 and (market = de or not tags contains pricing)
    created >= 2026-01-01 and stage in [purchase, deliver] and decision exists

The grammar is lark's (LALR(1), a contextual lexer): one small, readable table, parsed in
linear time, with the column of the first token that does not fit for the error. lark is imported
here only, and this module only by the commands that take a query, so no other command pays for
it (about 50 ms to import and 30 ms to build the parser, once per process).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from cxlib.query.nodes import (
    AllOf,
    AnyOf,
    FieldTest,
    Literal,
    Node,
    Not,
    QueryError,
    literal,
    located,
)

if TYPE_CHECKING:
    from lark import Lark, Token, Tree

GRAMMAR = r"""
?start: disjunction
?disjunction: conjunction (OR conjunction)*
?conjunction: negation (AND negation)*
?negation: NOT negation -> negated
         | "(" disjunction ")"
         | test
test: FIELD OP value
    | FIELD IN "[" [value ("," value)*] "]"
    | FIELD CONTAINS value
    | FIELD EXISTS
    | FIELD MISSING
?value: WORD | STRING
OP: "!=" | "<=" | ">=" | "=" | "<" | ">"
OR.2: /or\b/i
AND.2: /and\b/i
NOT.2: /not\b/i
IN.2: /in\b/i
CONTAINS.2: /contains\b/i
EXISTS.2: /exists\b/i
MISSING.2: /missing\b/i
FIELD: /[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*/
WORD: /[^\s\[\](),'"=<>!]+/
STRING: /"[^"\n]*"/ | /'[^'\n]*'/
%ignore /[ \t]+/
"""

# What each token is, in words, for "expected ..." in an error.
_WORDS = {
    "FIELD": "a field name",
    "OP": "a comparison (=, !=, <, <=, >, >=)",
    "WORD": "a value",
    "STRING": "a value",
    "IN": "'in'",
    "CONTAINS": "'contains'",
    "EXISTS": "'exists'",
    "MISSING": "'missing'",
    "AND": "'and'",
    "OR": "'or'",
    "NOT": "'not'",
    "LPAR": "'('",
    "RPAR": "')'",
    "LSQB": "'['",
    "RSQB": "']'",
    "COMMA": "','",
    "$END": "the end of the query",
}
_ORDER = list(_WORDS)
MAX_LENGTH = 2000  # a query is a line typed or saved, not a document


@functools.cache
def _parser() -> Lark:
    from lark import Lark

    return Lark(GRAMMAR, parser="lalr", lexer="contextual", maybe_placeholders=False)


def _expected(names: set[str] | frozenset[str]) -> str:
    said = list(dict.fromkeys(_WORDS.get(n, n) for n in sorted(names, key=_rank)))
    if not said:
        return ""
    return "; expected " + (", ".join(said[:-1]) + " or " + said[-1] if len(said) > 1 else said[0])


def _rank(name: str) -> int:
    return _ORDER.index(name) if name in _ORDER else len(_ORDER)


def parse(query: str) -> Node:
    """The nodes of ``query``; :class:`QueryError` with the place for anything else."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    text = query.strip()
    if not text:
        raise located(query, 0, "the query is empty")
    if len(query) > MAX_LENGTH:
        raise located(query, MAX_LENGTH, f"the query is longer than {MAX_LENGTH} characters")
    try:
        tree = _parser().parse(query)
    except UnexpectedCharacters as e:
        at = e.pos_in_stream or 0
        raise located(query, at, f"unexpected {query[at]!r}{_expected(e.allowed)}") from None
    except UnexpectedToken as e:
        # What the parser would really take there (its table's set is wider after a value).
        accepts: set[str] = (
            e.interactive_parser.accepts()  # type: ignore[no-untyped-call]
            if e.interactive_parser
            else e.expected
        )
        if e.token.type == "$END":
            end = len(query.rstrip())
            raise located(query, end, "the query ends early" + _expected(accepts)) from None
        raise located(
            query, e.token.start_pos or 0, f"unexpected {str(e.token)!r}{_expected(accepts)}"
        ) from None
    except UnexpectedInput as e:  # pragma: no cover - the LALR parser raises the two above
        raise located(query, getattr(e, "pos_in_stream", 0) or 0, "not a query") from None
    return _node(query, tree)


def _node(query: str, tree: Tree[Token] | Token) -> Node:
    from lark import Token

    assert not isinstance(tree, Token)
    rule = str(tree.data)
    kids = [k for k in tree.children if not (isinstance(k, Token) and k.type in _JOINERS)]
    if rule == "disjunction":
        return AnyOf(tuple(_node(query, k) for k in kids))
    if rule == "conjunction":
        return AllOf(tuple(_node(query, k) for k in kids))
    if rule == "negated":
        return Not(_node(query, kids[0]))
    return _test(query, tree.children)


_JOINERS = {"AND", "OR", "NOT"}


def _test(query: str, children: list[Any]) -> FieldTest:
    field, op, *rest = children
    values = tuple(_value(query, v) for v in rest)
    name = str(op.type) if op.type != "OP" else str(op)
    return FieldTest(str(field), name.lower(), values, field.start_pos or 0, query)


def _value(query: str, token: Token) -> Literal:
    text = str(token)
    pos = token.start_pos or 0
    if token.type == "STRING":
        return literal(query, text[1:-1], pos, quoted=True)
    return literal(query, text, pos)


__all__ = ["GRAMMAR", "QueryError", "parse"]
