"""``report roadmap``: open opportunities ranked by the configured priority formula."""

from __future__ import annotations

from dataclasses import dataclass, field

from cxlib.model.documents import InsightStatus, Opportunity, OpportunityStatus
from cxlib.model.scoring import formula_names
from cxlib.model.standing import Standing
from cxlib.reports.blocks import CsvColumns, Figures, Heading, Note, Rendered, Table, skipped_note
from cxlib.reports.snapshot import Snapshot

# The roadmap's groups, in the order a reader wants them.
GROUPS = (
    (OpportunityStatus.PRIORITIZED, "Prioritized"),
    (OpportunityStatus.IN_PROGRESS, "In progress"),
    (OpportunityStatus.IDEA, "Candidate ideas"),
)
FLAG_NO_OWNER = "no owner"
FLAG_NO_INSIGHT = "no insight"  # no validated insight backs it
FLAG_SCORES = "scores missing"
# The formula reads a score the opportunity lacks, and takes its default in its place: said, so a
# RICE rank of 1.4 against 288,000 is not read as a real one.
FLAG_REACH = "reach assumed 1"
FLAG_CONFIDENCE = "confidence assumed medium"
# A validated insight it rests on is contested or refuted by the experiments behind it.
FLAG_CONTESTED = "insight contested"


@dataclass
class ExperimentRef:
    id: str
    status: str
    outcome: str | None


@dataclass
class InsightRef:
    id: str
    status: str
    standing: str  # cxlib.model.standing: emerging, supported, confirmed, contested, refuted


@dataclass
class RoadmapItem:
    rank: int
    id: str
    title: str
    status: str
    priority: float | None
    customer_value: int | None
    business_value: int | None
    effort: int | None
    owner: str | None
    team: str | None
    stage: str | None
    touchpoint: str | None
    kpis: list[str]
    insights: list[str]
    validated_insights: int
    experiments: list[ExperimentRef]
    flags: list[str]
    standings: list[InsightRef] = field(default_factory=list)  # its insights, as listed


@dataclass
class RoadmapGroup:
    status: str
    label: str
    items: list[RoadmapItem] = field(default_factory=list)


@dataclass
class ClosedRef:
    id: str
    title: str
    status: str


@dataclass
class Roadmap:
    program: str
    today: str
    formula: str
    groups: list[RoadmapGroup]
    closed: list[ClosedRef]
    skipped: list[str]

    @property
    def items(self) -> list[RoadmapItem]:
        return sorted((i for g in self.groups for i in g.items), key=lambda i: i.rank)


def _flags(
    o: Opportunity, validated: int, reads: frozenset[str], standings: list[InsightRef]
) -> list[str]:
    flags: list[str] = []
    if not o.owner:
        flags.append(FLAG_NO_OWNER)
    if validated == 0:
        flags.append(FLAG_NO_INSIGHT)
    if o.customer_value is None or o.business_value is None or o.effort is None:
        flags.append(FLAG_SCORES)
    if "reach" in reads and o.reach is None:
        flags.append(FLAG_REACH)
    if "confidence" in reads and o.confidence is None:
        flags.append(FLAG_CONFIDENCE)
    if any(s.status == InsightStatus.VALIDATED and s.standing in _DOUBTED for s in standings):
        flags.append(FLAG_CONTESTED)
    return flags


_DOUBTED = (Standing.CONTESTED, Standing.REFUTED)


def _standings(snap: Snapshot, o: Opportunity) -> list[InsightRef]:
    by_id = {i.id: i for i in snap.insights}
    return [
        InsightRef(i.id, i.status.value, snap.standing(i).standing.value)
        for i in (by_id.get(ref) for ref in o.insights)
        if i is not None
    ]


def roadmap(snap: Snapshot) -> Roadmap:
    """Prioritized, in-progress and idea opportunities, each ranked by priority (highest first,
    missing priority last, then by id); ranks run across the three groups."""
    validated = {i.id for i in snap.insights if i.status == InsightStatus.VALIDATED}
    experiments: dict[str, list[ExperimentRef]] = {}
    for e in snap.experiments:
        if e.opportunity:
            outcome = snap.outcome(e)
            experiments.setdefault(e.opportunity, []).append(
                ExperimentRef(e.id, e.status.value, outcome.value if outcome else None)
            )
    wanted = {status for status, _ in GROUPS}
    open_ = [o for o in snap.opportunities if o.status in wanted]
    scored = [(snap.priority(o), o) for o in open_]
    reads = formula_names(snap.config.scoring.formula)
    scored.sort(key=lambda p: (p[0] is None, -(p[0] or 0.0), p[1].id))
    groups = {status: RoadmapGroup(status.value, label) for status, label in GROUPS}
    for rank, (prio, o) in enumerate(scored, start=1):
        backing = sum(1 for i in o.insights if i in validated)
        standings = _standings(snap, o)
        groups[o.status].items.append(
            RoadmapItem(
                rank=rank,
                id=o.id,
                title=o.title,
                status=o.status.value,
                priority=prio,
                customer_value=o.customer_value,
                business_value=o.business_value,
                effort=o.effort,
                owner=o.owner,
                team=o.team,
                stage=o.stage,
                touchpoint=o.touchpoint,
                kpis=list(o.kpis),
                insights=list(o.insights),
                validated_insights=backing,
                experiments=experiments.get(o.id, []),
                flags=_flags(o, backing, reads, standings),
                standings=standings,
            )
        )
    closed = [
        ClosedRef(o.id, o.title, o.status.value)
        for o in snap.opportunities
        if o.status not in wanted
    ]
    return Roadmap(
        program=snap.program,
        today=snap.today.isoformat(),
        formula=snap.config.scoring.formula,
        groups=[groups[status] for status, _ in GROUPS],
        closed=closed,
        skipped=snap.skipped,
    )


def _score(value: int | None) -> str:
    return "?" if value is None else str(value)


def _experiments_text(refs: list[ExperimentRef]) -> str:
    return ", ".join(f"{r.id} {r.outcome or r.status}" for r in refs)


def _standings_text(refs: list[InsightRef]) -> str:
    return ", ".join(f"{r.id} {r.standing}" for r in refs)


def render(r: Roadmap) -> Rendered:
    """The report as display blocks, for markdown, the terminal and HTML."""
    out = Rendered(f"Roadmap — {r.program}", f"{r.today} · priority formula: {r.formula}")
    items = r.items
    flagged = [i for i in items if i.flags]
    top = items[0] if items else None
    out.blocks.append(
        Figures(
            [
                ("Open opportunities", str(len(items))),
                (
                    "Top priority",
                    f"{top.id} {top.title} (priority {top.priority:.2f})"
                    if top and top.priority is not None
                    else "none",
                ),
                ("Flagged", str(len(flagged))),
            ]
        )
    )
    for group in r.groups:
        out.blocks.append(Heading(f"{group.label} ({len(group.items)})"))
        out.blocks.append(
            Table(
                columns=[
                    "rank",
                    "id",
                    "title",
                    "priority",
                    "scores c/b/e",
                    "owner",
                    "stage",
                    "KPIs",
                    "validated insights",
                    "standing",
                    "experiments",
                    "flags",
                ],
                rows=[
                    [
                        str(i.rank),
                        i.id,
                        i.title,
                        "" if i.priority is None else f"{i.priority:.2f}",
                        "/".join(_score(v) for v in (i.customer_value, i.business_value, i.effort)),
                        i.owner or "",
                        i.stage or "",
                        ", ".join(i.kpis),
                        f"{i.validated_insights} of {len(i.insights)}",
                        _standings_text(i.standings),
                        _experiments_text(i.experiments),
                        ", ".join(i.flags),
                    ]
                    for i in group.items
                ],
                align="rllrr",
                key=f"roadmap-{group.status}",
            )
        )
    if r.closed:
        out.blocks.append(
            Note("Not on the roadmap: " + ", ".join(f"{c.id} ({c.status})" for c in r.closed))
        )
    note = skipped_note(r.skipped)
    if note:
        out.blocks.append(note)
    return out


def csv_rows(r: Roadmap) -> list[dict[str, object]]:
    """One CSV row per open opportunity, in rank order."""
    return _CSV.rows(r.items)


_CSV: CsvColumns[RoadmapItem] = CsvColumns(
    {
        "rank": lambda i: i.rank,
        "id": lambda i: i.id,
        "title": lambda i: i.title,
        "status": lambda i: i.status,
        "priority": lambda i: i.priority,
        "customer_value": lambda i: i.customer_value,
        "business_value": lambda i: i.business_value,
        "effort": lambda i: i.effort,
        "owner": lambda i: i.owner,
        "team": lambda i: i.team,
        "stage": lambda i: i.stage,
        "touchpoint": lambda i: i.touchpoint,
        "kpis": lambda i: " ".join(i.kpis),
        "insights": lambda i: " ".join(i.insights),
        "validated_insights": lambda i: i.validated_insights,
        "standing": lambda i: _standings_text(i.standings),
        "experiments": lambda i: _experiments_text(i.experiments),
        "flags": lambda i: "; ".join(i.flags),
    }
)
CSV_COLUMNS = _CSV.names
