"""``report metrics``: what moves which metric of the catalog, and what moves none.

An experiment *moves* a metric directly when it is its primary metric, and indirectly when its
primary metric maps to it through the catalog's ``kpi``. An experiment whose primary metric is an
experience or guardrail metric that maps to a KPI is on that KPI through it; only one whose
primary metric is tied to no KPI at all is off the business.

Effects of different tests are never added up: relative changes of different tests do not add,
and a sum counts a noisy test like a sure one. Each metric gets the *average effect of a test*,
a random-effects pooled effect (:mod:`cxlib.reports.effects`), and the effects of the tests that
were shipped are listed apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cxlib.model.config import Direction, Metric, MetricKind
from cxlib.model.documents import Decision, Experiment, Outcome
from cxlib.reports.blocks import (
    Block,
    CsvColumns,
    Figures,
    Heading,
    Note,
    Rendered,
    Table,
    signed,
    skipped_note,
)
from cxlib.reports.drivers import MetricDrivers, driver_blocks, rank_drivers
from cxlib.reports.effects import (
    Average,
    Pair,
    average,
    average_cells,
    effect_and_se,
    pooled_test,
)
from cxlib.reports.snapshot import CONCLUDED, Snapshot

BY = ("stage", "tag")  # the groups of --by


@dataclass
class MetricRow:
    id: str
    name: str
    kind: str
    direction: str
    unit: str
    north_star: bool
    kpi: str | None
    primary: int  # experiments (any status) with it as primary metric
    via_kpi: int  # experiments whose primary metric maps to it through 'kpi'
    guardrail: int  # experiments watching it as a guardrail
    opportunities: int  # opportunities naming it in 'kpis'
    outcomes: dict[str, int]  # of the concluded experiments with it as primary
    average: Average  # the average effect of a test with it as primary
    moved: bool
    experiments: list[str] = field(default_factory=list)
    by: list[Average] = field(default_factory=list)  # per stage or tag, with --by


@dataclass
class PrimaryRef:
    id: str
    title: str
    status: str
    metric: str
    metric_kind: str | None  # None: not in the catalog
    maps_to: str | None


@dataclass
class ShippedRef:
    """A concluded test whose change was shipped, with the effect it measured."""

    id: str
    title: str
    metric: str
    direction: str
    outcome: str | None
    effect: float | None
    interval: list[float] | None


@dataclass
class MetricsReport:
    program: str
    today: str
    north_star: str
    metrics: list[MetricRow]
    # primary metric an experience or guardrail metric mapping to a KPI: on the KPI through it
    through_kpi: list[PrimaryRef]
    # primary metric in the catalog and tied to no business KPI, nor the north star
    off_kpi: list[PrimaryRef]
    not_in_catalog: list[PrimaryRef]
    unmoved: list[str]
    shipped: list[ShippedRef]
    skipped: list[str]
    by: str | None = None  # stage or tag: the averages are also given per group
    drivers: list[MetricDrivers] | None = None  # with --drivers (cxlib.reports.drivers)


def metrics_report(
    snap: Snapshot, metrics_by: str | None = None, drivers: bool = False
) -> MetricsReport:
    """One row per catalog metric (the north star first) with what moves it and the average
    effect of a test on it, the experiments on a KPI through another metric or on none, and
    the shipped tests' effects. ``metrics_by`` (stage or tag) adds the average per group;
    ``drivers`` ranks the levers of each business metric (:mod:`cxlib.reports.drivers`)."""
    config = snap.config
    north = config.program.north_star
    ordered = sorted(config.metrics, key=lambda m: m.id != north)  # stable: north star first
    tally = _Tally(
        north, {m.id: m for m in config.metrics}, {m.id: _row(m, north) for m in ordered}
    )
    rows = tally.rows
    for o in snap.opportunities:
        for kpi in dict.fromkeys(o.kpis):
            if kpi in rows:
                rows[kpi].opportunities += 1
    for e in snap.experiments:
        tally.experiment(e, snap.outcome(e))
    by = str(metrics_by) if metrics_by else None
    known = {e.id: effect_and_se(e) for tests in tally.tests.values() for e in tests}
    for row in rows.values():
        direction = Direction(row.direction)
        tests = tally.tests.get(row.id, [])
        row.average = average("", tests, direction, known)
        if by:
            row.by = _grouped(tests, by, direction, known)
        row.moved = bool(row.primary or row.via_kpi)
    return MetricsReport(
        program=snap.program,
        today=snap.today.isoformat(),
        north_star=north,
        metrics=list(rows.values()),
        through_kpi=tally.through_kpi,
        off_kpi=tally.off_kpi,
        not_in_catalog=tally.not_in_catalog,
        unmoved=[r.id for r in rows.values() if not r.moved],
        shipped=tally.shipped,
        skipped=snap.skipped,
        by=by,
        drivers=rank_drivers(config, tally.tests, known) if drivers else None,
    )


def _grouped(
    tests: list[Experiment], by: str, direction: Direction, known: dict[str, Pair | None]
) -> list[Average]:
    """The average per stage or tag (a test with several tags is in each), groups by name."""
    groups: dict[str, list[Experiment]] = {}
    for e in tests:
        names = [e.stage or ""] if by == "stage" else list(dict.fromkeys(e.tags)) or [""]
        for name in names:
            groups.setdefault(name, []).append(e)
    return [average(name or "(none)", groups[name], direction, known) for name in sorted(groups)]


def _row(m: Metric, north: str) -> MetricRow:
    """A catalog metric's row before any document is counted."""
    return MetricRow(
        id=m.id,
        name=m.name,
        kind=m.kind.value,
        direction=m.direction.value,
        unit=m.unit,
        north_star=m.id == north,
        kpi=m.kpi,
        primary=0,
        via_kpi=0,
        guardrail=0,
        opportunities=0,
        outcomes={o.value: 0 for o in Outcome},
        average=Average("", 0, 0),
        moved=False,
    )


@dataclass
class _Tally:
    """What the experiments say about the catalog metrics, counted one experiment at a time."""

    north: str
    catalog: dict[str, Metric]
    rows: dict[str, MetricRow]
    tests: dict[str, list[Experiment]] = field(default_factory=dict)  # pooled, by metric
    through_kpi: list[PrimaryRef] = field(default_factory=list)
    off_kpi: list[PrimaryRef] = field(default_factory=list)
    not_in_catalog: list[PrimaryRef] = field(default_factory=list)
    shipped: list[ShippedRef] = field(default_factory=list)

    def experiment(self, e: Experiment, outcome: Outcome | None) -> None:
        rows = self.rows
        for g in dict.fromkeys(e.guardrail_metrics):
            if g in rows:
                rows[g].guardrail += 1
        metric = e.primary_metric
        if metric is None:
            return
        if metric not in rows:
            self.not_in_catalog.append(
                PrimaryRef(e.id, e.title, e.status.value, metric, None, None)
            )
            return
        row = rows[metric]
        row.primary += 1
        row.experiments.append(e.id)
        m = self.catalog[metric]
        tied = m.kpi is not None and m.kpi in rows
        if tied and m.kpi != metric:
            rows[str(m.kpi)].via_kpi += 1
        if m.kind != MetricKind.BUSINESS and metric != self.north:
            ref = PrimaryRef(e.id, e.title, e.status.value, metric, m.kind.value, m.kpi)
            (self.through_kpi if tied else self.off_kpi).append(ref)
        if e.status in CONCLUDED and outcome is not None:
            row.outcomes[outcome.value] += 1
        if pooled_test(e):
            self.tests.setdefault(metric, []).append(e)
        if e.status in CONCLUDED and e.decision == Decision.SHIP:
            r = e.result
            self.shipped.append(
                ShippedRef(
                    e.id,
                    e.title,
                    metric,
                    m.direction.value,
                    outcome.value if outcome else None,
                    r.effect if r else None,
                    list(r.interval) if r and r.interval else None,
                )
            )


def _outcomes(row: MetricRow) -> str:
    return ", ".join(f"{n} {k}" for k, n in row.outcomes.items() if n)


AVERAGE_COLUMNS = [
    "tests",
    "no interval",
    "average effect of a test",
    "95% interval",
    "τ²",
    "I²",
    "reads",
]

AVERAGE_NOTE = (
    "Average effect of a test: the random-effects (DerSimonian-Laird) pooled relative change, in "
    "percent, of the concluded experiments with the metric as primary, each weighted by its "
    "interval (standard error = width / (2 z) at its interval_level, else 1 - its alpha, 0.05 "
    "by default); invalid results are left out, tests without an interval counted apart. τ² is "
    "the variance of the true effects between tests, I² the share of their spread beyond "
    "chance. 'reads' applies the metric's direction (for a down metric a fall is better) and "
    "says 'no clear change' when the interval holds 0. It says what a typical test moved, not "
    "what the program gained: the effects of shipped tests are listed apart and are not added "
    "up, since relative changes of different tests do not add."
)


def render(r: MetricsReport) -> Rendered:
    """The report as display blocks, for markdown, the terminal and HTML."""
    out = Rendered(f"Metrics — {r.program}", f"{r.today} · north star: {r.north_star}")
    out.blocks.append(
        Figures(
            [
                ("North star", r.north_star),
                (
                    "Catalog metrics moved by an experiment",
                    f"{len(r.metrics) - len(r.unmoved)} of {len(r.metrics)}",
                ),
                ("Metrics nothing moves", ", ".join(r.unmoved) or "none"),
                ("Experiments on no business KPI", str(len(r.off_kpi))),
                ("Experiments on a KPI through another metric", str(len(r.through_kpi))),
            ]
        )
    )
    out.blocks.append(Heading("What moves each metric"))
    out.blocks.append(
        Table(
            [
                "metric",
                "kind",
                "dir",
                "primary",
                "via kpi",
                "guardrail",
                "opportunities",
                "outcomes (concluded)",
            ],
            [
                [
                    ("★ " if m.north_star else "") + m.id,
                    m.kind + (f" → {m.kpi}" if m.kpi else ""),
                    m.direction,
                    str(m.primary),
                    str(m.via_kpi),
                    str(m.guardrail),
                    str(m.opportunities),
                    _outcomes(m),
                ]
                for m in r.metrics
            ],
            align="lllrrrrl",
            key="metrics-catalog",
        )
    )
    out.blocks += _averages(r)
    if r.drivers is not None:
        out.blocks += driver_blocks(r.drivers)
    out.blocks += _references(r)
    note = skipped_note(r.skipped)
    if note:
        out.blocks.append(note)
    return out


def _averages(r: MetricsReport) -> list[Block]:
    tested = [m for m in r.metrics if m.average.tests or m.average.without_interval]
    blocks: list[Block] = [
        Heading("Average effect of a test"),
        Table(
            ["metric", "dir", *AVERAGE_COLUMNS],
            [[m.id, m.direction, *average_cells(m.average)] for m in tested],
            align="llrrrlrrl",
            key="metrics-average",
        ),
    ]
    if r.by:
        blocks.append(Heading(f"Average effect of a test, per {r.by}", level=3))
        blocks.append(
            Table(
                ["metric", r.by, *AVERAGE_COLUMNS],
                [[m.id, a.group, *average_cells(a)] for m in tested for a in m.by],
                align="llrrrlrrl",
                key=f"metrics-average-{r.by}",
            )
        )
    blocks.append(Note(AVERAGE_NOTE))
    blocks.append(Heading("Shipped tests and their effects"))
    blocks.append(
        Table(
            ["id", "title", "metric", "dir", "outcome", "effect", "interval"],
            [
                [
                    s.id,
                    s.title,
                    s.metric,
                    s.direction,
                    s.outcome or "",
                    signed(s.effect),
                    f"[{s.interval[0]:+g}, {s.interval[1]:+g}]" if s.interval else "",
                ]
                for s in r.shipped
            ],
            align="lllllrl",
            key="metrics-shipped",
        )
    )
    return blocks


def _references(r: MetricsReport) -> list[Block]:
    blocks: list[Block] = [
        Heading("Experiments on no business KPI"),
        Table(
            ["id", "title", "status", "primary metric", "kind"],
            [[p.id, p.title, p.status, p.metric, p.metric_kind or ""] for p in r.off_kpi],
            key="metrics-off-kpi",
        ),
        Heading("Experiments on a KPI through another metric"),
        Table(
            ["id", "title", "status", "primary metric", "kind", "on KPI"],
            [
                [p.id, p.title, p.status, p.metric, p.metric_kind or "", p.maps_to or ""]
                for p in r.through_kpi
            ],
            key="metrics-through-kpi",
        ),
    ]
    if r.not_in_catalog:
        blocks.append(Heading("Primary metrics not in the catalog"))
        blocks.append(
            Table(
                ["id", "title", "status", "primary metric"],
                [[p.id, p.title, p.status, p.metric] for p in r.not_in_catalog],
                key="metrics-unknown",
            )
        )
    return blocks


def csv_rows(r: MetricsReport) -> list[dict[str, object]]:
    """One CSV row per catalog metric."""
    return _CSV.rows(r.metrics)


def _outcome_column(outcome: str) -> Callable[[MetricRow], object]:
    return lambda m: m.outcomes[outcome]


_CSV: CsvColumns[MetricRow] = CsvColumns(
    {
        "metric": lambda m: m.id,
        "name": lambda m: m.name,
        "kind": lambda m: m.kind,
        "direction": lambda m: m.direction,
        "north_star": lambda m: "yes" if m.north_star else "no",
        "kpi": lambda m: m.kpi,
        "primary": lambda m: m.primary,
        "via_kpi": lambda m: m.via_kpi,
        "guardrail": lambda m: m.guardrail,
        "opportunities": lambda m: m.opportunities,
        **{o.value.replace("-", "_"): _outcome_column(o.value) for o in Outcome},
        "tests_pooled": lambda m: m.average.tests,
        "tests_without_interval": lambda m: m.average.without_interval,
        "average_effect": lambda m: m.average.estimate,
        "average_low": lambda m: m.average.low,
        "average_high": lambda m: m.average.high,
        "tau2": lambda m: m.average.tau2,
        "i2": lambda m: m.average.i2,
        "reads": lambda m: m.average.reads,
        "moved": lambda m: "yes" if m.moved else "no",
    }
)
CSV_COLUMNS = _CSV.names
