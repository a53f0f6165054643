"""``report decisions``: did the program decide by the rules it declared before each test ran?

Every concluded or implemented experiment, with its declared ``decision_rule``, its outcome, the
decision taken, and one verdict (the first that applies):

- *decision pending*: concluded, no ``decision`` yet;
- *decided early*: the test ended (``end``) before its planned end (``planned_end``, else
  ``start`` + ``planned_days``): a decision on a test stopped before its plan;
- *follows the rule*: the structured rule (``ship_if``) says ship and the decision is ship, or
  it does not and the decision is anything but ship;
- *departs, with a rationale* / *departs, no rationale*: the decision contradicts the rule, with
  or without a ``decision_rationale``;
- *rule in words, not checked*: a rule given only as text cannot be evaluated; it is shown and
  counted apart, never as followed;
- *no rule declared*.

**Adherence** = follows / (follows + departs): how often the program follows its own checkable
rules. Departures and early decisions name the commit that recorded the decision (the oldest
commit since which ``decision`` has its current value), when git history is available; it is
read by the command (:mod:`cxlib.kb.decision_log`), this module stays pure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cxlib.model.documents import DecisionRule, Experiment
from cxlib.model.result_rules import ship_rule_holds
from cxlib.reports.blocks import CsvColumns, Figures, Heading, Note, Rendered, Table, pct
from cxlib.reports.snapshot import CONCLUDED, Snapshot, ratio

PENDING = "decision pending"
EARLY = "decided early"
FOLLOWS = "follows the rule"
DEPARTS_WITH = "departs, with a rationale"
DEPARTS_WITHOUT = "departs, no rationale"
WORDS = "rule in words, not checked"
NO_RULE = "no rule declared"
VERDICTS = (FOLLOWS, DEPARTS_WITH, DEPARTS_WITHOUT, EARLY, PENDING, WORDS, NO_RULE)
# The verdicts whose decision is linked to its commit.
LINKED = (DEPARTS_WITH, DEPARTS_WITHOUT, EARLY)


@dataclass(frozen=True)
class Recorded:
    """The commit that recorded a decision."""

    commit: str  # short id
    date: str  # YYYY-MM-DD, the author date
    author: str


@dataclass
class DecisionLog:
    """What git says about the decisions: by experiment id, the commit that recorded it (None:
    not committed yet); ``unavailable`` says why no commit could be read."""

    recorded: dict[str, Recorded | None] = field(default_factory=dict)
    unavailable: str | None = None


@dataclass
class Row:
    id: str
    title: str
    status: str
    rule: str | None  # ship_if conditions, or the rule's words
    rule_kind: str  # structured, words, none
    rule_says: str | None  # ship, not ship (a structured rule only)
    outcome: str | None
    decision: str | None
    rationale: str | None
    planned_end: str | None
    end: str | None
    verdict: str
    recorded: Recorded | None = None  # the commit that recorded the decision (linked verdicts)


@dataclass
class AmendmentRow:
    """One recorded change of a registered design (any experiment, running ones included)."""

    id: str
    status: str
    date: str
    field: str
    reason: str


@dataclass
class DecisionsReport:
    program: str
    today: str
    total: int  # concluded and implemented experiments
    counts: dict[str, int]  # by verdict, in VERDICTS order
    adherence: float | None  # follows / (follows + departs)
    rows: list[Row]
    history: str  # how the commits were read: "git", "not read", or why not
    amendments: list[AmendmentRow] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def linked(self) -> list[Row]:
        return [r for r in self.rows if r.verdict in LINKED]


def _rule(e: Experiment) -> tuple[str | None, str]:
    rule = e.decision_rule
    if rule is None:
        return None, "none"
    if isinstance(rule, DecisionRule):
        return f"ship_if: {rule.ship_if}", "structured"
    return rule, "words"


def verdict(e: Experiment) -> tuple[str, bool | None]:
    """The experiment's verdict, and what its structured rule says (ship: True)."""
    holds = ship_rule_holds(e)
    if e.decision is None:
        return PENDING, holds
    stop = e.planned_stop()
    if e.end is not None and stop is not None and e.end < stop:
        return EARLY, holds
    if holds is None:
        return (WORDS if e.decision_rule is not None else NO_RULE), holds
    if holds == (e.decision.value == "ship"):
        return FOLLOWS, holds
    return (DEPARTS_WITH if e.decision_rationale else DEPARTS_WITHOUT), holds


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def decisions(snap: Snapshot) -> DecisionsReport:
    """The audit of every concluded and implemented experiment (the commits that recorded the
    decisions are added by :func:`with_log`)."""
    rows: list[Row] = []
    for e in snap.experiments:
        if e.status not in CONCLUDED:
            continue
        rule, kind = _rule(e)
        said, holds = verdict(e)
        outcome = snap.outcome(e)
        rows.append(
            Row(
                id=e.id,
                title=e.title,
                status=e.status.value,
                rule=rule,
                rule_kind=kind,
                rule_says=None if holds is None else ("ship" if holds else "not ship"),
                outcome=outcome.value if outcome else None,
                decision=e.decision.value if e.decision else None,
                rationale=e.decision_rationale,
                planned_end=_iso(e.planned_stop()),
                end=_iso(e.end),
                verdict=said,
            )
        )
    counts = {v: sum(r.verdict == v for r in rows) for v in VERDICTS}
    checked = counts[FOLLOWS] + counts[DEPARTS_WITH] + counts[DEPARTS_WITHOUT]
    return DecisionsReport(
        program=snap.program,
        today=snap.today.isoformat(),
        total=len(rows),
        counts=counts,
        adherence=ratio(counts[FOLLOWS], checked),
        rows=rows,
        history="not read",
        amendments=[
            AmendmentRow(e.id, e.status.value, a.date.isoformat(), a.field, a.reason)
            for e in snap.experiments
            for a in e.amendments
        ],
        skipped=list(snap.skipped),
    )


def with_log(r: DecisionsReport, log: DecisionLog) -> DecisionsReport:
    """The report with the commits that recorded its linked decisions."""
    for row in r.rows:
        row.recorded = log.recorded.get(row.id)
    r.history = "git" if log.unavailable is None else log.unavailable
    return r


def _recorded(r: Row, history: str) -> str:
    if r.recorded is not None:
        return f"{r.recorded.commit} ({r.recorded.date}, {r.recorded.author})"
    return "not committed yet" if history == "git" else ""


def render(r: DecisionsReport) -> Rendered:
    """The report as display blocks, for markdown, the terminal and HTML."""
    out = Rendered(f"Decisions — {r.program}", r.today)
    checked = r.counts[FOLLOWS] + r.counts[DEPARTS_WITH] + r.counts[DEPARTS_WITHOUT]
    out.blocks.append(
        Figures(
            [
                ("Concluded or implemented", str(r.total)),
                (
                    "Follows its declared rule",
                    f"{pct(r.adherence)} ({r.counts[FOLLOWS]} of {checked} with a checkable rule)",
                ),
                ("Departs, with a rationale", str(r.counts[DEPARTS_WITH])),
                ("Departs, no rationale", str(r.counts[DEPARTS_WITHOUT])),
                ("Decided before the planned end", str(r.counts[EARLY])),
                ("Decision pending", str(r.counts[PENDING])),
                ("Rule in words, not checked", str(r.counts[WORDS])),
                ("No rule declared", str(r.counts[NO_RULE])),
            ]
        )
    )
    out.blocks.append(Heading("Departures and early decisions"))
    if r.history != "git":
        why = (
            "git history is not read here"
            if r.history == "not read"
            else f"no git history ({r.history})"
        )
        out.blocks.append(Note(f"The commits that recorded the decisions are not shown: {why}."))
    out.blocks.append(
        Table(
            ["id", "verdict", "rule", "outcome", "decision", "rationale", "recorded in"],
            [
                [
                    x.id,
                    x.verdict,
                    x.rule or "",
                    x.outcome or "",
                    x.decision or "",
                    x.rationale or "",
                    _recorded(x, r.history),
                ]
                for x in r.linked()
            ],
            key="decisions-departures",
        )
    )
    out.blocks.append(Heading("Every decision"))
    out.blocks.append(
        Table(
            ["id", "title", "rule", "rule says", "outcome", "decision", "verdict"],
            [
                [
                    x.id,
                    x.title,
                    x.rule or "",
                    x.rule_says or "",
                    x.outcome or "",
                    x.decision or "",
                    x.verdict,
                ]
                for x in r.rows
            ],
            key="decisions-all",
        )
    )
    out.blocks.append(Heading("Amendments to registered designs"))
    out.blocks.append(
        Table(
            ["id", "status", "date", "field", "reason"],
            [[a.id, a.status, a.date, a.field, a.reason] for a in r.amendments],
            key="decisions-amendments",
        )
    )
    from cxlib.reports.blocks import skipped_note

    note = skipped_note(r.skipped)
    if note is not None:
        out.blocks.append(note)
    return out


def csv_rows(r: DecisionsReport) -> list[dict[str, object]]:
    """One CSV row per concluded or implemented experiment."""
    return _CSV.rows(r.rows)


_CSV: CsvColumns[Row] = CsvColumns(
    {
        "id": lambda x: x.id,
        "title": lambda x: x.title,
        "status": lambda x: x.status,
        "rule": lambda x: x.rule,
        "rule_kind": lambda x: x.rule_kind,
        "rule_says": lambda x: x.rule_says,
        "outcome": lambda x: x.outcome,
        "decision": lambda x: x.decision,
        "rationale": lambda x: x.rationale,
        "planned_end": lambda x: x.planned_end,
        "end": lambda x: x.end,
        "verdict": lambda x: x.verdict,
        "recorded_commit": lambda x: x.recorded.commit if x.recorded else None,
        "recorded_date": lambda x: x.recorded.date if x.recorded else None,
        "recorded_by": lambda x: x.recorded.author if x.recorded else None,
    }
)
CSV_COLUMNS = _CSV.names
