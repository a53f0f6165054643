"""The five reports by name: how each is computed, rendered and flattened to CSV rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cxlib.reports import experiments, health, journey, metrics, roadmap
from cxlib.reports.blocks import Rendered
from cxlib.reports.snapshot import jsonable


@dataclass(frozen=True)
class Spec:
    name: str
    summary: str
    render: Callable[[Any], Rendered]
    csv_columns: list[str]
    csv_rows: Callable[[Any], list[dict[str, object]]]


SPECS: dict[str, Spec] = {
    "roadmap": Spec(
        "roadmap",
        "open opportunities ranked by priority",
        roadmap.render,
        roadmap.CSV_COLUMNS,
        roadmap.csv_rows,
    ),
    "experiments": Spec(
        "experiments",
        "outcomes, win rate, velocity, durations, stale and un-learned",
        experiments.render,
        experiments.CSV_COLUMNS,
        experiments.csv_rows,
    ),
    "journey": Spec(
        "journey",
        "stage x kind: where the pain is, where the work is",
        journey.render,
        journey.CSV_COLUMNS,
        journey.csv_rows,
    ),
    "metrics": Spec(
        "metrics",
        "what moves each metric, and what moves none",
        metrics.render,
        metrics.CSV_COLUMNS,
        metrics.csv_rows,
    ),
    "health": Spec(
        "health",
        "is the feedback loop closed",
        health.render,
        health.CSV_COLUMNS,
        health.csv_rows,
    ),
}


def to_json(name: str, result: Any) -> dict[str, Any]:
    """The report's result as JSON data, with its name first."""
    data: dict[str, Any] = jsonable(result)
    return {"report": name, **data}
