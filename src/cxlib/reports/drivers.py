"""``report metrics --drivers``: which levers moved each business metric, from the program's own
experiments.

A lever is a journey stage, a touchpoint, a tag or an opportunity; its effect on a metric is the
average effect of a test (:mod:`cxlib.reports.effects`) over the concluded tests at that lever
with the metric as primary metric. Metrics are never summed: the levers are ranked per metric —
the north star, each KPI (business metric), and each metric that maps to one — and per kind of
lever, best first, the metric's direction applied. A lever with fewer than
:data:`MIN_TESTS` pooled tests is listed unranked: one or two tests rank nothing.

This is observational, not causal: the levers were not assigned at random, and a stage whose
tests did well may have been given the easy ideas.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cxlib.model.config import Direction, MetricKind, ProgramConfig
from cxlib.model.documents import Experiment
from cxlib.reports.blocks import Block, Heading, Note, Table
from cxlib.reports.effects import (
    Average,
    Pair,
    average,
    average_cells,
    gain,
    i2_text,
    interval_text,
)

MIN_TESTS = 3  # pooled tests a lever needs to be ranked

# The kinds of lever, and the levers a test pulls.
LEVERS: dict[str, Callable[[Experiment], list[str]]] = {
    "stage": lambda e: [e.stage] if e.stage else [],
    "touchpoint": lambda e: [f"{e.stage}/{e.touchpoint}"] if e.stage and e.touchpoint else [],
    "tag": lambda e: list(dict.fromkeys(e.tags)),
    "opportunity": lambda e: [e.opportunity] if e.opportunity else [],
}


@dataclass
class Driver:
    lever: str  # stage, touchpoint, tag, opportunity
    name: str
    rank: int | None  # None: fewer than MIN_TESTS tests
    average: Average


@dataclass
class MetricDrivers:
    metric: str
    direction: str
    kpi: str | None  # the KPI it maps to, for a metric that is not one
    tests: int  # its pooled tests
    drivers: list[Driver] = field(default_factory=list)


def driven_metrics(config: ProgramConfig) -> list[str]:
    """The north star, then each business metric, then each metric mapping to one of them."""
    north = config.program.north_star
    kpis = [m.id for m in config.metrics if m.kind == MetricKind.BUSINESS and m.id != north]
    tied = [
        m.id
        for m in config.metrics
        if m.id != north and m.id not in kpis and m.kpi is not None and m.kpi in {north, *kpis}
    ]
    return [north, *kpis, *tied]


def rank_drivers(
    config: ProgramConfig,
    tests: dict[str, list[Experiment]],
    known: Mapping[str, Pair | None] | None = None,
) -> list[MetricDrivers]:
    """The levers of each driven metric that has tests (:func:`driven_metrics`); ``known``:
    the tests' effects and standard errors by id, when the caller has them."""
    out: list[MetricDrivers] = []
    for metric_id in driven_metrics(config):
        m = config.metric(metric_id)
        pooled = tests.get(metric_id, [])
        if m is None or not pooled:
            continue
        row = MetricDrivers(metric_id, m.direction.value, m.kpi, len(pooled))
        for lever, pulls in LEVERS.items():
            row.drivers += rank_levers(lever, pulls, pooled, m.direction, known)
        out.append(row)
    return out


def rank_levers(
    lever: str,
    pulls: Callable[[Experiment], list[str]],
    tests: list[Experiment],
    d: Direction,
    known: Mapping[str, Pair | None] | None = None,
) -> list[Driver]:
    groups: dict[str, list[Experiment]] = {}
    for e in tests:
        for name in pulls(e):
            groups.setdefault(name, []).append(e)
    averages = [average(name, group, d, known) for name, group in sorted(groups.items())]
    ranked = sorted((a for a in averages if a.tests >= MIN_TESTS), key=lambda a: -gain(a, d))
    out = [Driver(lever, a.group, i, a) for i, a in enumerate(ranked, start=1)]
    out += [Driver(lever, a.group, None, a) for a in averages if a.tests < MIN_TESTS]
    return out


def driver_blocks(rows: list[MetricDrivers]) -> list[Block]:
    blocks: list[Block] = [Heading("Drivers: what moved each metric")]
    for row in rows:
        via = f" (→ {row.kpi})" if row.kpi else ""
        blocks.append(Heading(f"{row.metric}{via}, {row.direction}", level=3))
        blocks.append(
            Table(
                [
                    "lever",
                    "name",
                    "rank",
                    "tests",
                    "average effect of a test",
                    "95% interval",
                    "I²",
                    "reads",
                ],
                [
                    [
                        d.lever,
                        d.name,
                        "" if d.rank is None else str(d.rank),
                        str(d.average.tests),
                        average_cells(d.average)[2],
                        interval_text(d.average.low, d.average.high),
                        i2_text(d.average),
                        d.average.reads,
                    ]
                    for d in row.drivers
                ],
                align="llrrrlrl",
                key=f"metrics-drivers-{row.metric}",
            )
        )
    blocks.append(
        Note(
            "Drivers: for the north star, each KPI and each metric mapping to one, the levers "
            "(stages, touchpoints, tags, opportunities) of its concluded tests, each with the "
            f"average effect of its tests; ranked per metric and kind of lever, best first, "
            f"when it has {MIN_TESTS} tests or more, else listed unranked. Metrics are never "
            "summed. Observational, not causal: the program chose where to test, so a lever "
            "that did well may have had the easier ideas; read it as where to look, not as "
            "proof."
        )
    )
    return blocks
