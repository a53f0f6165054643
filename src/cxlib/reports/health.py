"""``report health``: is the feedback loop closed? research -> insight -> opportunity ->
experiment -> learning -> new insight, with owners and pace.

Each area has a scope (the documents it judges) and problems; its score is the share of the
scope without a problem, in percent. Links are the typed front-matter links (body ``[[ID]]``
mentions are not a follow-up). Dates are front-matter dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cxlib.model.config import ProgramConfig
from cxlib.model.documents import (
    Decision,
    Document,
    Experiment,
    ExperimentStatus,
    Insight,
    InsightStatus,
    Opportunity,
    Outcome,
)
from cxlib.model.review_dates import LIVE, due_date
from cxlib.model.standing import DISAGREES, Standing
from cxlib.reports.blocks import (
    CsvColumns,
    Figures,
    Heading,
    Note,
    Rendered,
    Table,
    num,
    pct,
    skipped_note,
)
from cxlib.reports.experiments import Band, rolling_band
from cxlib.reports.snapshot import CONCLUDED, PAST_IDEA, Pace, Snapshot, pace

GOOD, FAIR = 90, 70


@dataclass
class Problem:
    area: str
    problem: str
    id: str
    title: str
    owner: str | None
    detail: str


@dataclass
class Area:
    area: str
    label: str
    in_scope: int
    ok: int
    score: int | None  # percent of the scope without a problem; None when the scope is empty
    grade: str  # good (>= 90), fair (>= 70), poor, or n/a


@dataclass
class HealthReport:
    program: str
    today: str
    stale_after_days: int
    overall: int | None  # weighted mean of the area scores that apply ([health.weights])
    weights: dict[str, float]  # each area's weight in the overall score
    areas: list[Area]
    problems: list[Problem]
    skipped: list[str]
    band: Band  # the rolling win rate against the healthy band ([experiments])
    # how many insights stand where (cxlib.model.standing), every status counted
    standings: dict[str, int] = field(default_factory=dict)


def _area(area: str, label: str, scope: list[str], problems: list[Problem]) -> Area:
    bad = {p.id for p in problems if p.area == area}
    ok = len([i for i in scope if i not in bad])
    score = round(100 * ok / len(scope)) if scope else None
    grade = (
        "n/a" if score is None else "good" if score >= GOOD else "fair" if score >= FAIR else "poor"
    )
    return Area(area, label, len(scope), ok, score, grade)


def health(snap: Snapshot) -> HealthReport:
    """The problems of each area of the feedback loop, and a score per area."""
    limit = snap.config.program.stale_after_days
    validated_status = InsightStatus.VALIDATED
    validated = [i for i in snap.insights if i.status == validated_status]
    past_idea = [o for o in snap.opportunities if o.status in PAST_IDEA]
    concluded = [e for e in snap.experiments if e.status in CONCLUDED]
    everything: list[Document] = [*snap.insights, *snap.opportunities, *snap.experiments]
    drafts: list[Document] = [i for i in snap.insights if i.status == InsightStatus.DRAFT]
    drafts += [e for e in snap.experiments if e.status == ExperimentStatus.DRAFT]
    running = [e for e in snap.experiments if e.status == ExperimentStatus.RUNNING]
    live: list[Insight | Opportunity] = [i for i in snap.insights if i.status in LIVE[i.kind]]
    live += [o for o in snap.opportunities if o.status in LIVE[o.kind]]
    in_play = [i for i in snap.insights if i.status in (InsightStatus.DRAFT, validated_status)]
    problems = [
        *_unused_insights(snap, validated),
        *_doubted_insights(snap, in_play),
        *_untested_opportunities(snap, past_idea),
        *_results_not_learned_from(snap, concluded),
        *_without_owner(everything),
        *_stalled(snap.today, snap.config, drafts, running),
        *_due_for_review(snap.today, snap.config, live),
    ]
    areas = [
        _area(
            "insights",
            "Validated insights feed an opportunity or experiment",
            [i.id for i in validated],
            problems,
        ),
        _area(
            "evidence",
            "Insights in play agree with the experiments behind them",
            [i.id for i in in_play],
            problems,
        ),
        _area(
            "opportunities",
            "Opportunities past idea have an experiment",
            [o.id for o in past_idea],
            problems,
        ),
        _area(
            "learning",
            "Concluded experiments are followed up and learned from",
            [e.id for e in concluded],
            problems,
        ),
        _area("ownership", "Documents have an owner", [d.id for d in everything], problems),
        _area(
            "pace",
            f"Drafts and running experiments move (within {limit} days)",
            [d.id for d in (*drafts, *running)],
            problems,
        ),
        _area(
            "review",
            "Research is checked again by its review date",
            [d.id for d in live],
            problems,
        ),
    ]
    weights = {a.area: float(getattr(snap.config.health.weights, a.area)) for a in areas}
    return HealthReport(
        program=snap.program,
        today=snap.today.isoformat(),
        stale_after_days=limit,
        overall=overall(areas, weights),
        weights=weights,
        areas=areas,
        problems=problems,
        skipped=snap.skipped,
        band=rolling_band(snap, snap.experiments),
        standings=_standing_counts(snap),
    )


def overall(areas: list[Area], weights: dict[str, float]) -> int | None:
    """The weighted mean of the scores that apply (an empty scope has none); None when no area
    with a weight above 0 has a score."""
    scored = [(a.score, weights[a.area]) for a in areas if a.score is not None]
    total = sum(w for _, w in scored)
    return round(sum(s * w for s, w in scored) / total) if total else None


def _standing_counts(snap: Snapshot) -> dict[str, int]:
    counts = dict.fromkeys((s.value for s in Standing), 0)
    for i in snap.insights:
        counts[snap.standing(i).standing.value] += 1
    return counts


def _doubted_insights(snap: Snapshot, in_play: list[Insight]) -> list[Problem]:
    """Draft and validated insights that the experiments behind them contest or refute (for a
    validated one, the ``insight-standing`` warning of validate): someone must decide whether
    they still hold."""
    problems: list[Problem] = []
    for i in in_play:
        judged = snap.standing(i)
        if judged.standing in DISAGREES[InsightStatus.VALIDATED]:
            detail = (
                f"{i.status.value}, {judged.standing.value}: contradiction "
                f"{judged.contradiction:g} against support {judged.support:g}"
            )
            problems.append(_problem("evidence", "insight-contested", i, detail))
    return problems


def _problem(area: str, code: str, doc: Document, detail: str) -> Problem:
    return Problem(area, code, doc.id, doc.title, doc.owner, detail)


def _unused_insights(snap: Snapshot, validated: list[Insight]) -> list[Problem]:
    """Validated insights feed opportunities or experiments."""
    return [
        _problem("insights", "insight-unused", i, "no opportunity or experiment builds on it")
        for i in validated
        if not snap.linked_from(i.id, "insights")
    ]


def _untested_opportunities(snap: Snapshot, past_idea: list[Opportunity]) -> list[Problem]:
    """Opportunities past idea are tested."""
    return [
        _problem("opportunities", "opportunity-untested", o, f"{o.status.value}, no experiment")
        for o in past_idea
        if not snap.linked_from(o.id, "opportunity")
    ]


def _results_not_learned_from(snap: Snapshot, concluded: list[Experiment]) -> list[Problem]:
    """Results feed back. A decision to iterate or rerun is kept by a follow-up experiment
    (``follows``); a win that shipped (decision ``ship``, or implemented) closed its loop by
    shipping; any other result is followed up by an experiment or cited by an insight. A loss
    or an inconclusive result at least leaves learnings."""
    problems: list[Problem] = []
    for e in concluded:
        outcome = snap.outcome(e)
        read = outcome.value if outcome else "no outcome"
        followed = snap.linked_from(e.id, "follows")
        if e.decision in (Decision.ITERATE, Decision.RERUN):
            if not followed:
                detail = f"{read}, decided {e.decision.value}; no experiment follows it"
                problems.append(_problem("learning", "no-follow-up-experiment", e, detail))
        elif not _shipped_win(e, outcome) and not (
            followed or snap.linked_from(e.id, "evidence", "counter_evidence")
        ):
            detail = f"{read}; no follow-up experiment and no insight cites it"
            problems.append(_problem("learning", "no-follow-up", e, detail))
        if outcome in (Outcome.LOST, Outcome.INCONCLUSIVE):
            parsed = snap.parsed.get(e.id)
            section = parsed.section("learnings") if parsed else None
            if section is None or not section.has_content:
                problems.append(
                    _problem(
                        "learning", "loss-without-learnings", e, f"{outcome.value}, no learnings"
                    )
                )
    return problems


def _shipped_win(e: Experiment, outcome: Outcome | None) -> bool:
    return outcome == Outcome.WON and (
        e.decision == Decision.SHIP or e.status == ExperimentStatus.IMPLEMENTED
    )


def _without_owner(everything: list[Document]) -> list[Problem]:
    return [
        _problem("ownership", "no-owner", doc, f"{type(doc).__name__.lower()} without owner")
        for doc in everything
        if not doc.owner
    ]


def _stalled(
    today: dt.date, config: ProgramConfig, drafts: list[Document], running: list[Experiment]
) -> list[Problem]:
    """Drafts untouched for more than ``stale_after_days``, and experiments running late (as
    the experiments report judges them: :func:`cxlib.reports.snapshot.pace`)."""
    limit = config.program.stale_after_days
    problems: list[Problem] = []
    for doc in drafts:
        touched = doc.updated or doc.created
        idle = (today - touched).days
        if idle > limit:
            problems.append(
                _problem(
                    "pace",
                    "stale-draft",
                    doc,
                    f"draft, untouched for {idle} days (since {touched})",
                )
            )
    for e in running:
        late = pace(e, today, config)
        begun, stop = e.start or e.created, e.planned_stop()
        if late == Pace.OVERDUE and stop is not None:
            detail = f"running {(today - stop).days} days past its planned end ({stop})"
        elif late == Pace.STALE:
            detail = f"running for {(today - begun).days} days (since {begun})"
        else:
            continue
        problems.append(_problem("pace", "stale-running", e, detail))
    return problems


def _due_for_review(
    today: dt.date, config: ProgramConfig, live: list[Insight | Opportunity]
) -> list[Problem]:
    """Insights and opportunities still in play whose review date has passed: ``review_by``,
    else ``updated`` (or ``created``) + ``[review]`` months (:mod:`cxlib.model.review_dates`)."""
    problems: list[Problem] = []
    for doc in live:
        due = due_date(doc.kind, doc.review_by, doc.updated, doc.created, config.review)
        if due is not None and due.date < today:
            days = (today - due.date).days
            detail = f"{doc.status.value}, due {days} days ago ({due.explain()})"
            problems.append(_problem("review", "review-due", doc, detail))
    return problems


def render(r: HealthReport) -> Rendered:
    """The report as display blocks, for markdown, the terminal and HTML."""
    out = Rendered(f"Health — {r.program}", f"{r.today} · is the feedback loop closed?")
    alike = len(set(r.weights.values())) == 1
    weights = ", ".join(f"{area} {num(w, 2)}" for area, w in r.weights.items())
    how = (
        "the mean of the area scores, all weighing alike"
        if alike
        else f"the weighted mean of the area scores (weights {weights})"
    )
    b = r.band
    out.blocks.append(
        Figures(
            [
                ("Overall", ("n/a" if r.overall is None else f"{r.overall}/100") + f": {how}"),
                ("Weights ([health.weights])", weights),
                ("Problems", str(len(r.problems))),
                (
                    "Rolling win rate",
                    f"{pct(b.win_rate)} ({b.won} of {b.decided}, {b.window}); healthy band "
                    f"{b.label}: {b.verdict}",
                ),
                (
                    "Insight standing",
                    ", ".join(f"{n} {name}" for name, n in r.standings.items()) or "none",
                ),
            ]
        )
    )
    warning = b.warning()
    if warning:
        out.blocks.append(Note(warning))
    out.blocks.append(Heading("Score per area"))
    out.blocks.append(
        Table(
            ["area", "check", "score", "grade", "ok / in scope", "weight"],
            [
                [
                    a.area,
                    a.label,
                    "n/a" if a.score is None else f"{a.score}%",
                    a.grade,
                    f"{a.ok} / {a.in_scope}",
                    num(r.weights[a.area], 2),
                ]
                for a in r.areas
            ],
            align="llrlrr",
            key="health-areas",
        )
    )
    out.blocks.append(Heading("Problems"))
    out.blocks.append(
        Table(
            ["area", "problem", "id", "title", "owner", "detail"],
            [[p.area, p.problem, p.id, p.title, p.owner or "", p.detail] for p in r.problems],
            key="health-problems",
        )
    )
    note = skipped_note(r.skipped)
    if note:
        out.blocks.append(note)
    return out


def csv_rows(r: HealthReport) -> list[dict[str, object]]:
    """One CSV row per problem."""
    return _CSV.rows(r.problems)


_CSV: CsvColumns[Problem] = CsvColumns(
    {
        "area": lambda p: p.area,
        "problem": lambda p: p.problem,
        "id": lambda p: p.id,
        "title": lambda p: p.title,
        "owner": lambda p: p.owner,
        "detail": lambda p: p.detail,
    }
)
CSV_COLUMNS = _CSV.names
