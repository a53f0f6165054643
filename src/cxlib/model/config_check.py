"""Validating the data of a ``cxlib.toml`` into a :class:`~cxlib.model.config.ProgramConfig`.

pydantic checks the shape and the bounds the dataclasses declare; the rules across tables (ids
defined once, the north star a metric, a KPI a business metric, kinds with their own folder and
prefix) and the scoring formula are checked here. Imported only when a config must be validated:
a changed ``cxlib.toml``, or one read from git history.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from cxlib.model.config import (
    TOUCHPOINT_TABLES,
    Metric,
    MetricKind,
    ProgramConfig,
    Segment,
    Stage,
    Team,
    with_default_kinds,
)
from cxlib.model.config_fields import field_key_problem, field_problems
from cxlib.model.scoring import compile_formula


class ConfigProblem(ValueError):
    """One problem, at a location as pydantic gives one (``("metrics", 2, "kind")``)."""

    def __init__(self, loc: tuple[str | int, ...], message: str, more: int = 0) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message
        self.more = more


# pydantic's words for an unknown key of a dataclass, as it says them for a model.
_MESSAGES = {"unexpected_keyword_argument": "Extra inputs are not permitted"}


def check_config(data: dict[str, Any]) -> ProgramConfig:
    """The validated config, or :class:`ConfigProblem` for the first problem found."""
    try:
        config = TypeAdapter(ProgramConfig).validate_python(with_default_kinds(_renamed(data)))
    except ValidationError as e:
        errors = e.errors(include_input=False)
        first = errors[0]
        message = _MESSAGES.get(first["type"], first["msg"]).removeprefix("Value error, ")
        loc: tuple[str | int, ...] = tuple(first["loc"])
        # A touchpoint table is validated apart, and named where cxlib.toml has it.
        loc = tuple("touchpoints" if p == TOUCHPOINT_TABLES else p for p in loc)
        if loc[0] == "imports":
            loc = ("import", *loc[1:])
        if loc[0] == "fields" and loc[-1] == "[key]":
            loc, message = field_key_problem(data, loc[:-1])
        raise ConfigProblem(loc, message, len(errors) - 1) from None
    try:
        compile_formula(config.scoring.formula)
    except ValueError as e:
        raise ConfigProblem(("scoring", "formula"), str(e)) from None
    problems = _reference_problems(config) + _journey_problems(config) + field_problems(config)
    if problems:
        raise ConfigProblem(problems[0][0], problems[0][1], len(problems) - 1)
    return config


def _renamed(data: dict[str, Any]) -> dict[str, Any]:
    """The ``[import]`` table is the field ``imports`` (``import`` is a Python keyword)."""
    if "import" not in data:
        return data
    return {("imports" if k == "import" else k): v for k, v in data.items()}


def _journey_problems(config: ProgramConfig) -> list[tuple[tuple[str | int, ...], str]]:
    """The KPIs of stages and touchpoints are catalog metrics; a target is for one of the
    touchpoint's metrics; a touchpoint is named once in its stage."""
    problems: list[tuple[tuple[str | int, ...], str]] = []
    metrics = {m.id for m in config.metrics}
    for i, stage in enumerate(config.journey):
        for j, metric in enumerate(stage.metrics):
            if metric not in metrics:
                problems.append((("journey", i, "metrics", j), _not_a_metric(metric)))
        seen: set[str] = set()
        for k, tp in enumerate(stage.touchpoints):
            if tp in seen:
                problems.append((("journey", i, "touchpoints", k), f"'{tp}' is named twice"))
            seen.add(tp)
        for k, table in sorted(stage.touchpoint_tables.items()):
            at: tuple[str | int, ...] = ("journey", i, "touchpoints", k)
            for j, metric in enumerate(table.metrics):
                if metric not in metrics:
                    problems.append(((*at, "metrics", j), _not_a_metric(metric)))
            for metric in table.targets:
                if metric not in table.metrics:
                    problems.append(
                        ((*at, "targets", metric), f"'{metric}' is not one of its metrics")
                    )
    return problems


def _not_a_metric(metric: str) -> str:
    return f"'{metric}' is not a metric in [[metrics]]"


def _reference_problems(config: ProgramConfig) -> list[tuple[tuple[str | int, ...], str]]:
    problems: list[tuple[tuple[str | int, ...], str]] = []
    tables: tuple[tuple[str, Sequence[Metric | Stage | Team | Segment]], ...] = (
        ("metrics", config.metrics),
        ("journey", config.journey),
        ("teams", config.teams),
        ("segments", config.segments),
    )
    for label, items in tables:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                problems.append(((label, i, "id"), f"id '{item.id}' is defined twice"))
            seen.add(item.id)
    metric_kinds = {m.id: m.kind for m in config.metrics}
    north_star = config.program.north_star
    if north_star not in metric_kinds:
        problems.append(
            (("program", "north_star"), f"'{north_star}' is not a metric in [[metrics]]")
        )
    for i, m in enumerate(config.metrics):
        if m.kpi is not None and metric_kinds.get(m.kpi) != MetricKind.BUSINESS:
            problems.append((("metrics", i, "kpi"), f"'{m.kpi}' is not a business metric"))
    for attr in ("prefix", "folder"):
        values = [getattr(s, attr) for s in config.kinds.values()]
        if len(set(values)) != len(values):
            problems.append((("kinds",), f"every kind needs its own {attr}"))
    # A deny-list entry is a name: never echoed (it is personal data), only located.
    for i, name in enumerate(config.privacy.deny):
        if not any(c.isalpha() for c in name):
            problems.append((("privacy", "deny", i), "a name needs a letter"))
    return problems
