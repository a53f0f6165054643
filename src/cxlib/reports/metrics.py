"""``report metrics``: what moves which metric of the catalog, and what moves none.

An experiment *moves* a metric directly when it is its primary metric, and indirectly when its
primary metric maps to it through the catalog's ``kpi``. Observed effects are summed as reported
(relative change in percent); sums of relative changes are an indicator, not a compound effect.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cxlib.model.config import Metric, MetricKind
from cxlib.model.documents import Experiment, Outcome
from cxlib.reports.blocks import (
    CsvColumns,
    Figures,
    Heading,
    Rendered,
    Table,
    signed,
    skipped_note,
)
from cxlib.reports.snapshot import CONCLUDED, DECIDED, Snapshot


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
    effect_won: float | None  # sum of 'result.effect' over those that won
    effect_sum: float | None  # ... over those won, lost or inconclusive
    moved: bool
    experiments: list[str] = field(default_factory=list)


@dataclass
class PrimaryRef:
    id: str
    title: str
    status: str
    metric: str
    metric_kind: str | None  # None: not in the catalog
    maps_to: str | None


@dataclass
class MetricsReport:
    program: str
    today: str
    north_star: str
    metrics: list[MetricRow]
    not_business: list[PrimaryRef]  # primary metric neither a business KPI nor the north star
    not_in_catalog: list[PrimaryRef]
    unmoved: list[str]
    skipped: list[str]


def _sum(values: list[float]) -> float | None:
    return round(sum(values), 2) if values else None


def metrics_report(snap: Snapshot) -> MetricsReport:
    """One row per catalog metric (the north star first) with what moves it, and the
    experiments whose primary metric is not a business KPI or not in the catalog."""
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
    for row in rows.values():
        row.effect_won = _sum(tally.won_effects.get(row.id, []))
        row.effect_sum = _sum(tally.decided_effects.get(row.id, []))
        row.moved = bool(row.primary or row.via_kpi)
    return MetricsReport(
        program=snap.program,
        today=snap.today.isoformat(),
        north_star=north,
        metrics=list(rows.values()),
        not_business=tally.not_business,
        not_in_catalog=tally.not_in_catalog,
        unmoved=[r.id for r in rows.values() if not r.moved],
        skipped=snap.skipped,
    )


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
        effect_won=None,
        effect_sum=None,
        moved=False,
    )


@dataclass
class _Tally:
    """What the experiments say about the catalog metrics, counted one experiment at a time."""

    north: str
    catalog: dict[str, Metric]
    rows: dict[str, MetricRow]
    won_effects: dict[str, list[float]] = field(default_factory=dict)
    decided_effects: dict[str, list[float]] = field(default_factory=dict)
    not_business: list[PrimaryRef] = field(default_factory=list)
    not_in_catalog: list[PrimaryRef] = field(default_factory=list)

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
        if m.kpi and m.kpi in rows and m.kpi != metric:
            rows[m.kpi].via_kpi += 1
        if m.kind != MetricKind.BUSINESS and metric != self.north:
            self.not_business.append(
                PrimaryRef(e.id, e.title, e.status.value, metric, m.kind.value, m.kpi)
            )
        if e.status in CONCLUDED and outcome is not None:
            self.result(row, outcome, e.result.effect if e.result else None)

    def result(self, row: MetricRow, outcome: Outcome, effect: float | None) -> None:
        """Count a concluded experiment's outcome; sum its effect when the result is decided."""
        row.outcomes[outcome.value] += 1
        if effect is not None and outcome in DECIDED:
            self.decided_effects.setdefault(row.id, []).append(effect)
            if outcome == Outcome.WON:
                self.won_effects.setdefault(row.id, []).append(effect)


def _outcomes(row: MetricRow) -> str:
    return ", ".join(f"{n} {k}" for k, n in row.outcomes.items() if n)


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
                (
                    "Experiments whose primary metric is not a business KPI",
                    str(len(r.not_business)),
                ),
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
                "effect won",
                "effect sum",
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
                    signed(m.effect_won),
                    signed(m.effect_sum),
                ]
                for m in r.metrics
            ],
            align="lllrrrrlrr",
            key="metrics-catalog",
        )
    )
    out.blocks.append(Heading("Experiments whose primary metric is not a business KPI"))
    out.blocks.append(
        Table(
            ["id", "title", "status", "primary metric", "kind", "maps to"],
            [
                [p.id, p.title, p.status, p.metric, p.metric_kind or "", p.maps_to or "nothing"]
                for p in r.not_business
            ],
            key="metrics-not-business",
        )
    )
    if r.not_in_catalog:
        out.blocks.append(Heading("Primary metrics not in the catalog"))
        out.blocks.append(
            Table(
                ["id", "title", "status", "primary metric"],
                [[p.id, p.title, p.status, p.metric] for p in r.not_in_catalog],
                key="metrics-unknown",
            )
        )
    note = skipped_note(r.skipped)
    if note:
        out.blocks.append(note)
    return out


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
        "effect_won": lambda m: m.effect_won,
        "effect_sum": lambda m: m.effect_sum,
        "moved": lambda m: "yes" if m.moved else "no",
    }
)
CSV_COLUMNS = _CSV.names
