"""``report journey --kpis``: the KPIs of each stage and touchpoint beside the work there.

A stage names its KPIs in ``cxlib.toml`` (``metrics``), a touchpoint written as a table names
its own with their targets (:class:`cxlib.model.config.Touchpoint`). An experiment *moves* a KPI
when its primary metric is that KPI or maps to it through the catalog's ``kpi``; the experiments
shown are those at the stage (or touchpoint) moving one of its KPIs, planned, running or
concluded. A touchpoint with pain points and no KPI is flagged: nobody would see it improve.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cxlib.model.config import Direction, Metric, ProgramConfig, Stage
from cxlib.model.documents import (
    Experiment,
    ExperimentStatus,
    InsightStatus,
    InsightType,
)
from cxlib.reports.blocks import Block, Heading, Note, Table
from cxlib.reports.snapshot import CONCLUDED, OPEN_OPPORTUNITY, Snapshot

FLAG_NO_KPI = "pain points, no KPI"
_MOVING = (ExperimentStatus.PLANNED, ExperimentStatus.RUNNING, *CONCLUDED)
_CURRENT = (InsightStatus.DRAFT, InsightStatus.VALIDATED)


@dataclass
class Kpi:
    metric: str
    target: float | None = None  # in the metric's unit; touchpoint tables only
    unit: str = ""
    direction: str = "up"


@dataclass
class Moving:
    """An experiment moving one of the KPIs: directly, or through its metric's ``kpi``."""

    id: str
    status: str
    metric: str  # its primary metric
    kpi: str  # the KPI it moves
    outcome: str | None
    effect: float | None


@dataclass
class PlaceKpis:
    """A stage (touchpoint "") or one of its touchpoints: its KPIs and the work there."""

    stage: str
    touchpoint: str
    name: str
    kpis: list[Kpi]
    pain_points: int = 0
    opportunities: int = 0  # open
    experiments: list[Moving] = field(default_factory=list)
    flag: str = ""


@dataclass
class StageKpis:
    stage: PlaceKpis
    touchpoints: list[PlaceKpis]


def journey_kpis(snap: Snapshot) -> list[StageKpis]:
    """Every configured stage with its KPIs, then each of its touchpoints."""
    config = snap.config
    catalog = {m.id: m for m in config.metrics}
    out: list[StageKpis] = []
    for stage in config.journey:
        own = _place(
            stage.id, "", stage.name or stage.id, [_kpi(m, None, catalog) for m in stage.metrics]
        )
        tps = [_touchpoint(stage, tp, catalog) for tp in stage.touchpoints]
        out.append(StageKpis(own, tps))
    places = {(s.stage.stage, ""): s.stage for s in out}
    places.update({(t.stage, t.touchpoint): t for s in out for t in s.touchpoints})
    _count(snap, places, config)
    for s in out:
        for t in s.touchpoints:
            t.flag = FLAG_NO_KPI if t.pain_points and not t.kpis else ""
    return out


def _place(stage: str, touchpoint: str, name: str, kpis: list[Kpi]) -> PlaceKpis:
    return PlaceKpis(stage, touchpoint, name, kpis)


def _kpi(metric: str, target: float | None, catalog: dict[str, Metric]) -> Kpi:
    m = catalog.get(metric)
    return Kpi(metric, target, m.unit if m else "", m.direction.value if m else "up")


def _touchpoint(stage: Stage, tp: str, catalog: dict[str, Metric]) -> PlaceKpis:
    table = stage.touchpoint(tp)
    if table is None:
        return _place(stage.id, tp, tp, [])
    kpis = [_kpi(m, table.targets.get(m), catalog) for m in table.metrics]
    return _place(stage.id, tp, table.name or tp, kpis)


def _count(snap: Snapshot, places: dict[tuple[str, str], PlaceKpis], config: ProgramConfig) -> None:
    """Pain points, open opportunities and the experiments moving a KPI, at each place."""
    for i in snap.insights:
        if i.status in _CURRENT and i.type == InsightType.PAIN_POINT:
            for place in _where(places, i.stage, i.touchpoint):
                place.pain_points += 1
    for o in snap.opportunities:
        if o.status in OPEN_OPPORTUNITY:
            for place in _where(places, o.stage, o.touchpoint):
                place.opportunities += 1
    for e in snap.experiments:
        if e.status not in _MOVING or e.primary_metric is None:
            continue
        for place in _where(places, e.stage, e.touchpoint):
            moved = _moved(e, place, config)
            if moved is not None:
                place.experiments.append(moved)


def _where(
    places: dict[tuple[str, str], PlaceKpis], stage: str | None, touchpoint: str | None
) -> list[PlaceKpis]:
    """The stage's place, and the touchpoint's when the stage has it."""
    found = [places[(stage, "")]] if stage and (stage, "") in places else []
    if stage and touchpoint and (stage, touchpoint) in places:
        found.append(places[(stage, touchpoint)])
    return found


def _moved(e: Experiment, place: PlaceKpis, config: ProgramConfig) -> Moving | None:
    metric = str(e.primary_metric)
    kpis = {k.metric for k in place.kpis}
    m = config.metric(metric)
    kpi = metric if metric in kpis else (m.kpi if m and m.kpi in kpis else None)
    if kpi is None:
        return None
    r = e.result
    outcome = r.outcome.value if r and r.outcome else None
    return Moving(e.id, e.status.value, metric, kpi, outcome, r.effect if r else None)


def kpi_text(k: Kpi) -> str:
    """``contact-rate ≤ 9 contacts``: a KPI with its target, the direction saying which side."""
    if k.target is None:
        return k.metric
    value = f"{k.target:g}"
    unit = k.unit if k.unit == "%" else f" {k.unit}" if k.unit else ""
    sign = "≤" if k.direction == Direction.DOWN.value else "≥"
    return f"{k.metric} {sign} {value}{unit}"


def _moving_text(refs: list[Moving]) -> str:
    return ", ".join(f"{m.id} {m.outcome or m.status}" for m in refs)


def kpi_blocks(stages: list[StageKpis]) -> list[Block]:
    rows: list[list[str]] = []
    for s in stages:
        for place in (s.stage, *s.touchpoints):
            label = place.name if not place.touchpoint else f"  · {place.touchpoint}"
            rows.append(
                [
                    label,
                    ", ".join(kpi_text(k) for k in place.kpis),
                    str(place.pain_points),
                    str(place.opportunities),
                    _moving_text(place.experiments),
                    place.flag,
                ]
            )
    return [
        Heading("KPIs per stage and touchpoint"),
        Table(
            [
                "stage",
                "KPIs (target)",
                "pain points",
                "opportunities",
                "experiments moving them",
                "flag",
            ],
            rows,
            align="llrrll",
            key="journey-kpis",
        ),
        Note(
            "KPIs: a stage's metrics and a touchpoint's, with its targets, from cxlib.toml. "
            "Experiments moving them: planned, running or concluded at that stage or touchpoint, "
            "with one of its KPIs as primary metric or a metric that maps to one; each with its "
            "outcome, else its status. Pain points, no KPI: a touchpoint with draft or validated "
            "pain points and no KPI to show them improve."
        ),
    ]
