"""``report experiments``: outcomes, win rate, velocity, durations, stale and un-learned tests.

Definitions (also in the README): an experiment is *concluded* when its status is ``concluded``
or ``implemented``; outcomes are counted over concluded experiments; win rate = won / (won + lost
+ inconclusive), invalid and stopped-early tests counted apart. Dates are the front-matter dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cxlib.model.documents import Experiment, ExperimentStatus, Outcome
from cxlib.reports.blocks import (
    CsvColumns,
    Figures,
    Heading,
    Note,
    Rendered,
    Table,
    days,
    num,
    pct,
    skipped_note,
)
from cxlib.reports.snapshot import (
    CONCLUDED,
    DECIDED,
    Pace,
    Snapshot,
    median,
    month_of,
    months_between,
    pace,
    quarter_of,
    ratio,
    shift_month,
)

OPEN = (ExperimentStatus.DRAFT, ExperimentStatus.PLANNED, ExperimentStatus.RUNNING)
VELOCITY_MONTHS = 6


@dataclass
class Row:
    id: str
    title: str
    status: str
    outcome: str | None
    team: str | None
    owner: str | None
    created: str
    start: str | None
    end: str | None
    duration_days: int | None  # end - start, concluded experiments
    draft_to_running_days: int | None  # start - created
    stale: bool
    learnings: bool  # a non-empty '## Learnings' section


@dataclass
class Month:
    month: str
    won: int = 0
    lost: int = 0
    inconclusive: int = 0
    invalid: int = 0
    stopped_early: int = 0
    no_outcome: int = 0
    total: int = 0


@dataclass
class Quarter:
    quarter: str
    won: int
    decided: int
    win_rate: float | None  # None with fewer than ``min_tests`` decided: too few to be a rate


@dataclass
class Band:
    """The rolling win rate against the healthy band of ``[experiments]``."""

    window: str  # "2025-11-02..2026-11-01": the experiments that ended in it
    won: int
    decided: int
    win_rate: float | None  # None with fewer than ``min_tests`` decided
    low: float
    high: float
    min_tests: int
    verdict: str  # "within", "above", "below", or "too few tests"

    @property
    def label(self) -> str:
        return f"{self.low * 100:.0f}% to {self.high * 100:.0f}%"

    def warning(self) -> str | None:
        """The warning the reports print when the rate leaves the band."""
        band = self.label
        rate = f"{pct(self.win_rate, 0)} ({self.won} of {self.decided}, {self.window})"
        if self.verdict == "above":
            return (
                f"Rolling win rate {rate} is above the healthy band {band}: playing safe? Tests "
                "that nearly always win may be too small to teach anything."
            )
        if self.verdict == "below":
            return (
                f"Rolling win rate {rate} is below the healthy band {band}: are the ideas "
                "grounded in research, and the tests powered to detect their effect?"
            )
        return None


@dataclass
class Span:
    """A duration figure: median and longest, in days, over ``count`` experiments."""

    count: int = 0
    median_days: float | None = None
    longest_days: int | None = None
    longest_id: str | None = None


@dataclass
class Velocity:
    last_months: int  # concluded with an end in the last 6 complete months
    previous_months: int  # ... in the 6 months before those
    per_month: float
    previous_per_month: float
    trend: str | None  # up, down, flat; None when nothing concluded in either window, or when
    # --since cuts into either window (the months before it were filtered out, not empty)
    window: str  # "2026-05..2026-10"
    cut: bool = False  # --since falls after the first month of the comparison window


@dataclass
class Stale:
    """A running experiment past its time: its planned end and the grace days (overdue), or,
    without a planned end, ``stale_after_days`` (stale); or one ending this week."""

    id: str
    title: str
    owner: str | None
    start: str
    days_running: int
    planned_end: str | None = None


@dataclass
class Closed:
    """A concluded experiment that still owes something: its learnings, or its decision."""

    id: str
    title: str
    outcome: str | None
    owner: str | None
    end: str | None


@dataclass
class ExperimentsReport:
    program: str
    today: str
    since: str | None
    team: str | None
    stale_after_days: int
    total: int
    by_status: dict[str, int]
    concluded: int
    by_outcome: dict[str, int]
    decided: int
    win_rate: float | None
    loss_rate: float | None
    inconclusive_rate: float | None
    unreadable: int  # invalid + stopped-early
    velocity: Velocity
    months: list[Month]
    quarters: list[Quarter]
    duration: Span
    draft_to_running: Span
    stale: list[Stale]
    overdue: list[Stale]
    ending_this_week: list[Stale]
    grace_days: int
    unlearned: list[Closed]
    decision_pending: list[Closed]
    band: Band
    experiments: list[Row] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _span(values: list[tuple[int, str]]) -> Span:
    if not values:
        return Span()
    longest = max(values, key=lambda v: (v[0], v[1]))
    return Span(len(values), median([v for v, _ in values]), longest[0], longest[1])


def _learned(snap: Snapshot, e: Experiment) -> bool:
    parsed = snap.parsed.get(e.id)
    section = parsed.section("learnings") if parsed else None
    return section is not None and section.has_content


def _running(
    snap: Snapshot, chosen: list[Experiment]
) -> tuple[list[Stale], list[Stale], list[Stale]]:
    """Running experiments that are stale (no planned end, running longer than
    ``stale_after_days``), overdue (past their planned end and the grace days), and those whose
    planned end falls in the coming seven days; longest-running first."""
    lists: dict[Pace, list[Stale]] = {Pace.STALE: [], Pace.OVERDUE: [], Pace.ENDING: []}
    for e in chosen:
        if e.status != ExperimentStatus.RUNNING:
            continue
        where = lists.get(pace(e, snap.today, snap.config))
        if where is not None:
            begun, stop = e.start or e.created, e.planned_stop()
            where.append(
                Stale(
                    e.id,
                    e.title,
                    e.owner,
                    begun.isoformat(),
                    (snap.today - begun).days,
                    stop.isoformat() if stop else None,
                )
            )
    stale, overdue, ending = lists[Pace.STALE], lists[Pace.OVERDUE], lists[Pace.ENDING]
    for rows in (stale, overdue, ending):
        rows.sort(key=lambda s: (-s.days_running, s.id))
    return stale, overdue, ending


def _owed(snap: Snapshot, chosen: list[Experiment]) -> tuple[list[Closed], list[Closed]]:
    """Concluded experiments that owe their learnings (losses and inconclusive results), and
    those whose decision is still pending."""
    unlearned: list[Closed] = []
    pending: list[Closed] = []
    for e in chosen:
        if e.status not in CONCLUDED:
            continue
        outcome = snap.outcome(e)
        closed = Closed(
            e.id,
            e.title,
            outcome.value if outcome else None,
            e.owner,
            e.end.isoformat() if e.end else None,
        )
        if outcome in (Outcome.LOST, Outcome.INCONCLUSIVE) and not _learned(snap, e):
            unlearned.append(closed)
        if e.status == ExperimentStatus.CONCLUDED and e.decision is None:
            pending.append(closed)
    return unlearned, pending


def experiments_report(
    snap: Snapshot, since: dt.date | None = None, team: str | None = None
) -> ExperimentsReport:
    """Counts, rates, velocity, durations, stale and un-learned experiments (definitions in the
    module docstring and the README), over the snapshot's experiments: the filters (``--since``,
    ``--team``, ...) narrowed it before (:func:`cxlib.reports.snapshot.narrowed`); ``since`` and
    ``team`` are named here for the velocity's windows and the result's record of them."""
    today = snap.today
    stale_days = snap.config.program.stale_after_days
    chosen = snap.experiments
    by_status = {s.value: 0 for s in ExperimentStatus}
    by_outcome = {o.value: 0 for o in Outcome}
    rows: list[Row] = []
    months: dict[str, Month] = {}
    quarters: dict[str, list[int]] = {}
    durations: list[tuple[int, str]] = []
    lead_times: list[tuple[int, str]] = []
    concluded = 0
    stale, overdue, ending = _running(snap, chosen)
    late = {x.id for x in [*stale, *overdue]}
    for e in chosen:
        by_status[e.status.value] += 1
        outcome = snap.outcome(e)
        learned = _learned(snap, e)
        duration = lead = None
        if e.start is not None and e.start >= e.created:
            lead = (e.start - e.created).days
            lead_times.append((lead, e.id))
        if e.status in CONCLUDED:
            concluded += 1
            if outcome is not None:
                by_outcome[outcome.value] += 1
            if e.start and e.end and e.end >= e.start:
                duration = (e.end - e.start).days
                durations.append((duration, e.id))
            if e.end is not None:
                month = months.setdefault(month_of(e.end), Month(month_of(e.end)))
                key = outcome.value.replace("-", "_") if outcome else "no_outcome"
                setattr(month, key, getattr(month, key) + 1)
                month.total += 1
                if outcome in DECIDED:
                    tally = quarters.setdefault(quarter_of(e.end), [0, 0])
                    tally[0] += outcome == Outcome.WON
                    tally[1] += 1
        rows.append(
            Row(
                id=e.id,
                title=e.title,
                status=e.status.value,
                outcome=outcome.value if outcome else None,
                team=e.team,
                owner=e.owner,
                created=e.created.isoformat(),
                start=e.start.isoformat() if e.start else None,
                end=e.end.isoformat() if e.end else None,
                duration_days=duration,
                draft_to_running_days=lead,
                stale=e.id in late,
                learnings=learned,
            )
        )
    won, lost, inconclusive = (by_outcome[o.value] for o in DECIDED)
    decided = won + lost + inconclusive
    this_month = month_of(today)
    series: list[Month] = []
    if months:
        last = max(this_month, max(months))
        series = [months.get(m, Month(m)) for m in months_between(min(months), last)]
    unlearned, pending = _owed(snap, chosen)
    return ExperimentsReport(
        program=snap.program,
        today=today.isoformat(),
        since=since.isoformat() if since else None,
        team=team,
        stale_after_days=stale_days,
        overdue=overdue,
        ending_this_week=ending,
        grace_days=snap.config.program.grace_days,
        total=len(chosen),
        by_status=by_status,
        concluded=concluded,
        by_outcome=by_outcome,
        decided=decided,
        win_rate=ratio(won, decided),
        loss_rate=ratio(lost, decided),
        inconclusive_rate=ratio(inconclusive, decided),
        unreadable=by_outcome[Outcome.INVALID.value] + by_outcome[Outcome.STOPPED_EARLY.value],
        velocity=_velocity(months, this_month, since),
        months=series,
        quarters=_quarters(quarters, today, snap.config.experiments.min_tests),
        duration=_span(durations),
        draft_to_running=_span(lead_times),
        stale=stale,
        unlearned=unlearned,
        decision_pending=pending,
        band=rolling_band(snap, chosen),
        experiments=rows,
        skipped=snap.skipped,
    )


def rolling_band(snap: Snapshot, experiments: list[Experiment]) -> Band:
    """The win rate of the concluded ``experiments`` that ended in the last ``rolling_months``
    months up to today, against the ``[experiments]`` band."""
    settings = snap.config.experiments
    today = snap.today
    first = dt.date.fromisoformat(shift_month(month_of(today), -settings.rolling_months) + "-01")
    first = first.replace(day=min(today.day, _days_in(first))) + dt.timedelta(days=1)
    won = decided = 0
    for e in experiments:
        outcome = snap.outcome(e)
        if e.status in CONCLUDED and e.end and first <= e.end <= today and outcome in DECIDED:
            decided += 1
            won += outcome == Outcome.WON
    rate = ratio(won, decided) if decided >= settings.min_tests else None
    low, high = settings.win_rate_low, settings.win_rate_high
    verdict = (
        "too few tests"
        if rate is None
        else "above"
        if rate > high
        else "below"
        if rate < low
        else "within"
    )
    window = f"{first.isoformat()}..{today.isoformat()}"
    return Band(window, won, decided, rate, low, high, settings.min_tests, verdict)


def _days_in(first: dt.date) -> int:
    """The number of days of ``first``'s month."""
    following = first.replace(day=28) + dt.timedelta(days=4)
    return (following - dt.timedelta(days=following.day)).day


def _velocity(months: dict[str, Month], this_month: str, since: dt.date | None) -> Velocity:
    """Concluded per month over the last 6 complete calendar months, against the 6 before.
    With ``since`` after the first day of those twelve months, the experiments that ended
    before it were filtered out: a window so cut is not empty but unknown, so no trend."""
    n = VELOCITY_MONTHS
    recent = [shift_month(this_month, -k) for k in range(1, n + 1)]
    before = [shift_month(this_month, -k) for k in range(n + 1, 2 * n + 1)]
    last = sum(months[m].total for m in recent if m in months)
    prev = sum(months[m].total for m in before if m in months)
    cut = since is not None and since > dt.date.fromisoformat(before[-1] + "-01")
    trend = (
        None
        if cut or last == prev == 0
        else "up"
        if last > prev
        else "down"
        if last < prev
        else "flat"
    )
    return Velocity(
        last,
        prev,
        round(last / n, 2),
        round(prev / n, 2),
        trend,
        f"{recent[-1]}..{recent[0]}",
        cut,
    )


def _quarters(tallies: dict[str, list[int]], today: dt.date, min_tests: int) -> list[Quarter]:
    if not tallies:
        return []
    first = min(tallies)
    year, q = int(first[:4]), int(first[-1])
    end = max(quarter_of(today), max(tallies))
    out: list[Quarter] = []
    while f"{year:04d}-Q{q}" <= end:
        key = f"{year:04d}-Q{q}"
        won, decided = tallies.get(key, [0, 0])
        rate = ratio(won, decided) if decided >= min_tests else None
        out.append(Quarter(key, won, decided, rate))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


def render(r: ExperimentsReport) -> Rendered:
    """The report as display blocks, for markdown, the terminal and HTML."""
    out = Rendered(f"Experiments — {r.program}", r.today)
    v = r.velocity
    b = r.band
    won = r.by_outcome[Outcome.WON.value]
    out.blocks.append(
        Figures(
            [
                ("Experiments", str(r.total)),
                ("Concluded", str(r.concluded)),
                ("Win rate", f"{pct(r.win_rate)} ({won} of {r.decided} won, lost or inconclusive)"),
                ("Loss rate", pct(r.loss_rate)),
                ("Inconclusive rate", pct(r.inconclusive_rate)),
                ("Invalid or stopped early", f"{r.unreadable} (not in the rates)"),
                (
                    "Velocity",
                    f"{num(v.per_month, 2)} concluded per month ({v.last_months} in {v.window}); "
                    f"{num(v.previous_per_month, 2)} per month in the 6 months before"
                    + (f"; trend {v.trend}" if v.trend else "")
                    + (
                        f"; no trend: --since {r.since} cuts the 12 months compared"
                        if v.cut
                        else ""
                    ),
                ),
                (
                    "Rolling win rate",
                    f"{pct(b.win_rate)} ({b.won} of {b.decided}, {b.window}); healthy band "
                    f"{b.label}: {b.verdict}",
                ),
                (
                    "Duration, start to end",
                    f"median {days(r.duration.median_days) or 'n/a'}, longest "
                    + (
                        f"{days(r.duration.longest_days)} ({r.duration.longest_id})"
                        if r.duration.longest_id
                        else "n/a"
                    ),
                ),
                (
                    "Draft to running, created to start",
                    f"median {days(r.draft_to_running.median_days) or 'n/a'}, longest "
                    + (
                        f"{days(r.draft_to_running.longest_days)} ({r.draft_to_running.longest_id})"
                        if r.draft_to_running.longest_id
                        else "n/a"
                    ),
                ),
                ("Overdue (past the planned end)", str(len(r.overdue))),
                ("Ending this week", str(len(r.ending_this_week))),
                (f"Stale (no planned end, over {r.stale_after_days} days)", str(len(r.stale))),
                ("Losses or inconclusive results without learnings", str(len(r.unlearned))),
                ("Concluded, decision pending", str(len(r.decision_pending))),
            ]
        )
    )
    warning = b.warning()
    if warning:
        out.blocks.append(Note(warning))
    out.blocks.append(Heading("By status and outcome"))
    out.blocks.append(
        Table(
            ["status", "count"],
            [[k, str(n)] for k, n in r.by_status.items()],
            align="lr",
            key="experiments-status",
        )
    )
    out.blocks.append(
        Table(
            ["outcome (concluded)", "count", "share of won+lost+inconclusive"],
            [
                [
                    k,
                    str(n),
                    pct(ratio(n, r.decided)) if k in {o.value for o in DECIDED} else "apart",
                ]
                for k, n in r.by_outcome.items()
            ],
            align="lrr",
            key="experiments-outcome",
        )
    )
    out.blocks.append(
        Heading(f"Overdue: running more than {r.grace_days} days past the planned end")
    )
    out.blocks.append(_running_table(r.overdue, "experiments-overdue"))
    out.blocks.append(Heading("Ending this week"))
    out.blocks.append(_running_table(r.ending_this_week, "experiments-ending"))
    out.blocks.append(
        Heading(f"Stale: no planned end, running for more than {r.stale_after_days} days")
    )
    out.blocks.append(
        Table(
            ["id", "title", "owner", "start", "running"],
            [[s.id, s.title, s.owner or "", s.start, days(s.days_running)] for s in r.stale],
            align="llllr",
            key="experiments-stale",
        )
    )
    out.blocks.append(Heading("Losses and inconclusive results without learnings"))
    out.blocks.append(
        Table(
            ["id", "title", "outcome", "owner", "end"],
            [[u.id, u.title, u.outcome or "", u.owner or "", u.end or ""] for u in r.unlearned],
            key="experiments-unlearned",
        )
    )
    out.blocks.append(Heading("Concluded, decision pending"))
    out.blocks.append(
        Table(
            ["id", "title", "outcome", "owner", "end"],
            [
                [p.id, p.title, p.outcome or "", p.owner or "", p.end or ""]
                for p in r.decision_pending
            ],
            key="experiments-decision-pending",
        )
    )
    recent = [m for m in r.months if m.total][-12:]
    out.blocks.append(Heading("Concluded per month (last 12 months with results)"))
    out.blocks.append(
        Table(
            ["month", "won", "lost", "inconclusive", "invalid", "stopped early", "total"],
            [
                [
                    m.month,
                    *(str(n) for n in (m.won, m.lost, m.inconclusive, m.invalid)),
                    str(m.stopped_early),
                    str(m.total),
                ]
                for m in recent
            ],
            align="lrrrrrr",
            key="experiments-months",
        )
    )
    note = skipped_note(r.skipped)
    if note:
        out.blocks.append(note)
    return out


def _running_table(rows: list[Stale], key: str) -> Table:
    return Table(
        ["id", "title", "owner", "start", "planned end", "running"],
        [
            [s.id, s.title, s.owner or "", s.start, s.planned_end or "", days(s.days_running)]
            for s in rows
        ],
        align="lllllr",
        key=key,
    )


def csv_rows(r: ExperimentsReport) -> list[dict[str, object]]:
    """One CSV row per experiment."""
    return _CSV.rows(r.experiments)


_CSV: CsvColumns[Row] = CsvColumns(
    {
        "id": lambda x: x.id,
        "title": lambda x: x.title,
        "status": lambda x: x.status,
        "outcome": lambda x: x.outcome,
        "team": lambda x: x.team,
        "owner": lambda x: x.owner,
        "created": lambda x: x.created,
        "start": lambda x: x.start,
        "end": lambda x: x.end,
        "duration_days": lambda x: x.duration_days,
        "draft_to_running_days": lambda x: x.draft_to_running_days,
        "stale": lambda x: "yes" if x.stale else "no",
        "learnings": lambda x: "yes" if x.learnings else "no",
    }
)
CSV_COLUMNS = _CSV.names
