"""``report journey``: a stage x kind matrix over the configured journey, with touchpoint rows.

Where the pain is (insights, pain points) against where the work is (open opportunities,
experiments running, concluded, won). Rejected and archived insights and closed opportunities
are history, not the current picture, so they are not counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cxlib.model.documents import (
    Document,
    Experiment,
    ExperimentStatus,
    Insight,
    InsightStatus,
    InsightType,
    Opportunity,
    Outcome,
)
from cxlib.reports.blocks import CsvColumns, Note, Rendered, Table, skipped_note
from cxlib.reports.journey_kpis import StageKpis, journey_kpis, kpi_blocks
from cxlib.reports.journey_teams import StageTeams, journey_teams, team_blocks
from cxlib.reports.snapshot import CONCLUDED, OPEN_OPPORTUNITY, Snapshot

CURRENT_INSIGHT = (InsightStatus.DRAFT, InsightStatus.VALIDATED)
MEASURES = ("insights", "pain_points", "opportunities", "running", "concluded", "wins")
LABELS = ("insights", "pain points", "opportunities", "running", "concluded", "wins")
NO_STAGE = ""  # the row of documents with no stage, or one the journey does not have
NO_TOUCHPOINT = ""


@dataclass
class Counts:
    insights: int = 0
    pain_points: int = 0
    opportunities: int = 0
    running: int = 0
    concluded: int = 0
    wins: int = 0
    planned: int = 0  # not a column; a planned experiment is work under way

    def value(self, measure: str) -> int:
        return int(getattr(self, measure))

    @property
    def attention(self) -> str:
        """Nobody works here: no open opportunity, no experiment planned or running."""
        if self.opportunities or self.running or self.planned:
            return ""
        return "pain, nobody working" if self.pain_points else "nobody working"


@dataclass
class TouchpointRow:
    touchpoint: str
    counts: Counts
    attention: str = ""


@dataclass
class StageRow:
    stage: str
    name: str
    counts: Counts
    attention: str = ""
    touchpoints: list[TouchpointRow] = field(default_factory=list)


@dataclass
class JourneyReport:
    program: str
    today: str
    stages: list[StageRow]
    with_touchpoints: bool
    skipped: list[str]
    kpis: list[StageKpis] | None = None  # with --kpis (cxlib.reports.journey_kpis)
    teams: list[StageTeams] | None = None  # with --teams (cxlib.reports.journey_teams)


def _add(counts: Counts, doc: Document, snap: Snapshot) -> None:
    if isinstance(doc, Insight):
        if doc.status in CURRENT_INSIGHT:
            counts.insights += 1
            counts.pain_points += doc.type == InsightType.PAIN_POINT
    elif isinstance(doc, Opportunity):
        counts.opportunities += doc.status in OPEN_OPPORTUNITY
    elif isinstance(doc, Experiment):
        counts.running += doc.status == ExperimentStatus.RUNNING
        counts.planned += doc.status == ExperimentStatus.PLANNED
        if doc.status in CONCLUDED:
            counts.concluded += 1
            counts.wins += snap.outcome(doc) == Outcome.WON


def journey(
    snap: Snapshot, touchpoints: bool = False, kpis: bool = False, teams: bool = False
) -> JourneyReport:
    """One row per configured stage, in journey order (touchpoint rows under each when asked),
    and a last row for documents with no stage or a stage the journey does not have; with
    ``kpis`` the KPIs of each stage and touchpoint, with ``teams`` the teams working there."""
    stages = {s.id: s for s in snap.config.journey}
    rows = {s.id: StageRow(s.id, s.name or s.id, Counts()) for s in snap.config.journey}
    tps: dict[tuple[str, str], Counts] = {}
    for doc in (*snap.insights, *snap.opportunities, *snap.experiments):
        stage = doc.stage if doc.stage in stages else NO_STAGE
        if stage not in rows:
            rows[stage] = StageRow(NO_STAGE, "(no stage or unknown stage)", Counts())
        _add(rows[stage].counts, doc, snap)
        if touchpoints and stage != NO_STAGE:
            known = doc.touchpoint in stages[stage].touchpoints
            key = (stage, doc.touchpoint if known and doc.touchpoint else NO_TOUCHPOINT)
            _add(tps.setdefault(key, Counts()), doc, snap)
    out: list[StageRow] = []
    for row in rows.values():
        row.attention = row.counts.attention
        if touchpoints and row.stage != NO_STAGE:
            names = [*stages[row.stage].touchpoints, NO_TOUCHPOINT]
            for name in names:
                counts = tps.get((row.stage, name))
                if counts is None and name == NO_TOUCHPOINT:
                    continue  # the "(no touchpoint)" row only when something is there
                counts = counts or Counts()
                row.touchpoints.append(TouchpointRow(name, counts, counts.attention))
        out.append(row)
    return JourneyReport(
        program=snap.program,
        today=snap.today.isoformat(),
        stages=out,
        with_touchpoints=touchpoints,
        skipped=snap.skipped,
        kpis=journey_kpis(snap) if kpis else None,
        teams=journey_teams(snap) if teams else None,
    )


def _cells(counts: Counts) -> list[str]:
    return [str(counts.value(m)) for m in MEASURES]


def render(r: JourneyReport) -> Rendered:
    """The report as display blocks, for markdown, the terminal and HTML."""
    out = Rendered(f"Journey — {r.program}", f"{r.today} · stage x kind")
    rows: list[list[str]] = []
    for s in r.stages:
        rows.append([s.name, *_cells(s.counts), s.attention])
        for t in s.touchpoints:
            rows.append(
                [f"  · {t.touchpoint or '(no touchpoint)'}", *_cells(t.counts), t.attention]
            )
    out.blocks.append(
        Table(["stage", *LABELS, "attention"], rows, align="lrrrrrrl", key="journey-matrix")
    )
    out.blocks.append(
        Note(
            "insights: draft or validated; pain points: those of type pain-point; opportunities: "
            "idea, prioritized or in progress; running / concluded (concluded or implemented) "
            "experiments; wins: concluded with outcome won. Nobody working: no open opportunity "
            "and no experiment planned or running."
        )
    )
    if r.kpis is not None:
        out.blocks += kpi_blocks(r.kpis)
    if r.teams is not None:
        out.blocks += team_blocks(r.teams)
    note = skipped_note(r.skipped)
    if note:
        out.blocks.append(note)
    return out


def csv_rows(r: JourneyReport) -> list[dict[str, object]]:
    """One CSV row per stage and touchpoint row."""
    lines: list[_Line] = []
    for s in r.stages:
        stage = s.stage or "(none)"
        lines.append((stage, "", s.counts, s.attention))
        lines += [(stage, t.touchpoint or "(none)", t.counts, t.attention) for t in s.touchpoints]
    return _CSV.rows(lines)


# stage, touchpoint ("" on the stage's own row), counts, attention
_Line = tuple[str, str, Counts, str]


def _measure_column(measure: str) -> Callable[[_Line], object]:
    return lambda line: line[2].value(measure)


_CSV: CsvColumns[_Line] = CsvColumns(
    {
        "stage": lambda line: line[0],
        "touchpoint": lambda line: line[1],
        **{m: _measure_column(m) for m in (*MEASURES, "planned")},
        "attention": lambda line: line[3],
    }
)
CSV_COLUMNS = _CSV.names
