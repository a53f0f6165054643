"""``report roadmap``: open opportunities ranked by the configured priority formula."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from cxlib.model.documents import (
    Insight,
    InsightStatus,
    Opportunity,
    OpportunityStatus,
)
from cxlib.model.evidence import (
    EvidenceScore,
    ExperimentOutcome,
    InsightFacts,
    evidence_score,
    explain_priority,
)
from cxlib.model.review_dates import due_date
from cxlib.model.scoring import CONFIDENCE_FACTOR, formula_names
from cxlib.model.standing import Standing
from cxlib.reports.blocks import (
    Block,
    CsvColumns,
    Figures,
    Heading,
    Note,
    Rendered,
    Table,
    skipped_note,
)
from cxlib.reports.snapshot import CONCLUDED, Snapshot

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
FLAG_TARGET = "target passed"  # open, and today is past its target date
NO_CYCLE = "(no cycle)"


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
    evidence_factor: float | None = None  # cxlib.model.evidence
    weighted_priority: float | None = None  # priority x evidence factor
    priority_detail: str = ""  # the formula with the opportunity's scores in it
    breakdown: list[dict[str, Any]] = field(default_factory=list)  # the terms, with explain
    clamped: str | None = None  # "floor" or "ceiling" when the factor was held
    cycle: str | None = None  # the planning cycle it is planned for
    target: str | None = None  # the date it is to be delivered by


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
class CycleRow:
    """One opportunity of a planning cycle: open (ranked) or delivered."""

    id: str
    title: str
    status: str
    rank: int | None  # None: delivered
    owner: str | None
    team: str | None
    target: str | None
    flags: list[str]


@dataclass
class CycleGroup:
    """A planning cycle's pipeline: its opportunities by status, with their owners."""

    cycle: str
    counts: dict[str, int]  # by status: idea, prioritized, in-progress, delivered
    owners: list[str]
    overdue: int  # open, past the target date
    items: list[CycleRow] = field(default_factory=list)


@dataclass
class Roadmap:
    program: str
    today: str
    formula: str
    groups: list[RoadmapGroup]
    closed: list[ClosedRef]
    skipped: list[str]
    evidence_weighting: bool = False  # ranked by the weighted priority
    explain: bool = False  # render every score's breakdown
    weights: dict[str, float] = field(default_factory=dict)  # [scoring.evidence], as used
    by: str | None = None  # "cycle": the pipeline per planning cycle (cycles)
    cycles: list[CycleGroup] = field(default_factory=list)

    @property
    def items(self) -> list[RoadmapItem]:
        return sorted((i for g in self.groups for i in g.items), key=lambda i: i.rank)


def _flags(
    o: Opportunity,
    validated: int,
    reads: frozenset[str],
    standings: list[InsightRef],
    today: dt.date,
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
    if o.target is not None and o.target < today:
        flags.append(FLAG_TARGET)
    return flags


_DOUBTED = (Standing.CONTESTED, Standing.REFUTED)


@dataclass
class _Ground:
    """What the evidence of every opportunity is looked up in, indexed once per report: the
    insights by id, and the concluded experiments with an outcome by stage."""

    insights: dict[str, Insight]
    tests: dict[tuple[str, str], list[ExperimentOutcome]]  # by (stage, primary metric)

    @classmethod
    def of(cls, snap: Snapshot) -> _Ground:
        tests: dict[tuple[str, str], list[ExperimentOutcome]] = {}
        for e in snap.experiments:
            if e.status not in CONCLUDED or not e.stage or not e.primary_metric:
                continue
            if e.result is not None and e.result.outcome is not None:
                outcome = ExperimentOutcome(e.id, e.result.outcome.value, e.primary_metric)
                tests.setdefault((e.stage, e.primary_metric), []).append(outcome)
        return cls({i.id: i for i in snap.insights}, tests)

    def insights_of(self, o: Opportunity) -> list[Insight]:
        return [i for i in (self.insights.get(ref) for ref in o.insights) if i is not None]


def _standings(snap: Snapshot, ground: _Ground, o: Opportunity) -> list[InsightRef]:
    return [
        InsightRef(i.id, i.status.value, snap.standing(i).standing.value)
        for i in ground.insights_of(o)
    ]


def _insight_facts(snap: Snapshot, ground: _Ground, o: Opportunity) -> list[InsightFacts]:
    out: list[InsightFacts] = []
    for i in ground.insights_of(o):
        due = due_date(i.kind, i.review_by, i.updated, i.created, snap.config.review)
        late = due.explain() if due is not None and due.date < snap.today else None
        source = i.source.value if i.source else None
        out.append(
            InsightFacts(i.id, i.status.value, snap.standing(i).standing.value, source, late)
        )
    return out


def _tests_on_same_ground(ground: _Ground, o: Opportunity) -> list[ExperimentOutcome]:
    """Concluded experiments at the opportunity's stage whose primary metric is one of its
    KPIs, with their outcome, by id."""
    found = [t for k in dict.fromkeys(o.kpis) for t in ground.tests.get((o.stage or "", k), [])]
    return sorted(found, key=lambda t: t.id)


def _priority_detail(snap: Snapshot, o: Opportunity, reads: frozenset[str]) -> str:
    if o.customer_value is None or o.business_value is None or o.effort is None:
        return "scores missing"
    values = {
        "customer_value": float(o.customer_value),
        "business_value": float(o.business_value),
        "effort": float(o.effort),
        "reach": float(o.reach if o.reach is not None else 1),
        "confidence": CONFIDENCE_FACTOR[o.confidence.value if o.confidence else "medium"],
    }
    assumed = [n for n in ("reach", "confidence") if n in reads and getattr(o, n) is None]
    return explain_priority(snap.config.scoring.formula, values, assumed)


def _weigh(snap: Snapshot, ground: _Ground, o: Opportunity, explain: bool) -> EvidenceScore:
    return evidence_score(
        _insight_facts(snap, ground, o),
        _tests_on_same_ground(ground, o),
        snap.config.scoring.evidence,
        explain,
    )


def roadmap(snap: Snapshot, explain: bool = False, roadmap_by: str | None = None) -> Roadmap:
    """Prioritized, in-progress and idea opportunities, each ranked by priority (highest first,
    missing priority last, then by id), or by the weighted priority (priority x evidence
    factor) when ``[scoring] evidence_weighting`` is on; ranks run across the three groups.
    ``explain`` asks the rendering for every score's breakdown; ``roadmap_by`` "cycle" adds
    the pipeline per planning cycle."""
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
    weighting = snap.config.scoring.evidence_weighting
    ground = _Ground.of(snap)
    scored = []
    for o in open_:
        prio = snap.priority(o)
        score = _weigh(snap, ground, o, explain)
        weighted = None if prio is None else round(prio * score.factor, 3)
        scored.append((prio, o, score, weighted))
    reads = formula_names(snap.config.scoring.formula)
    scored.sort(key=lambda p: (_rank_key(p[3] if weighting else p[0]), p[1].id))
    groups = {status: RoadmapGroup(status.value, label) for status, label in GROUPS}
    for rank, (prio, o, score, weighted) in enumerate(scored, start=1):
        backing = sum(1 for i in o.insights if i in validated)
        standings = _standings(snap, ground, o)
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
                flags=_flags(o, backing, reads, standings, snap.today),
                standings=standings,
                evidence_factor=score.factor,
                weighted_priority=weighted,
                priority_detail=_priority_detail(snap, o, reads),
                breakdown=[t.to_json() for t in score.terms] if explain else [],
                clamped=score.clamped,
                cycle=o.cycle,
                target=o.target.isoformat() if o.target else None,
            )
        )
    closed = [
        ClosedRef(o.id, o.title, o.status.value)
        for o in snap.opportunities
        if o.status not in wanted
    ]
    result = Roadmap(
        program=snap.program,
        today=snap.today.isoformat(),
        formula=snap.config.scoring.formula,
        groups=[groups[status] for status, _ in GROUPS],
        closed=closed,
        skipped=snap.skipped,
        evidence_weighting=weighting,
        explain=explain,
        weights=dataclasses.asdict(snap.config.scoring.evidence),
    )
    if roadmap_by:
        result.by = str(roadmap_by)
        result.cycles = _cycles(result, snap.opportunities)
    return result


def _cycles(r: Roadmap, opportunities: list[Opportunity]) -> list[CycleGroup]:
    """The open opportunities in rank order and the delivered ones, per cycle: cycles in
    order, those without one last."""
    rows: dict[str, list[CycleRow]] = {}
    for i in r.items:
        row = CycleRow(i.id, i.title, i.status, i.rank, i.owner, i.team, i.target, i.flags)
        rows.setdefault(i.cycle or NO_CYCLE, []).append(row)
    for o in opportunities:
        if o.status == OpportunityStatus.DELIVERED and o.cycle:
            target = o.target.isoformat() if o.target else None
            row = CycleRow(o.id, o.title, o.status.value, None, o.owner, o.team, target, [])
            rows.setdefault(o.cycle, []).append(row)
    order = sorted(c for c in rows if c != NO_CYCLE) + ([NO_CYCLE] if NO_CYCLE in rows else [])
    out: list[CycleGroup] = []
    for cycle in order:
        items = rows[cycle]
        counts = {status.value: 0 for status in _PIPELINE}
        for row in items:
            counts[row.status] += 1
        owners = sorted({row.owner for row in items if row.owner})
        overdue = sum(FLAG_TARGET in row.flags for row in items)
        out.append(CycleGroup(cycle, counts, owners, overdue, items))
    return out


_PIPELINE = (
    OpportunityStatus.IDEA,
    OpportunityStatus.PRIORITIZED,
    OpportunityStatus.IN_PROGRESS,
    OpportunityStatus.DELIVERED,
)


def _rank_key(score: float | None) -> tuple[bool, float]:
    """Highest first, none last."""
    return score is None, -(score or 0.0)


def _score(value: int | None) -> str:
    return "?" if value is None else str(value)


def _experiments_text(refs: list[ExperimentRef]) -> str:
    return ", ".join(f"{r.id} {r.outcome or r.status}" for r in refs)


def _standings_text(refs: list[InsightRef]) -> str:
    return ", ".join(f"{r.id} {r.standing}" for r in refs)


def render(r: Roadmap) -> Rendered:
    """The report as display blocks, for markdown, the terminal and HTML."""
    ranked = "weighted priority" if r.evidence_weighting else "priority"
    out = Rendered(
        f"Roadmap — {r.program}",
        f"{r.today} · priority formula: {r.formula} · ranked by {ranked}",
    )
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
                    "evidence",
                    "weighted",
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
                        "" if i.evidence_factor is None else f"{i.evidence_factor:.2f}",
                        "" if i.weighted_priority is None else f"{i.weighted_priority:.2f}",
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
                align="rllrrrr",
                key=f"roadmap-{group.status}",
            )
        )
    if r.by == "cycle":
        out.blocks += _cycle_blocks(r)
    if r.closed:
        out.blocks.append(
            Note("Not on the roadmap: " + ", ".join(f"{c.id} ({c.status})" for c in r.closed))
        )
    note = skipped_note(r.skipped)
    if note:
        out.blocks.append(note)
    if r.explain:
        out.blocks += _explanation(r)
    return out


def _cycle_blocks(r: Roadmap) -> list[Block]:
    """The pipeline per planning cycle: a summary line per cycle, then its opportunities."""
    blocks: list[Block] = [
        Heading("Pipeline per cycle"),
        Table(
            [
                "cycle",
                "ideas",
                "prioritized",
                "in progress",
                "delivered",
                "target passed",
                "owners",
            ],
            [
                [
                    g.cycle,
                    *(str(g.counts[s.value]) for s in _PIPELINE),
                    str(g.overdue),
                    ", ".join(g.owners),
                ]
                for g in r.cycles
            ],
            align="lrrrrrl",
            key="roadmap-cycles",
        ),
    ]
    for g in r.cycles:
        blocks.append(Heading(g.cycle, level=3))
        blocks.append(
            Table(
                ["rank", "id", "title", "status", "owner", "team", "target", "flags"],
                [
                    [
                        "" if row.rank is None else str(row.rank),
                        row.id,
                        row.title,
                        row.status,
                        row.owner or "",
                        row.team or "",
                        row.target or "",
                        ", ".join(row.flags),
                    ]
                    for row in g.items
                ],
                align="rl",
                key=f"roadmap-cycle-{g.cycle}",
            )
        )
    blocks.append(
        Note(
            "Cycles from each opportunity's 'cycle'; open ones (idea, prioritized, in progress) "
            "in rank order, then those delivered. Target passed: open, and today is past its "
            "'target' date."
        )
    )
    return blocks


def _weights_note(r: Roadmap) -> Note:
    shown = ", ".join(f"{k} {v:g}" for k, v in r.weights.items())
    weighting = "true" if r.evidence_weighting else "false"
    return Note(
        f"Weights ([scoring.evidence] in cxlib.toml): {shown}. "
        f"[scoring] evidence_weighting = {weighting}: ranked by "
        f"{'the weighted priority' if r.evidence_weighting else 'the priority'}."
    )


def _explanation(r: Roadmap) -> list[Block]:
    """Every score of the roadmap, line by line, with the documents and weights behind it."""
    blocks: list[Block] = [Heading("How each score is made"), _weights_note(r)]
    for i in r.items:
        rows = [
            [
                "priority",
                "" if i.priority is None else f"{i.priority:.3f}",
                i.priority_detail,
                i.id,
                f"scoring.formula = {r.formula}",
            ],
            ["evidence factor", "1", "before the evidence", "", ""],
        ]
        rows += [
            [t["label"], f"{t['value']:+.3f}", t["detail"], ", ".join(t["documents"]), _keys(t)]
            for t in i.breakdown
        ]
        held = f", held to the {i.clamped}" if i.clamped else ""
        bounds = "scoring.evidence.floor, scoring.evidence.ceiling"
        rows.append(
            ["= evidence factor", f"{i.evidence_factor:.3f}", f"1 + the terms{held}", "", bounds]
        )
        if i.priority is not None and i.weighted_priority is not None:
            detail = f"{i.priority:.3f} x {i.evidence_factor:.3f}"
            rows.append(["= weighted priority", f"{i.weighted_priority:.3f}", detail, "", ""])
        blocks.append(Heading(f"{i.rank}. {i.id} {i.title}", level=3))
        blocks.append(
            Table(
                ["term", "value", "how", "documents", "weights"],
                rows,
                align="lrlll",
                key=f"roadmap-explain-{i.id}",
            )
        )
    return blocks


def _keys(term: dict[str, Any]) -> str:
    return ", ".join(term["weights"])


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
        "evidence_factor": lambda i: i.evidence_factor,
        "weighted_priority": lambda i: i.weighted_priority,
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
        "cycle": lambda i: i.cycle,
        "target": lambda i: i.target,
        "flags": lambda i: "; ".join(i.flags),
    }
)
CSV_COLUMNS = _CSV.names
