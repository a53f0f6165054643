"""Opportunity priority: named formulas or a safe arithmetic expression over the scores."""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping

CONFIDENCE_FACTOR = {"low": 0.5, "medium": 0.8, "high": 1.0}

NAMED_FORMULAS = {
    # Value over effort: the brief's default.
    "value-over-effort": "(customer_value + business_value) / effort",
    # RICE: reach x impact x confidence / effort, impact = mean of the two value scores.
    "rice": "reach * (customer_value + business_value) / 2 * confidence / effort",
    # ICE: impact x confidence x ease, ease = 6 - effort on the 1-5 scale.
    "ice": "(customer_value + business_value) / 2 * confidence * (6 - effort)",
}
VARIABLES = ("customer_value", "business_value", "effort", "reach", "confidence")

_BINARY: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}

Formula = Callable[[Mapping[str, float]], float]


# Bounds on a formula: a real one is a line of a few terms. A longer or deeper expression is
# refused when the config is read (a 5,000-term sum would exhaust Python's recursion later).
MAX_LENGTH = 400
MAX_DEPTH = 32
_ALLOWED = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.USub, ast.Name, ast.Load, ast.Constant)


def formula_names(spec: str) -> frozenset[str]:
    """The scores a formula reads (a named one or an expression); none for one that does not
    parse (the config check refuses it)."""
    try:
        tree = ast.parse(NAMED_FORMULAS.get(spec, spec), mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError):
        return frozenset()
    return frozenset(n.id for n in ast.walk(tree) if isinstance(n, ast.Name))


def compile_formula(spec: str) -> Formula:
    """Compile a named formula or an expression; raise ValueError naming what is wrong."""
    source = NAMED_FORMULAS.get(spec, spec)
    if len(source) > MAX_LENGTH:
        raise ValueError(f"the formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, RecursionError, MemoryError) as e:
        raise ValueError(f"not a valid expression: {spec!r}") from e
    _check(tree, spec)

    def evaluate(node: ast.AST, values: Mapping[str, float]) -> float:
        if isinstance(node, ast.Expression):
            return evaluate(node.body, values)
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](evaluate(node.left, values), evaluate(node.right, values))
        if isinstance(node, ast.UnaryOp):
            return -evaluate(node.operand, values)
        if isinstance(node, ast.Name):
            return values[node.id]
        assert isinstance(node, ast.Constant) and isinstance(node.value, int | float)
        return float(node.value)

    return lambda values: evaluate(tree, values)


def _check(tree: ast.AST, spec: str) -> None:
    """Only the variables, + - * / ** and finite numbers, at most MAX_DEPTH deep (walked
    without recursion, so no expression can exhaust the stack here)."""
    stack: list[tuple[ast.AST, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ValueError(f"the formula nests deeper than {MAX_DEPTH} levels")
        if isinstance(node, ast.Name) and node.id not in VARIABLES:
            raise ValueError(
                f"unknown name '{node.id}' (use {', '.join(VARIABLES)}, "
                f"or one of {', '.join(NAMED_FORMULAS)})"
            )
        if not isinstance(node, _ALLOWED) and type(node) not in _BINARY:
            raise ValueError(f"only + - * / ** and numbers are allowed: {spec!r}")
        if isinstance(node, ast.Constant) and not _finite_number(node.value):
            raise ValueError(f"only finite numbers are allowed, not {node.value!r}: {spec!r}")
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))


def _finite_number(value: object) -> bool:
    return type(value) in (int, float) and math.isfinite(value)  # type: ignore[arg-type]


def priority(
    formula: Formula,
    customer_value: int | None,
    business_value: int | None,
    effort: int | None,
    reach: int | None = None,
    confidence: str | None = None,
) -> float | None:
    """The priority score, or None when a score the formula needs is missing."""
    if customer_value is None or business_value is None or effort is None:
        return None
    values = {
        "customer_value": float(customer_value),
        "business_value": float(business_value),
        "effort": float(effort),
        "reach": float(reach if reach is not None else 1),
        "confidence": CONFIDENCE_FACTOR.get(confidence or "medium", 0.8),
    }
    try:
        result = formula(values)
    except (ZeroDivisionError, OverflowError, ValueError):
        return None
    # "effort * 1e308 * 10" overflows to infinity without raising, and a negative number to a
    # fractional power is complex: neither is a priority.
    if not isinstance(result, float | int) or not math.isfinite(result):
        return None
    return round(result, 3)
